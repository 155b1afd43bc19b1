// Samples the suite's benches record themselves, and the one JSON file a run of `npm run bench` leaves behind.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

/** Summary of one bench's samples, in milliseconds. */
export interface SampleSummary {
  samples: number;
  mean: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
}

const samples = new Map<string, number[]>();

/** Records one timed sample (ms) under `name`. */
export function recordSample(name: string, ms: number): void {
  let list = samples.get(name);
  if (!list) {
    list = [];
    samples.set(name, list);
  }
  list.push(ms);
}

/** Runs `fn`, records how long it took under `name` and returns its value. */
export async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const value = await fn();
  recordSample(name, performance.now() - start);
  return value;
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

export function summary(name: string): SampleSummary | undefined {
  const list = samples.get(name);
  if (!list || list.length === 0) return undefined;
  const sorted = [...list].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    samples: sorted.length,
    mean: round(sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length),
    p50: round(quantile(sorted, 0.5)),
    p99: round(quantile(sorted, 0.99)),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
  };
}

export function allSummaries(): Record<string, SampleSummary> {
  const all: Record<string, SampleSummary> = {};
  for (const name of samples.keys()) all[name] = summary(name) as SampleSummary;
  return all;
}

function gitCommit(root: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** Writes `bench-results/<name>.json` under `root` (the folder is gitignored) and returns its path. */
export function writeResults(root: string, sections: Record<string, unknown>, name = 'latest'): string {
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  // The load average says how shared the machine was: on a busy 2-core box a full GC takes 5-10x its idle time.
  const machine = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
  };
  const document = { date: new Date().toISOString(), commit: gitCommit(root), machine, ...sections };
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
  return path;
}

/** A plain-text table (first column: the row names), so that a whole summary prints as one block. */
export function formatTable(title: string, rows: Record<string, Record<string, unknown>>): string {
  const names = Object.keys(rows);
  const columns = [...new Set(names.flatMap((name) => Object.keys(rows[name])))];
  const cell = (value: unknown) =>
    value === undefined || value === null ? '-' : Array.isArray(value) ? value.join('..') : String(value);
  const grid = [['', ...columns], ...names.map((name) => [name, ...columns.map((c) => cell(rows[name][c]))])];
  const widths = grid[0].map((_, i) => Math.max(...grid.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((text, i) => (i === 0 ? text.padEnd(widths[i]) : text.padStart(widths[i]))).join('  ');
  return [title, ...grid.map(line)].join('\n');
}
