// Cold versus warm duration of one handler, measured with tinybench in Lambda's terms (Init Duration, Duration,
// Billed Duration) and priced per million invocations at each memory size.
import { Bench } from 'tinybench';
import { UsageError } from '../errors.js';
import { type EventAt, eventAt } from '../events/index.js';
import { Environment } from '../runtime/environment.js';
import type { EnvironmentOptions, HandlerSource } from '../runtime/types.js';
import {
  coldBilledDurationMs,
  costPerMillion,
  DEFAULT_MEMORY_SIZES_MB,
  type LambdaPricing,
  X86_US_EAST_1_PRICING,
} from './cost.js';

export interface BenchWarmColdOptions {
  /** The event each invocation receives, or a function of the invocation index (default `{}`). */
  event?: EventAt<unknown>;
  /** Fresh environments to create, each a cold start plus its first invocation (default 10). */
  coldSamples?: number;
  /** Cold starts run and thrown away first, so the loader's own first-use costs are not counted (default 1). */
  coldWarmup?: number;
  /** Minimum time spent on warm invocations, in ms (default 500). */
  warmTimeMs?: number;
  /** Minimum number of warm invocations (default 64). */
  warmIterations?: number;
  /** Warm invocations run first and not counted, so lazy initialisation settles (default 16). */
  warmupIterations?: number;
  /** Memory sizes to price, in MB (default 128, 512, 1024). */
  memorySizesMB?: readonly number[];
  /** Prices (default x86, us-east-1). */
  pricing?: LambdaPricing;
  /** Bill Init Duration on cold starts, as Lambda does since August 2025 (default true). */
  billInit?: boolean;
  /** Options for each environment (runtime, timeout, env vars); memorySizeMB is set per priced size. */
  environment?: EnvironmentOptions;
}

/** Timing statistics of one phase, in milliseconds. `moe`/`rme` are tinybench's 95% margin of error. */
export interface PhaseTiming {
  mean: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
  /** Margin of error of the mean (ms), or null when not measured by tinybench. */
  moe: number | null;
  /** Relative margin of error (% of the mean), or null when not measured by tinybench. */
  rme: number | null;
  sampleCount: number;
}

export interface MemoryCost {
  memoryMB: number;
  warm: { billedDurationMs: number; costPerMillion: number };
  /** A cold invocation: Init Duration + first Duration billed together (unless billInit is false). */
  cold: { billedDurationMs: number; costPerMillion: number };
}

export interface WarmColdResult {
  handler: string;
  runtime: string;
  node: string;
  cold: {
    initDurationMs: PhaseTiming;
    firstInvocationMs: PhaseTiming;
    /** Init Duration + first invocation, per fresh environment. */
    totalMs: PhaseTiming;
  };
  warm: PhaseTiming;
  /** cold.totalMs.mean / warm.mean. */
  coldWarmRatio: number;
  /** Invocations that returned a Lambda error (the timings still count them, as Lambda bills them). */
  errors: { cold: number; warm: number };
  cost: MemoryCost[];
  pricing: LambdaPricing;
  /** Why these numbers differ from a deployed function's, in one line each. */
  notes: string[];
}

const NOTES = [
  'Durations are measured on this machine; Lambda allocates CPU in proportion to memory (one vCPU at 1,769 MB), so CPU-bound handlers run slower at small sizes.',
  'Init Duration here is loading the module into a fresh module instance, without downloading code or starting a runtime.',
];

/**
 * Benchmarks a handler cold and warm. Cold = a fresh environment (a fresh module instance for a file; a
 * function cannot be re-imported, so its Init Duration is only the wrapper's) plus its first invocation;
 * warm = later invocations of one environment. Timings are Lambda's own (Init Duration, Duration).
 */
export async function benchWarmCold(
  source: HandlerSource,
  options: BenchWarmColdOptions = {},
): Promise<WarmColdResult> {
  const coldSamples = wholeNumber('coldSamples', options.coldSamples ?? 10, 1);
  const coldWarmup = wholeNumber('coldWarmup', options.coldWarmup ?? 1, 0);
  const warmIterations = wholeNumber('warmIterations', options.warmIterations ?? 64, 1);
  const warmupIterations = wholeNumber('warmupIterations', options.warmupIterations ?? 16, 0);
  const warmTimeMs = options.warmTimeMs ?? 500;
  if (!(warmTimeMs >= 0)) throw new UsageError(`warmTimeMs must be >= 0, got ${warmTimeMs}`);
  const memorySizesMB = options.memorySizesMB ?? DEFAULT_MEMORY_SIZES_MB;
  if (memorySizesMB.length === 0 || memorySizesMB.some((mb) => !(mb >= 128 && mb <= 10_240))) {
    throw new UsageError(`memory sizes must be between 128 and 10240 MB, got ${memorySizesMB.join(', ')}`);
  }
  const pricing = options.pricing ?? X86_US_EAST_1_PRICING;
  const event = options.event ?? {};
  const environmentOptions = options.environment ?? {};

  // Cold: each iteration creates a fresh environment and invokes it once; disposal happens outside the timing.
  const initSamples: number[] = [];
  const firstSamples: number[] = [];
  let coldErrors = 0;
  let handlerId = typeof source === 'string' ? source : source.name || 'anonymous';
  let runtime = '';
  let toDispose: Environment | undefined;
  const cold = new Bench({
    time: 0,
    iterations: coldSamples,
    warmup: coldWarmup > 0,
    warmupIterations: coldWarmup,
    warmupTime: 0,
    throws: true,
  });
  let coldMode: 'run' | 'warmup' | undefined;
  cold.add(
    'cold',
    async () => {
      const environment = await Environment.create(source, environmentOptions);
      toDispose = environment;
      const result = await environment.invoke(eventAt(event, 0));
      const initMs = result.initDurationMs ?? environment.initDurationMs;
      if (coldMode === 'run') {
        handlerId = environment.handlerId;
        runtime = environment.runtime;
        initSamples.push(initMs);
        firstSamples.push(result.durationMs);
        if (result.error) coldErrors += 1;
      }
      return { overriddenDuration: initMs + result.durationMs };
    },
    {
      beforeAll: (mode) => {
        coldMode = mode;
      },
      afterEach: async () => {
        await toDispose?.dispose();
        toDispose = undefined;
      },
    },
  );
  await cold.run();

  // Warm: one environment, past its cold start, invoked again and again.
  let warmErrors = 0;
  let index = 1;
  let environment: Environment | undefined;
  const warm = new Bench({
    time: warmTimeMs,
    iterations: warmIterations,
    warmup: warmupIterations > 0,
    warmupIterations,
    warmupTime: 0,
    throws: true,
  });
  let warmMode: 'run' | 'warmup' | undefined;
  warm.add(
    'warm',
    async () => {
      const result = await (environment as Environment).invoke(eventAt(event, index++));
      if (warmMode === 'run' && result.error) warmErrors += 1;
      return { overriddenDuration: result.durationMs };
    },
    {
      beforeAll: async (mode) => {
        warmMode = mode;
        if (!environment) {
          environment = await Environment.create(source, environmentOptions);
          await environment.invoke(eventAt(event, 0));
        }
      },
    },
  );
  try {
    await warm.run();
  } finally {
    await environment?.dispose();
  }

  const coldResult = cold.getTask('cold')?.result;
  const warmResult = warm.getTask('warm')?.result;
  if (!coldResult?.latency || !warmResult?.latency) {
    throw new Error(`tinybench produced no result: ${coldResult?.error ?? warmResult?.error ?? 'unknown'}`);
  }
  const coldTotal = fromTinybench(coldResult.latency);
  const warmTiming = fromTinybench(warmResult.latency);
  const initDurationMs = describeSamples(initSamples);
  const firstInvocationMs = describeSamples(firstSamples);
  const billInit = options.billInit ?? true;
  return {
    handler: handlerId,
    runtime,
    node: process.version,
    cold: { initDurationMs, firstInvocationMs, totalMs: coldTotal },
    warm: warmTiming,
    coldWarmRatio: warmTiming.mean > 0 ? coldTotal.mean / warmTiming.mean : Number.POSITIVE_INFINITY,
    errors: { cold: coldErrors, warm: warmErrors },
    cost: memorySizesMB.map((memoryMB) =>
      priceAt(memoryMB, warmTiming.mean, initDurationMs.mean, firstInvocationMs.mean, billInit, pricing),
    ),
    pricing: { ...pricing },
    notes: [...NOTES],
  };
}

/** Prices the mean warm invocation and the mean cold one at one memory size. */
export function priceAt(
  memoryMB: number,
  warmMeanMs: number,
  initMeanMs: number,
  firstMeanMs: number,
  billInit: boolean,
  pricing: LambdaPricing,
): MemoryCost {
  const warm = costPerMillion(warmMeanMs, memoryMB, pricing);
  const coldBilled = coldBilledDurationMs(initMeanMs, firstMeanMs, billInit);
  const cold = costPerMillion(coldBilled, memoryMB, pricing);
  return {
    memoryMB,
    warm: { billedDurationMs: warm.billedDurationMs, costPerMillion: warm.costPerMillion },
    cold: { billedDurationMs: cold.billedDurationMs, costPerMillion: cold.costPerMillion },
  };
}

interface TinybenchLatency {
  mean: number;
  p50: number | undefined;
  p99: number | undefined;
  min: number;
  max: number;
  moe: number;
  rme: number;
  samples: number[];
}

function fromTinybench(latency: TinybenchLatency): PhaseTiming {
  return {
    mean: latency.mean,
    p50: latency.p50 ?? latency.mean,
    p99: latency.p99 ?? latency.max,
    min: latency.min,
    max: latency.max,
    moe: latency.moe,
    rme: latency.rme,
    sampleCount: latency.samples.length,
  };
}

/** Mean and percentiles of samples tinybench did not time itself (nearest-rank percentiles). */
export function describeSamples(samples: readonly number[]): PhaseTiming {
  if (samples.length === 0)
    return { mean: 0, p50: 0, p99: 0, min: 0, max: 0, moe: null, rme: null, sampleCount: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return {
    mean,
    p50: rank(0.5),
    p99: rank(0.99),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    moe: null,
    rme: null,
    sampleCount: sorted.length,
  };
}

function wholeNumber(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`${name} must be a whole number >= ${min}, got ${value}`);
  return value;
}

const ms = (value: number) =>
  value >= 100 ? `${value.toFixed(0)} ms` : value >= 1 ? `${value.toFixed(2)} ms` : `${value.toFixed(3)} ms`;
const pct = (value: number | null) => (value === null ? '' : `±${value.toFixed(1)}%`);
const dollars = (value: number) => `$${value.toFixed(4)}`;

/** A plain-text table of a result: timings first, then billed duration and cost per million at each size. */
export function formatWarmCold(result: WarmColdResult): string {
  const row = (cells: string[], widths: number[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const timingWidths = [16, 12, 12, 12, 8, 8];
  const timing = (name: string, t: PhaseTiming) =>
    row(
      [name, ms(t.mean), ms(t.p50), ms(t.p99), pct(t.rme), t.sampleCount.toLocaleString('en-US')],
      timingWidths,
    );
  const costWidths = [8, 13, 12, 13, 12];
  const lines = [
    `warmleak bench ${result.handler} (${result.runtime || 'lambda'} on Node ${result.node})`,
    row(['', 'mean', 'p50', 'p99', '±', 'samples'], timingWidths),
    timing('Init Duration', result.cold.initDurationMs),
    timing('first invocation', result.cold.firstInvocationMs),
    timing('cold total', result.cold.totalMs),
    timing('warm', result.warm),
    `cold / warm: ${result.coldWarmRatio.toFixed(1)}x`,
    '',
    row(['memory', 'billed warm', '$/1M warm', 'billed cold', '$/1M cold'], costWidths),
    ...result.cost.map((c) =>
      row(
        [
          `${c.memoryMB} MB`,
          `${c.warm.billedDurationMs} ms`,
          dollars(c.warm.costPerMillion),
          `${c.cold.billedDurationMs} ms`,
          dollars(c.cold.costPerMillion),
        ],
        costWidths,
      ),
    ),
    `Prices: $${result.pricing.pricePerGbSecond} per GB-second, $${(result.pricing.pricePerRequest * 1e6).toFixed(2)} per million requests.`,
  ];
  if (result.errors.cold + result.errors.warm > 0) {
    lines.push(
      `Errors: ${result.errors.cold} cold and ${result.errors.warm} warm invocations returned a Lambda error.`,
    );
  }
  lines.push(...result.notes.map((note) => `Note: ${note}`));
  return `${lines.join('\n')}\n`;
}
