// The scale bench: one `warmleak check` (the built CLI, default --concurrency) over a generated repository of
// handlers, timed as a CI job meets it: wall time, CPU of the CLI and its environments, how the time divided
// (the reports' `time`), the CLI's peak resident memory, and whether every verdict was right.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TimeSplit } from '../../harness/types.js';
import { type FleetKind, writeFleet } from './fleet.js';

export interface ScaleRun {
  handlers: number;
  /** What else the command line said (`--shard 2/4`), and which kinds the fleet mixed. */
  args: string[];
  kinds: FleetKind[];
  wallMs: number;
  /** User + system CPU of the CLI and every environment it forked. */
  cpuMs: number;
  /** Peak resident memory of the CLI process itself (its VmHWM), environments not included. */
  parentPeakRssMB: number;
  /** The reports' splits, summed over environments. */
  split: TimeSplit;
  right: number;
  wrong: string[];
  /** Mean invocations per handler of each kind: a clean handler past 520 ran heap phases (default options). */
  invocationsByKind: Partial<Record<FleetKind, number>>;
  /** The machine's 1-minute load average when the run ended: above 2, the figures are inflated by other work. */
  loadAverage: number;
}

export interface ScaleOptions {
  /** The fleet's kinds, repeated (default: fleet.ts's mix of all four). */
  mix?: readonly FleetKind[];
  /** More arguments for `warmleak check` (`--shard 1/4`). */
  args?: string[];
  /** Generate this many handlers, of which the run checks those `args` select (a shard's share). */
  fleetSize?: number;
}

const TICKS_PER_SECOND = 100;

/** CPU (ms) of this process's waited-for children so far: /proc/self/stat's cutime + cstime. */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // After the command name: state is field 3, so cutime (16) and cstime (17) sit at 13 and 14 here.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}

function peakRssMB(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const expected = (kind: FleetKind) => (kind === 'clean' || kind === 'slow' ? 'pass' : 'leak');

/** Generates `count` handlers in a temporary folder and checks them with one `node <cli> check --json`. */
export async function scaleRun(cli: string, count: number, options: ScaleOptions = {}): Promise<ScaleRun> {
  const dir = mkdtempSync(join(tmpdir(), 'warmleak-scale-'));
  const args = options.args ?? [];
  try {
    const fleet = writeFleet(dir, options.fleetSize ?? count, options.mix);
    const cpuBefore = childrenCpuMs();
    const started = performance.now();
    const child = spawn(process.execPath, [cli, 'check', 'src/*.cjs', '--json', ...args], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    let peak = 0;
    const poll = setInterval(() => {
      peak = Math.max(peak, (child.pid && peakRssMB(child.pid)) || 0);
    }, 100);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearInterval(poll);
    const wallMs = performance.now() - started;
    // 1 when leaks were found, 0 for a shard of passing handlers; anything else is a failed run.
    if (code !== 0 && code !== 1) throw new Error(`warmleak check exited ${code}: ${stderr.slice(-2000)}`);
    const reports = JSON.parse(stdout) as Array<{
      handler: string;
      verdict: string;
      invocations: number;
      time?: TimeSplit;
      findings: Array<{ kind: string; name: string }>;
      error?: { errorType: string };
    }>;
    const byKind = new Map<FleetKind, number[]>();
    const split: TimeSplit = { startupMs: 0, measurementMs: 0, analysisMs: 0 };
    const wrong: string[] = [];
    for (const report of reports) {
      for (const key of Object.keys(split) as Array<keyof TimeSplit>) split[key] += report.time?.[key] ?? 0;
      const file = fleet.files.find((f) => report.handler.startsWith(f.path));
      // A wrong verdict says what was found: a clean handler's false positive names its finding.
      const why = report.error?.errorType ?? report.findings.map((f) => `${f.kind}:${f.name}`).join(',');
      if (!file || report.verdict !== expected(file.kind))
        wrong.push(`${report.handler} ${report.verdict}${why ? ` (${why})` : ''}`);
      if (file) byKind.set(file.kind, [...(byKind.get(file.kind) ?? []), report.invocations]);
    }
    const mean = (values: number[]) => Math.round(values.reduce((sum, v) => sum + v, 0) / values.length);
    const invocationsByKind = Object.fromEntries([...byKind].map(([kind, counts]) => [kind, mean(counts)]));
    return {
      handlers: reports.length,
      args,
      kinds: [...new Set(fleet.files.map((file) => file.kind))],
      wallMs,
      cpuMs: childrenCpuMs() - cpuBefore,
      parentPeakRssMB: Math.round(peak * 10) / 10,
      split,
      right: reports.length - wrong.length,
      wrong,
      invocationsByKind,
      loadAverage: Math.round(loadavg()[0] * 100) / 100,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
