// Issue 11's time-to-verdict targets: realistic clean handlers through the built CLI (median at most 2 s, and no heap
// phase started by the harness's own noise), and seed-shaped handlers inline against @airbnb/node-memwatch's HeapDiff
// over 1,000 calls, timed in the same run; and where each seed's time goes (invocations, checkpoints, forced GCs, GC
// time). Printed as tables and written to bench-results/time-to-verdict.json.
import { execFile } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, bench, describe } from 'vitest';
import { HEAP_FLOOR_BYTES_PER_INVOCATION } from '../../harness/analysis/heap.js';
import { runCheck } from '../../harness/check/index.js';
import { CHECK_POLICY } from '../../harness/check/policy.js';
import { obtainGc, settledGcs } from '../../harness/probes/heap.js';
import { loadMemwatch } from '../../harness/probes/heap-diff.js';
import type { Report } from '../../harness/types.js';
import { formatTable, summary, timed, writeResults } from './record.js';
import { absoluteTarget, relativeTarget, type Target, targetsTable } from './targets.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const CLI_RUNS = Number(process.env.VERDICT_RUNS ?? 5);
const CLI_LIMIT_MS = 2000;
const MEMWATCH_CALLS = 1000;
const once = { iterations: 1, time: 0, warmup: false, warmupIterations: 0, warmupTime: 0 };

/** Clean handlers written like production code, each with the trigger it is deployed behind. */
const CLEAN_HANDLERS: Record<string, string> = {
  'specs/fixtures/real/lru-prices.ts': 'apigw-http',
  'specs/fixtures/real/jwks-cache.ts': 'apigw-http',
  'specs/fixtures/real/rate-limit-window.ts': 'apigw-http',
  'specs/fixtures/real/logger-append-keys.ts': 'apigw-http',
  'specs/fixtures/fidelity/guard-timer.ts': 'apigw-http',
  'specs/fixtures/fidelity/middy-default-timeout.ts': 'apigw-http',
  'specs/fixtures/real/retry-with-backoff.ts': 'apigw-http',
};

/** The seeds' handlers and what a right verdict is for each. */
const SEED_HANDLERS: Record<string, 'leak' | 'pass'> = {
  'specs/fixtures/arrays.cjs': 'leak',
  'specs/fixtures/counter-ttl-cache.cjs': 'pass',
  'specs/fixtures/capped-lru.ts': 'pass',
  'specs/fixtures/singleton-tracer.ts': 'leak',
  'specs/fixtures/imported-metrics.ts': 'leak',
  'specs/fixtures/heap-clean.cjs': 'pass',
  'specs/bench/fixtures/noop.cjs': 'pass',
};

interface CliRun {
  verdict: string;
  invocations: number;
  heapPhase: boolean;
  findings: string[];
}
const cliRuns: Record<string, CliRun[]> = {};

/** Invocations past the main phase and its longest confirmation: only a heap phase runs that many more. */
function ranHeapPhase(report: Report): boolean {
  const plan = report.plan;
  if (!plan) return false;
  const confirmation = plan.invocations * CHECK_POLICY.confirmationLength;
  return report.invocations > plan.warmup + plan.invocations + confirmation;
}

describe(`time to verdict: clean handlers through the built CLI (${CLI_RUNS} runs each)`, () => {
  for (const [file, trigger] of Object.entries(CLEAN_HANDLERS)) {
    bench(
      file,
      async () => {
        const args = ['bin/warmleak.js', 'check', file, '--event-type', trigger, '--json'];
        const { stdout } = await timed(`cli ${file}`, () =>
          run(process.execPath, args, { cwd: root, env: { ...process.env, CI: 'true' } }).catch(
            (error: { stdout?: string }) => ({ stdout: error.stdout ?? '{}' }),
          ),
        );
        const report = JSON.parse(stdout) as Report;
        cliRuns[file] ??= [];
        cliRuns[file].push({
          verdict: report.verdict,
          invocations: report.invocations,
          heapPhase: ranHeapPhase(report),
          findings: (report.findings ?? []).map((f) => `${f.kind}:${f.path ?? f.name}`),
        });
      },
      { ...once, iterations: CLI_RUNS },
    );
  }
});

const seedVerdicts: Record<string, { warmleak?: string; memwatch?: string; memwatchBytes?: number }> = {};
const memwatch = loadMemwatch();

/** Where one seed's time to verdict went: its invocations, its GC-settled checkpoints and the GC time in the run. */
interface SeedCost {
  invocations: number;
  settledCheckpoints: number;
  gcMs: number;
  measurementMs: number;
}
const seedCosts: Record<string, SeedCost[]> = {};

/** Runs the check with V8's GC entries observed: a forced full GC per checkpoint is most of a check's time. */
async function checkWithCost(file: string): Promise<{ report: Report; cost: SeedCost }> {
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  const settledBefore = settledGcs();
  try {
    const report = await timed(`warmleak ${file}`, () => runCheck(file, { projectRoot: root }));
    // GC entries are queued for the observer: take the ones not delivered yet.
    for (const entry of observer.takeRecords()) gcMs += entry.duration;
    const cost = {
      invocations: report.invocations,
      settledCheckpoints: settledGcs() - settledBefore,
      gcMs,
      measurementMs: report.time?.measurementMs ?? 0,
    };
    return { report, cost };
  } finally {
    observer.disconnect();
  }
}

describe(`time to verdict: seed-shaped handlers inline, warmleak vs memwatch HeapDiff over ${MEMWATCH_CALLS} calls`, () => {
  for (const file of Object.keys(SEED_HANDLERS)) {
    bench(
      file,
      async () => {
        const { report, cost } = await checkWithCost(file);
        seedVerdicts[file] = { ...seedVerdicts[file], warmleak: report.verdict };
        seedCosts[file] ??= [];
        seedCosts[file].push(cost);
        if (!memwatch) return;
        // What a user of memwatch writes: the handler called in a loop between a HeapDiff's start and end, judged
        // with the same allowance per call as warmleak's heap verdict.
        const bytes = await timed(`memwatch ${file}`, async () => {
          const { handler } = (await import(pathToFileURL(`${root}${file}`).href)) as {
            handler: (event: unknown, context: unknown) => unknown;
          };
          obtainGc()();
          const diff = new memwatch.HeapDiff();
          for (let i = 0; i < MEMWATCH_CALLS; i++)
            await handler({ customerId: 'c-1', sku: `sku-${i}` }, { awsRequestId: `req-${i}` });
          obtainGc()();
          return (diff.end() as unknown as { change: { size_bytes: number } }).change.size_bytes;
        });
        const leaks = bytes > HEAP_FLOOR_BYTES_PER_INVOCATION * MEMWATCH_CALLS;
        seedVerdicts[file] = {
          ...seedVerdicts[file],
          memwatch: leaks ? 'leak' : 'pass',
          memwatchBytes: bytes,
        };
      },
      { ...once, iterations: 3 },
    );
  }
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The median run's invocations and settled checkpoints, and GC's share of the check's time. */
function costColumns(costs: SeedCost[]): Record<string, unknown> {
  if (costs.length === 0) return {};
  const at = (pick: (cost: SeedCost) => number) => median(costs.map(pick));
  return {
    invocations: at((c) => c.invocations),
    'settled checkpoints': at((c) => c.settledCheckpoints),
    'GC ms': Math.round(at((c) => c.gcMs)),
    'GC % of measurement': Math.round(at((c) => (100 * c.gcMs) / Math.max(1, c.measurementMs))),
  };
}

function targets(): Target[] {
  const list: Target[] = [];
  for (const file of Object.keys(CLEAN_HANDLERS))
    list.push(absoluteTarget(`clean handler CLI ${file}`, summary(`cli ${file}`), CLI_LIMIT_MS));
  const all = (tool: string) => Object.keys(SEED_HANDLERS).map((f) => summary(`${tool} ${f}`)?.p50 ?? NaN);
  const total = (tool: string) => {
    const values = all(tool);
    if (values.some(Number.isNaN)) return undefined;
    const sum = values.reduce((a, b) => a + b, 0);
    return { samples: values.length, mean: sum, p50: sum, p99: sum, min: sum, max: sum };
  };
  list.push(
    relativeTarget(
      'seed-shaped handlers inline, all 7 (sum of p50s)',
      total('warmleak'),
      total('memwatch'),
      `memwatch HeapDiff over ${MEMWATCH_CALLS} calls`,
      1,
    ),
  );
  return list;
}

afterAll(() => {
  const cliRows: Record<string, Record<string, unknown>> = {};
  for (const file of Object.keys(CLEAN_HANDLERS)) {
    const list = cliRuns[file] ?? [];
    const s = summary(`cli ${file}`);
    cliRows[file] = {
      'median s': s ? Math.round(s.p50) / 1000 : undefined,
      'max s': s ? Math.round(s.max) / 1000 : undefined,
      passes: `${list.filter((r) => r.verdict === 'pass').length}/${list.length}`,
      'heap phase ran': `${list.filter((r) => r.heapPhase).length}/${list.length}`,
      'median invocations': list.length ? median(list.map((r) => r.invocations)) : undefined,
      findings: [...new Set(list.flatMap((r) => r.findings))].join(', ') || '-',
    };
  }
  const seedRows: Record<string, Record<string, unknown>> = {};
  let rightWarmleak = 0;
  let rightMemwatch = 0;
  for (const [file, expected] of Object.entries(SEED_HANDLERS)) {
    const v = seedVerdicts[file] ?? {};
    if (v.warmleak === expected) rightWarmleak++;
    if (v.memwatch === expected) rightMemwatch++;
    seedRows[file] = {
      expected,
      'warmleak p50 ms': summary(`warmleak ${file}`)?.p50.toFixed(0),
      warmleak: v.warmleak,
      'memwatch p50 ms': summary(`memwatch ${file}`)?.p50.toFixed(0),
      memwatch: v.memwatch,
      'memwatch KB': v.memwatchBytes === undefined ? undefined : (v.memwatchBytes / 1024).toFixed(1),
      ...costColumns(seedCosts[file] ?? []),
    };
  }
  const list = targets();
  const path = writeResults(
    root,
    {
      targets: list,
      cli: { runs: CLI_RUNS, handlers: cliRuns },
      seeds: {
        verdicts: seedVerdicts,
        right: { warmleak: rightWarmleak, memwatch: rightMemwatch },
        costs: seedCosts,
      },
    },
    'time-to-verdict',
  );
  const seedCount = Object.keys(SEED_HANDLERS).length;
  console.log(
    [
      '',
      formatTable(`Clean handlers through the built CLI (${CLI_RUNS} runs each)`, cliRows),
      '',
      formatTable(
        `Seed-shaped handlers inline: warmleak right on ${rightWarmleak}/${seedCount}, memwatch on ${rightMemwatch}/${seedCount}`,
        seedRows,
      ),
      '',
      targetsTable(list).replace('Issue 16 targets', 'Issue 11 targets'),
      '',
      path,
    ].join('\n'),
  );
});
