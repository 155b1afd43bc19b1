// Cold versus warm duration of one handler, measured with tinybench in Lambda's terms (Init Duration, Duration,
// Billed Duration) and priced per million invocations at each memory size.
import { Bench } from 'tinybench';
import { UsageError } from '../errors.js';
import { type EventAt, eventAt } from '../events/index.js';
import { Environment } from '../runtime/environment.js';
import type { EnvironmentOptions, HandlerSource } from '../runtime/types.js';
import { benchInChild } from './bench-process.js';
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
  /**
   * 'inline' (default): environments are fresh module instances in this process. 'process': each cold sample is
   * a fresh Node.js process (process start + module load + first invocation), and warm invocations run inside
   * one more child. Process mode needs a file source and a plain event value.
   */
  isolation?: BenchIsolation;
  /** Keep the raw samples in `result.samples` (for `simulateHandler`; off by default to keep the JSON small). */
  keepSamples?: boolean;
}

export type BenchIsolation = 'inline' | 'process';

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
  /** Where the environments ran: fresh module instances here, or fresh processes. */
  isolation: BenchIsolation;
  cold: {
    initDurationMs: PhaseTiming;
    firstInvocationMs: PhaseTiming;
    /** Init Duration + first invocation, per fresh environment. */
    totalMs: PhaseTiming;
    /** Process mode: from forking the child to its first invocation's response, seen from the parent. */
    wallClockMs?: PhaseTiming;
    /** Process mode: wallClockMs - Init Duration - first invocation (starting Node, the runtime's own imports, IPC). */
    processStartMs?: PhaseTiming;
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
  /** The raw samples (ms), only with `keepSamples: true`. */
  samples?: { initDurationMs: number[]; firstInvocationMs: number[]; warm: number[] };
}

const CPU_NOTE =
  'Durations are measured on this machine; Lambda allocates CPU in proportion to memory (one vCPU at 1,769 MB), so CPU-bound handlers run slower at small sizes.';
const NOTES: Record<BenchIsolation, string[]> = {
  inline: [
    CPU_NOTE,
    'Init Duration here is loading the module into a fresh module instance, without downloading code or starting a runtime.',
  ],
  process: [
    CPU_NOTE,
    "Init Duration here is loading the module in a fresh Node.js process, measured inside it; the wall-clock cold start adds starting Node (with tsx's loader for TypeScript) and warmleak's runtime, but not downloading code.",
  ],
};

/** The options checked and defaulted once, for both phases. */
interface BenchSettings {
  coldSamples: number;
  coldWarmup: number;
  memorySizesMB: readonly number[];
  isolation: BenchIsolation;
  pricing: LambdaPricing;
  event: EventAt<unknown>;
  environment: EnvironmentOptions;
  warm: WarmPhaseOptions;
}

/** What the cold phase measured: Lambda's figures per sample, and tinybench's total. */
interface ColdPhaseResult {
  handler: string;
  runtime: string;
  initSamples: number[];
  firstSamples: number[];
  wallClockSamples: number[];
  errors: number;
  total: PhaseTiming;
}

function benchSettings(source: HandlerSource, options: BenchWarmColdOptions): BenchSettings {
  const warmTimeMs = options.warmTimeMs ?? 500;
  if (!(warmTimeMs >= 0)) throw new UsageError(`warmTimeMs must be >= 0, got ${warmTimeMs}`);
  const memorySizesMB = options.memorySizesMB ?? DEFAULT_MEMORY_SIZES_MB;
  if (memorySizesMB.length === 0 || memorySizesMB.some((mb) => !(mb >= 128 && mb <= 10_240))) {
    throw new UsageError(`memory sizes must be between 128 and 10240 MB, got ${memorySizesMB.join(', ')}`);
  }
  const isolation = options.isolation ?? 'inline';
  if (isolation !== 'inline' && isolation !== 'process') {
    throw new UsageError(`isolation must be 'inline' or 'process', got ${String(isolation)}`);
  }
  const event = options.event ?? {};
  if (isolation === 'process') checkProcessInputs(source, event);
  return {
    coldSamples: wholeNumber('coldSamples', options.coldSamples ?? 10, 1),
    coldWarmup: wholeNumber('coldWarmup', options.coldWarmup ?? 1, 0),
    memorySizesMB,
    isolation,
    pricing: options.pricing ?? X86_US_EAST_1_PRICING,
    event,
    environment: options.environment ?? {},
    warm: {
      timeMs: warmTimeMs,
      iterations: wholeNumber('warmIterations', options.warmIterations ?? 64, 1),
      warmupIterations: wholeNumber('warmupIterations', options.warmupIterations ?? 16, 0),
      keepSamples: options.keepSamples ?? false,
    },
  };
}

function checkProcessInputs(source: HandlerSource, event: EventAt<unknown>): void {
  if (typeof source !== 'string') {
    throw new UsageError(
      "isolation 'process' needs a handler file ('src/handler.ts#handler'): a function cannot cross into a child process",
    );
  }
  if (typeof event === 'function') {
    throw new UsageError(
      "isolation 'process' needs a plain event value, not a function of the invocation index",
    );
  }
}

interface ColdSample {
  handler: string;
  runtime: string;
  initMs: number;
  firstMs: number;
  error: boolean;
}

/** One cold start, inline: a fresh environment and its first invocation; disposal happens outside the timing. */
async function coldInline(source: HandlerSource, settings: BenchSettings, keep: (e: Environment) => void) {
  const environment = await Environment.create(source, settings.environment);
  keep(environment);
  const result = await environment.invoke(eventAt(settings.event, 0));
  const sample: ColdSample = {
    handler: environment.handlerId,
    runtime: environment.runtime,
    initMs: result.initDurationMs ?? environment.initDurationMs,
    firstMs: result.durationMs,
    error: result.error !== undefined,
  };
  return { sample, wallClockMs: undefined };
}

/** One cold start in a fresh child process, waited for (exited) inside the task. */
async function coldInProcess(source: string, settings: BenchSettings) {
  const { wallClockMs, cold } = await benchInChild(
    { type: 'bench', source, event: settings.event, environment: settings.environment, warm: null },
    settings.environment,
  );
  const sample: ColdSample = {
    handler: cold.handler,
    runtime: cold.runtime,
    initMs: cold.initDurationMs,
    firstMs: cold.firstInvocationMs,
    error: cold.error,
  };
  return { sample, wallClockMs };
}

/** Cold: each iteration creates a fresh environment and invokes it once; tinybench keeps Lambda's figure. */
async function coldPhase(source: HandlerSource, settings: BenchSettings): Promise<ColdPhaseResult> {
  const phase: Omit<ColdPhaseResult, 'total'> = {
    handler: typeof source === 'string' ? source : source.name || 'anonymous',
    runtime: '',
    initSamples: [],
    firstSamples: [],
    wallClockSamples: [],
    errors: 0,
  };
  let toDispose: Environment | undefined;
  let coldMode: 'run' | 'warmup' | undefined;
  const cold = new Bench({
    time: 0,
    iterations: settings.coldSamples,
    warmup: settings.coldWarmup > 0,
    warmupIterations: settings.coldWarmup,
    warmupTime: 0,
    throws: true,
  });
  const task = async () => {
    const { sample, wallClockMs } =
      settings.isolation === 'process'
        ? await coldInProcess(source as string, settings)
        : await coldInline(source, settings, (environment) => {
            toDispose = environment;
          });
    if (coldMode === 'run') recordCold(phase, sample, wallClockMs);
    return { overriddenDuration: sample.initMs + sample.firstMs };
  };
  cold.add('cold', task, {
    beforeAll: (mode) => {
      coldMode = mode;
    },
    afterEach: async () => {
      await toDispose?.dispose();
      toDispose = undefined;
    },
  });
  await cold.run();
  const result = cold.getTask('cold')?.result;
  if (!result?.latency) throw new Error(`tinybench produced no result: ${result?.error ?? 'unknown'}`);
  return { ...phase, total: fromTinybench(result.latency) };
}

function recordCold(phase: Omit<ColdPhaseResult, 'total'>, sample: ColdSample, wallClockMs?: number): void {
  phase.handler = sample.handler;
  phase.runtime = sample.runtime;
  phase.initSamples.push(sample.initMs);
  phase.firstSamples.push(sample.firstMs);
  if (wallClockMs !== undefined) phase.wallClockSamples.push(wallClockMs);
  if (sample.error) phase.errors += 1;
}

/** Warm: one environment, past its cold start, invoked again and again (in a child of its own in process mode). */
async function warmPhase(source: HandlerSource, settings: BenchSettings): Promise<WarmPhaseResult> {
  const { event, environment: environmentOptions, warm } = settings;
  if (settings.isolation === 'process') {
    const child = await benchInChild(
      { type: 'bench', source: source as string, event, environment: environmentOptions, warm },
      environmentOptions,
    );
    if (!child.warm) throw new Error('warmleak: the warm child exited without its timings');
    return child.warm;
  }
  const environment = await Environment.create(source, environmentOptions);
  try {
    await environment.invoke(eventAt(event, 0));
    return await benchWarmPhase(environment, event, warm);
  } finally {
    await environment.dispose();
  }
}

/**
 * Benchmarks a handler cold and warm. Cold = a fresh environment (inline: a fresh module instance for a file, and
 * for a function, which cannot be re-imported, only the wrapper's Init Duration; process: a fresh Node.js process)
 * plus its first invocation; warm = later invocations of one environment. Timings are Lambda's own (Init Duration,
 * Duration).
 */
export async function benchWarmCold(
  source: HandlerSource,
  options: BenchWarmColdOptions = {},
): Promise<WarmColdResult> {
  const settings = benchSettings(source, options);
  const cold = await coldPhase(source, settings);
  const warm = await warmPhase(source, settings);
  return warmColdResult(cold, warm, settings, options);
}

function warmColdResult(
  cold: ColdPhaseResult,
  warmPhaseResult: WarmPhaseResult,
  settings: BenchSettings,
  options: BenchWarmColdOptions,
): WarmColdResult {
  const { isolation, pricing } = settings;
  const warm = warmPhaseResult.timing;
  const initDurationMs = describeSamples(cold.initSamples);
  const firstInvocationMs = describeSamples(cold.firstSamples);
  const billInit = options.billInit ?? true;
  const coldTimings: WarmColdResult['cold'] = { initDurationMs, firstInvocationMs, totalMs: cold.total };
  if (isolation === 'process') {
    coldTimings.wallClockMs = describeSamples(cold.wallClockSamples);
    coldTimings.processStartMs = describeSamples(
      cold.wallClockSamples.map((wall, i) => Math.max(0, wall - cold.initSamples[i] - cold.firstSamples[i])),
    );
  }
  const result: WarmColdResult = {
    handler: cold.handler,
    runtime: cold.runtime,
    node: process.version,
    isolation,
    cold: coldTimings,
    warm,
    coldWarmRatio: warm.mean > 0 ? cold.total.mean / warm.mean : Number.POSITIVE_INFINITY,
    errors: { cold: cold.errors, warm: warmPhaseResult.errors },
    cost: settings.memorySizesMB.map((memoryMB) =>
      priceAt(memoryMB, warm.mean, initDurationMs.mean, firstInvocationMs.mean, billInit, pricing),
    ),
    pricing: { ...pricing },
    notes: [...NOTES[isolation]],
  };
  if (options.keepSamples) {
    result.samples = {
      initDurationMs: cold.initSamples,
      firstInvocationMs: cold.firstSamples,
      warm: warmPhaseResult.samples ?? [],
    };
  }
  return result;
}

export interface WarmPhaseOptions {
  /** Minimum time spent on counted invocations (ms). */
  timeMs: number;
  /** Minimum number of counted invocations. */
  iterations: number;
  /** Invocations run first and not counted. */
  warmupIterations: number;
  /** Return every counted duration, not only their statistics. */
  keepSamples: boolean;
}

export interface WarmPhaseResult {
  timing: PhaseTiming;
  /** Counted invocations that returned a Lambda error. */
  errors: number;
  samples: number[] | null;
}

/**
 * Times warm invocations of an environment that has had its first invocation, with tinybench; each sample is the
 * invocation's own Duration. Shared by the inline mode and the process mode's child.
 */
export async function benchWarmPhase(
  environment: Environment,
  event: EventAt<unknown>,
  options: WarmPhaseOptions,
): Promise<WarmPhaseResult> {
  let errors = 0;
  let index = 1;
  const warm = new Bench({
    time: options.timeMs,
    iterations: options.iterations,
    warmup: options.warmupIterations > 0,
    warmupIterations: options.warmupIterations,
    warmupTime: 0,
    throws: true,
  });
  let mode: 'run' | 'warmup' | undefined;
  warm.add(
    'warm',
    async () => {
      const result = await environment.invoke(eventAt(event, index++));
      if (mode === 'run' && result.error) errors += 1;
      return { overriddenDuration: result.durationMs };
    },
    {
      beforeAll: (phase) => {
        mode = phase;
      },
    },
  );
  await warm.run();
  const latency = warm.getTask('warm')?.result?.latency;
  if (!latency)
    throw new Error(`tinybench produced no result: ${warm.getTask('warm')?.result?.error ?? 'unknown'}`);
  return {
    timing: fromTinybench(latency),
    errors,
    samples: options.keepSamples ? [...latency.samples] : null,
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
    `warmleak bench ${result.handler} (${result.runtime || 'lambda'} on Node ${result.node}${result.isolation === 'process' ? ', a process per environment' : ''})`,
    row(['', 'mean', 'p50', 'p99', '±', 'samples'], timingWidths),
    timing('Init Duration', result.cold.initDurationMs),
    timing('first invocation', result.cold.firstInvocationMs),
    timing('cold total', result.cold.totalMs),
    ...(result.cold.wallClockMs ? [timing('cold wall clock', result.cold.wallClockMs)] : []),
    ...(result.cold.processStartMs ? [timing('process start', result.cold.processStartMs)] : []),
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
