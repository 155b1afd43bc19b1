// One leak check: load an environment, warm it up, invoke it with checkpoints, analyse, return a report.
import { anyGrowing, growthFindings } from './analysis/findings.js';
import { memoryForecast } from './analysis/forecast.js';
import { HEAP_FLOOR_BYTES_PER_INVOCATION } from './analysis/heap.js';
import { explainsHeap, heapAnalysis, heapFinding, withExplanation } from './analysis/heap-verdict.js';
import { explainHeapGrowth } from './analysis/retainers.js';
import { SeriesBook } from './analysis/series-book.js';
import { tmpFindings } from './analysis/tmp-verdict.js';
import { type CheckOptions, warnUnknownOptions } from './check-options.js';
import { InvocationError, UsageError } from './errors.js';
import { eventAt } from './events/index.js';
import { eventOf, programOf } from './events/program.js';
import { createProbes } from './probes/index.js';
import { Environment } from './runtime/environment.js';
import { setupTestDoubles } from './runtime/test-doubles.js';
import type { HandlerSource } from './runtime/types.js';
import type { FindingKind, Probe, ProbeTarget, Report } from './types.js';

export const CHECK_DEFAULTS = { invocations: 500, warmup: 20, checkpoints: 11 } as const;

/** Issue 4's target: below 100 B/invocation within 2,000 invocations. */
const HEAP_CONFIRMATION_INVOCATIONS = 2000;
const HEAP_PHASE_BUDGET_MS = 20_000;
/** The snapshot pair that names what grows runs as many invocations as fit this (200 at most). */
const EXPLANATION_BUDGET_MS = 10_000;
/** Heap growth left when test doubles are cut out, below this share of the slope, is theirs (see the note). */
const TEST_DOUBLE_RESIDUAL = 0.2;
/** Fewer heap-phase invocations than this leave a slope within one call's garbage: no heap verdict. */
const MIN_HEAP_PHASE_INVOCATIONS = 200;
/** GC-settled samples per heap phase: more points narrow the slope's interval (issue 4: <100 B in 2,000). */
const HEAP_CHECKPOINTS = 21;

/** Warm invocations slower than this shrink the default run to about SLOW_BUDGET_MS, never below MIN_INVOCATIONS. */
const SLOW_INVOCATION_MS = 20;
const SLOW_BUDGET_MS = 5_000;
const MIN_INVOCATIONS = 8;

/** Kinds whose growth may be a cache filling towards a cap: a confirmation phase tells them apart. */
const CACHE_LIKE: ReadonlySet<FindingKind> = new Set(['state', 'global', 'listener']);

function positiveInteger(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

/** Runs one check and returns its report; the environment and everything it left running are cleaned up. */
export async function runCheck(source: HandlerSource, options: CheckOptions = {}): Promise<Report> {
  warnUnknownOptions(options);
  let invocations = positiveInteger('invocations', options.invocations, CHECK_DEFAULTS.invocations, 2);
  let warmup = positiveInteger('warmup', options.warmup, CHECK_DEFAULTS.warmup, 0);
  let checkpoints = Math.min(
    positiveInteger('checkpoints', options.checkpoints, CHECK_DEFAULTS.checkpoints, 3),
    invocations + 1,
  );
  const program = programOf(options.event, options.events, options.projectRoot ?? process.cwd());
  const eventFor = program
    ? (i: number) => eventOf(program, i)
    : (i: number) => eventAt(options.event as (index: number) => unknown, i);
  const env = await Environment.create(source, options);
  // Mocks a setup file registered are the environment's, not the spec's: their history is cleared at checkpoints.
  const doubles = options.setupFiles?.length ? await setupTestDoubles(env.projectRoot) : [];
  const target: ProbeTarget = {
    get handler() {
      return env.handler;
    },
    file: env.file,
    projectRoot: env.projectRoot,
    tmpDir: env.tmpDir,
  };
  const probes = createProbes(options.kinds);
  const hooked = probes.filter((p) => p.invocationStarted || p.invocationEnded);
  const heapInvocations = Math.max(HEAP_CONFIRMATION_INVOCATIONS, invocations * 4);
  const durations = new Float64Array(invocations * 3 + 2 * heapInvocations);
  let index = 0;
  let measured = 0;
  let firstInvocationMs = 0;
  let lastDurationMs = 0;
  const { onInvocation } = options;

  const invoke = async (): Promise<void> => {
    onInvocation?.(index);
    for (const p of hooked) p.invocationStarted?.(index);
    const result = await env.invoke(eventFor(index));
    for (const p of hooked) p.invocationEnded?.(index);
    if (result.error) {
      const why = result.timedOut
        ? `${result.error.errorMessage}; raise the timeout or find what never settles`
        : index === 0 && !result.error.errorType.startsWith('Runtime.')
          ? `${result.error.errorType}: ${result.error.errorMessage} (pass the event it expects: the event option or --event)`
          : `${result.error.errorType}: ${result.error.errorMessage}`;
      throw new InvocationError(`${env.handlerId} failed on invocation ${index + 1}: ${why}`, result.error);
    }
    lastDurationMs = result.durationMs;
    if (index === 0) firstInvocationMs = result.durationMs;
    else if (index >= warmup && measured < durations.length) durations[measured++] = result.durationMs;
    index++;
  };

  const confirmationCheckpoints = Math.ceil(checkpoints / 2) + 1;
  const book = new SeriesBook(checkpoints + confirmationCheckpoints + 2 * HEAP_CHECKPOINTS);
  const heapProbes = probes.filter((p) => p.name === 'heap');
  const sample = async (x: number, only = probes): Promise<void> => {
    for (const probe of probes) probe.compact?.();
    for (const double of doubles) double.resetHistory();
    book.checkpoint(x);
    for (const probe of only) book.record(await probe.sample(target));
  };

  /** Runs `count` invocations with `points` checkpoints spread across them, the first before any. */
  const phase = async (count: number, points: number, sampleFirst: boolean, only = probes): Promise<void> => {
    let done = 0;
    for (let k = 0; k < points; k++) {
      const until = Math.round((count * k) / (points - 1));
      while (done < until) {
        await invoke();
        done++;
      }
      if (k > 0 || sampleFirst) await sample(index, only);
    }
  };

  const started: Probe[] = [];
  const notes: string[] = [];
  try {
    for (const probe of probes) {
      await probe.start?.(target);
      started.push(probe);
    }
    for (let i = 0; i < warmup; i++) {
      await invoke();
      if (index === 2 && lastDurationMs > SLOW_INVOCATION_MS) {
        // A slow handler (a browser launched per call) gets a run that fits the time budget, unless told otherwise.
        if (options.warmup === undefined) warmup = Math.min(warmup, 2);
        if (options.invocations === undefined) {
          invocations = Math.max(
            MIN_INVOCATIONS,
            Math.min(invocations, Math.floor(SLOW_BUDGET_MS / lastDurationMs)),
          );
          checkpoints = Math.min(checkpoints, invocations + 1);
        }
      }
    }
    await phase(invocations, checkpoints, true);
    let confirmationStartX: number | undefined;
    let heap = heapAnalysis(book, options);
    if (heap.leaking || anyGrowing(book, CACHE_LIKE)) {
      // Growth so far may be a cache still filling towards its cap, or one-off heap growth: run longer, look again.
      confirmationStartX = index;
      await phase(invocations * 2, confirmationCheckpoints, false);
      heap = heapAnalysis(book, options, confirmationStartX);
    }
    const grown = growthFindings(book, { allow: options.allow, confirmationStartX });
    const { allowed } = grown;
    const findings = tmpFindings(grown.findings);
    const explained = explainsHeap([...findings, ...allowed]);
    const allowedBytes = options.maxBytesPerInvocation ?? HEAP_FLOOR_BYTES_PER_INVOCATION;
    // A short phase's interval is wide: a slope above the allowance is reason enough to look longer.
    const heapSuspect = heap.leaking || heap.report.bytesPerInvocation > allowedBytes;
    // Later checkpoints sample the heap only: handle and listener totals end here.
    const allProbesUntilX = index;
    if (heapSuspect && !explained) {
      // Tens of bytes per invocation are within a short run's noise (a Map rehashing, code being optimised):
      // an unexplained heap leak must hold over a long run of its own before it is reported.
      const heapStartX = index;
      const count = affordable(heapInvocations, invocations * 4, durations.subarray(0, measured));
      if (count < MIN_HEAP_PHASE_INVOCATIONS) {
        // A slow handler cannot run enough invocations in the time budget for a heap slope to be trusted: a
        // browser launch leaves megabytes of garbage per call. Its named probes still speak for it.
        heap = { ...heap, leaking: false };
        notes.push(
          `heap inconclusive: ${count} invocations fit the time budget, ${MIN_HEAP_PHASE_INVOCATIONS} needed`,
        );
      } else {
        // Only the heap is sampled here: the other probes' walks would add their own garbage to what it measures.
        await phase(count, HEAP_CHECKPOINTS, false, heapProbes);
        heap = heapAnalysis(book, options, heapStartX);
        if (heap.leaking) {
          // Once more, as long again: a library cache or the runner's own work can take thousands of invocations
          // to settle (undici under fetch flattens after ~3,000), a leak keeps its pace.
          const first = heap.report.bytesPerInvocation;
          const secondStartX = index;
          await phase(count, HEAP_CHECKPOINTS, false, heapProbes);
          const second = heapAnalysis(book, options, secondStartX);
          heap = second.report.bytesPerInvocation >= first * 0.5 ? second : { ...second, leaking: false };
        }
      }
    }
    const heapLeak = explained ? undefined : heapFinding(heap, findings);
    if (heapLeak) {
      // Name what grows and who holds it: two heap snapshots around a short extra run.
      const explanation = await explainHeapGrowth(
        async (n) => {
          for (let i = 0; i < n; i++) await invoke();
        },
        { invocations: affordable(200, 10, durations.subarray(0, measured), EXPLANATION_BUDGET_MS) },
      );
      // A spec's mock (aws-sdk-client-mock, jest.fn) records every call: growth only it keeps is the test's own.
      // What remains without it is compared with a share of the slope, not only the floor, because the snapshot
      // pair also sees one-off tooling work (a test runner decoding a source map for a stack) amortised over it.
      const own = explanation.bytesPerInvocationWithoutTestDoubles;
      const slope = heap.report.bytesPerInvocation;
      if (own !== undefined && own <= Math.max(allowedBytes, slope * TEST_DOUBLE_RESIDUAL)) {
        notes.push(
          `heap +${Math.round(slope)} B/invocation held by test doubles' call history, ~${Math.max(0, Math.round(own))} B/invocation without them (a mocked client records every call; reset its history to measure the handler alone)`,
        );
      } else findings.push(withExplanation(heapLeak, explanation));
    }
    const warm = durations.subarray(0, measured);
    const failedKinds = new Set(findings.map((finding) => finding.kind));
    return {
      verdict: findings.length > 0 ? 'leak' : 'pass',
      handler: env.handlerId,
      invocations: index,
      findings,
      heap: heap.report,
      timing: {
        initMs: env.initDurationMs,
        firstInvocationMs,
        warm: warmTiming(warm),
        warmQuantiles: warmQuantiles(warm),
      },
      checked: [...probes.map((p) => p.name), ...notes],
      passed: probes.filter((p) => !p.kinds.some((kind) => failedKinds.has(kind))).map((p) => p.name),
      plan: { warmup, invocations, checkpoints },
      resources: {
        handles: book.totalOf('handle', allProbesUntilX),
        listeners: book.totalOf('listener', allProbesUntilX),
      },
      forecast: memoryForecast(heap.report, { memorySizeMB: options.memorySizeMB, allowedBytes }),
    };
  } finally {
    for (const probe of started.reverse()) await probe.stop?.(target);
    await env.dispose();
  }
}

/** A slow handler (a browser per call) gets a shorter heap phase: as many invocations as fit the time budget. */
function affordable(
  wanted: number,
  least: number,
  durations: Float64Array,
  budgetMs = HEAP_PHASE_BUDGET_MS,
): number {
  let sum = 0;
  for (const d of durations) sum += d;
  const meanMs = durations.length > 0 ? sum / durations.length : 0;
  if (meanMs * wanted <= budgetMs) return wanted;
  return Math.max(least, Math.floor(budgetMs / meanMs));
}

/** Every 5% of the warm-duration distribution, plus the tail a p99 hides. */
const WARM_QUANTILES = [...Array.from({ length: 20 }, (_, i) => i / 20), 0.99, 0.999, 1];

/** [quantile, ms] at each of WARM_QUANTILES, with the same rank rule as warmTiming's p50 and p99. */
function warmQuantiles(durations: Float64Array): Array<[number, number]> {
  if (durations.length === 0) return [];
  const sorted = Float64Array.from(durations).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return WARM_QUANTILES.map((q) => [q, Math.round(at(q) * 1000) / 1000]);
}

function warmTiming(durations: Float64Array): Report['timing']['warm'] {
  if (durations.length === 0) return { p50: 0, p99: 0, mean: 0 };
  const sorted = Float64Array.from(durations).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  let sum = 0;
  for (const d of sorted) sum += d;
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return { p50: round(at(0.5)), p99: round(at(0.99)), mean: round(sum / sorted.length) };
}
