// Self-noise: the heap slope, with its 95% interval, that the full harness reports over 10,000 invocations of
// handlers that keep nothing. Anything warmleak keeps in the handler's process would show here as a slope above 0.
// Printed as a table and written to bench-results/self-noise.json; verdicts are reported, never asserted.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { runCheck } from '../../harness/index.js';
import { formatTable, writeResults } from './record.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const INVOCATIONS = 10_000;
const RUNS = Number(process.env.SELF_NOISE_RUNS ?? 20);
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
const runs: Record<string, Run[]> = {};
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

describe(`self-noise: heap slope over ${INVOCATIONS} invocations of handlers that keep nothing`, () => {
  for (const [name, file] of Object.entries(HANDLERS)) {
    bench(
      name,
      async () => {
        const start = performance.now();
        const report = await runCheck(file, { projectRoot: root, invocations: INVOCATIONS, env });
        runs[name] ??= [];
        runs[name].push({
          bytesPerInvocation: report.heap.bytesPerInvocation,
          ci95: report.heap.ci95,
          invocations: report.invocations,
          verdict: report.verdict,
          findings: report.findings.map((f) => `${f.kind}:${f.name}`),
          ms: performance.now() - start,
        });
        // Written after every run, so that an interrupted bench still leaves what it measured.
        summarise();
      },
      { iterations: RUNS, time: 0, warmupIterations: 0, warmupTime: 0 },
    );
  }
});

const round = (value: number) => Math.round(value * 10) / 10;

/** The table rows and bench-results/self-noise.json from the runs so far. */
function summarise(): { rows: Record<string, Record<string, unknown>>; path: string } {
  const rows: Record<string, Record<string, unknown>> = {};
  const handlers: Record<string, unknown> = {};
  for (const name of Object.keys(HANDLERS)) {
    const list = runs[name] ?? [];
    const sorted = [...list].sort((a, b) => a.bytesPerInvocation - b.bytesPerInvocation);
    const median = sorted[Math.floor(sorted.length / 2)];
    const containsZero = list.filter((run) => run.ci95[0] <= 0 && run.ci95[1] >= 0).length;
    const passed = list.filter((run) => run.verdict === 'pass').length;
    const widest = list.reduce((w, run) => Math.max(w, Math.abs(run.ci95[0]), Math.abs(run.ci95[1])), 0);
    rows[name] = {
      'median B/inv': median ? round(median.bytesPerInvocation) : undefined,
      'its 95% interval': median ? median.ci95.map(round) : undefined,
      'widest |bound|': round(widest),
      'interval contains 0': `${containsZero}/${list.length}`,
      passes: `${passed}/${list.length}`,
      'median s': median ? round(median.ms / 1000) : undefined,
    };
    handlers[name] = {
      file: HANDLERS[name],
      runs: list.map((run) => ({
        ...run,
        bytesPerInvocation: round(run.bytesPerInvocation),
        ms: Math.round(run.ms),
      })),
    };
  }
  const path = writeResults(
    root,
    { selfNoise: { invocations: INVOCATIONS, runs: RUNS, handlers } },
    'self-noise',
  );
  return { rows, path };
}

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  const { rows, path } = summarise();
  console.log(
    `\n${formatTable(`Self-noise: heap slope the full harness reports, ${RUNS} runs of ${INVOCATIONS} invocations`, rows)}\n\n${path}`,
  );
});
