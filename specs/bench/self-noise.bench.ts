// Self-noise: the heap slope, with its 95% interval, that the full harness reports over 10,000 invocations of
// handlers that keep nothing. Anything warmleak keeps in the handler's process would show here as a slope above 0.
// Two tables: inline checks in this bench's (already warm) process, and each handler through the built CLI in a
// fresh process, in both isolation modes. Printed, and written with issue 11's targets to
// bench-results/self-noise.json; verdicts are reported, never asserted.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { HEAP_FLOOR_BYTES_PER_INVOCATION } from '../../harness/analysis/heap.js';
import { runCheck } from '../../harness/index.js';
import type { Report } from '../../harness/types.js';
import { builtHarness } from './built-isolation.js';
import { formatTable, writeResults } from './record.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const execute = promisify(execFile);
const INVOCATIONS = 10_000;
const RUNS = Number(process.env.SELF_NOISE_RUNS ?? 20);
const FRESH_RUNS = Number(process.env.SELF_NOISE_FRESH_RUNS ?? 10);
const MODES = ['inline', 'process'] as const;
const HANDLERS: Record<string, string> = {
  'no-op': 'specs/bench/fixtures/noop.cjs',
  'timer set and cleared': 'specs/bench/fixtures/timer-cleared.cjs',
  '50 awaits': 'specs/bench/fixtures/awaits-50.cjs',
  '10 short-lived async resources': 'specs/bench/fixtures/async-resources-10.cjs',
  'keep-alive request to 127.0.0.1': 'specs/bench/fixtures/keepalive-request.cjs',
};

interface Run {
  bytesPerInvocation: number;
  ci95: [number, number];
  invocations: number;
  verdict: string;
  findings: string[];
  ms: number;
}
/** Runs by table ('in this process', 'fresh inline', 'fresh process'), then by handler. */
const runs: Record<string, Record<string, Run[]>> = {};
let server: Server;
let env: Record<string, string>;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    response.end('ok');
  });
  server.keepAliveTimeout = 600_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env = { SELF_NOISE_PORT: String((server.address() as AddressInfo).port) };
});

function record(table: string, name: string, report: Report, ms: number): void {
  runs[table] ??= {};
  runs[table][name] ??= [];
  runs[table][name].push({
    bytesPerInvocation: report.heap.bytesPerInvocation,
    ci95: report.heap.ci95,
    invocations: report.invocations,
    verdict: report.verdict,
    findings: report.findings.map((f) => `${f.kind}:${f.name}`),
    ms,
  });
  // Written after every run, so that an interrupted bench still leaves what it measured.
  summarise();
}

const each = (iterations: number) => ({ iterations, time: 0, warmupIterations: 0, warmupTime: 0 });

describe(`self-noise: heap slope over ${INVOCATIONS} invocations of handlers that keep nothing`, () => {
  for (const [name, file] of Object.entries(HANDLERS)) {
    bench(
      `${name} (in this process)`,
      async () => {
        const start = performance.now();
        const report = await runCheck(file, { projectRoot: root, invocations: INVOCATIONS, env });
        record('in this process', name, report, performance.now() - start);
      },
      each(RUNS),
    );
  }
});

describe(`self-noise in a fresh process: the built CLI, ${INVOCATIONS} invocations per run`, () => {
  for (const mode of MODES) {
    for (const [name, file] of Object.entries(HANDLERS)) {
      bench(
        `${name} (fresh, --isolation ${mode})`,
        async () => {
          const { cli } = await builtHarness(root);
          const args = [
            cli,
            'check',
            file,
            '--invocations',
            String(INVOCATIONS),
            '--isolation',
            mode,
            '--json',
          ];
          const start = performance.now();
          // Exit 1 (a leak) still prints the report: it is what this table counts.
          const { stdout } = await execute(process.execPath, args, {
            cwd: root,
            env: { ...process.env, ...env, CI: 'true', NO_COLOR: '1' },
            maxBuffer: 64 * 1024 * 1024,
          }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
          record(`fresh ${mode}`, name, JSON.parse(stdout) as Report, performance.now() - start);
        },
        each(FRESH_RUNS),
      );
    }
  }
});

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * The distribution-free 95% interval of a median from its sorted sample: the order statistics x(k) and x(n+1-k)
 * with the largest k for which P(Binomial(n, 1/2) < k) <= 2.5%, and the coverage that pair gives. For n = 20 that
 * is x(6)..x(15), 95.9%; below 6 runs no pair reaches 95%, and the interval is the whole range (coverage shown).
 */
function medianInterval(sorted: number[]): { interval: [number, number]; coverage: number } {
  const n = sorted.length;
  let k = 0;
  let below = 0; // P(B <= j), accumulated term by term
  let tail = 0; // P(B < k)
  let term = 0.5 ** n; // P(B = j), from j = 0
  for (let j = 0; j < n; j++) {
    below += term;
    if (below > 0.025) break;
    k = j + 1;
    tail = below;
    term *= (n - j) / (j + 1);
  }
  const at = Math.max(k, 1);
  return { interval: [sorted[at - 1], sorted[n - at]], coverage: k === 0 ? 1 - 2 * 0.5 ** n : 1 - 2 * tail };
}

const contains0 = ([low, high]: [number, number]) => low <= 0 && high >= 0;

/** One table row: the pooled figure first, then the per-run counts, each named in the header. */
function row(list: Run[]): Record<string, unknown> {
  const slopes = list.map((run) => run.bytesPerInvocation).sort((a, b) => a - b);
  const pooled = slopes.length > 0 ? medianInterval(slopes) : undefined;
  const median = slopes.length > 0 ? slopes[Math.floor(slopes.length / 2)] : undefined;
  const ms = list.map((run) => run.ms).sort((a, b) => a - b);
  return {
    'median slope B/inv': median === undefined ? undefined : round(median),
    'pooled 95% interval (median of runs)': pooled?.interval.map(round),
    coverage: pooled ? `${(pooled.coverage * 100).toFixed(1)}%` : undefined,
    'pooled contains 0': pooled ? (contains0(pooled.interval) ? 'yes' : 'NO') : undefined,
    'runs whose own 95% interval contains 0': `${list.filter((run) => contains0(run.ci95)).length}/${list.length}`,
    'runs passing': `${list.filter((run) => run.verdict === 'pass').length}/${list.length}`,
    'median s': ms.length > 0 ? round(ms[Math.floor(ms.length / 2)] / 1000) : undefined,
  };
}

/** Issue 11's two targets for one handler, beside what was measured. */
function targets(list: Run[]) {
  const slopes = list.map((run) => run.bytesPerInvocation).sort((a, b) => a - b);
  const pooled = slopes.length > 0 ? medianInterval(slopes) : null;
  const passed = list.filter((run) => run.verdict === 'pass').length;
  return {
    pooledIntervalContains0: {
      target: true,
      measured: pooled?.interval.map(round) ?? null,
      coverage: pooled ? Math.round(pooled.coverage * 1000) / 1000 : null,
      met: pooled ? contains0(pooled.interval) : null,
    },
    everyRunPasses: {
      target: `${list.length}/${list.length} (default allowance ${HEAP_FLOOR_BYTES_PER_INVOCATION} B/invocation)`,
      measured: `${passed}/${list.length}`,
      met: list.length > 0 ? passed === list.length : null,
    },
  };
}

/** The table rows and bench-results/self-noise.json from the runs so far. */
function summarise(): { tables: Record<string, Record<string, Record<string, unknown>>>; path: string } {
  const tables: Record<string, Record<string, Record<string, unknown>>> = {};
  const sections: Record<string, Record<string, unknown>> = {};
  for (const [table, byHandler] of Object.entries(runs)) {
    tables[table] = {};
    sections[table] = {};
    for (const name of Object.keys(HANDLERS)) {
      const list = byHandler[name] ?? [];
      tables[table][name] = row(list);
      sections[table][name] = {
        file: HANDLERS[name],
        targets: targets(list),
        runs: list.map((run) => ({
          ...run,
          bytesPerInvocation: round(run.bytesPerInvocation),
          ms: Math.round(run.ms),
        })),
      };
    }
  }
  const selfNoise = { invocations: INVOCATIONS, runs: RUNS, freshRuns: FRESH_RUNS, tables: sections };
  return { tables, path: writeResults(root, { selfNoise }, 'self-noise') };
}

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  const { tables, path } = summarise();
  const titles: Record<string, string> = {
    'in this process': `inline in this bench's warm process, ${RUNS} runs`,
    'fresh inline': `the built CLI, a fresh process per run, --isolation inline, ${FRESH_RUNS} runs`,
    'fresh process': `the built CLI, a fresh process per run, --isolation process, ${FRESH_RUNS} runs`,
  };
  const legend = [
    `Self-noise: heap slope the full harness reports over ${INVOCATIONS} invocations of handlers that keep nothing.`,
    "Targets (issue 11): the pooled interval contains 0, and every run passes the default allowance. 'pooled 95%",
    "interval' is the distribution-free interval of the median of the runs' slopes (order statistics); 'runs whose",
    "own 95% interval contains 0' counts each run's Theil-Sen interval (a calibrated one misses 1 run in 20).",
  ].join('\n');
  const printed = Object.entries(tables).map(([table, rows]) => formatTable(titles[table] ?? table, rows));
  console.log(`\n${legend}\n\n${printed.join('\n\n')}\n\n${path}`);
});
