// The environment-pool model fed with a handler's own measured durations instead of a guessed --handler-ms.

import { type SimulationOptions, type SimulationResult, simulatePool } from './simulate.js';
import { type BenchWarmColdOptions, benchWarmCold, type PhaseTiming } from './warm-cold.js';

/** At most this many warm durations go into the model: enough quantiles to keep the distribution's shape. */
export const MAX_DURATION_SAMPLES = 1000;

/** A short benchmark: the model needs a duration distribution, not a tight margin of error. */
export const MEASURE_DEFAULTS: Readonly<BenchWarmColdOptions> = Object.freeze({
  coldSamples: 5,
  coldWarmup: 1,
  warmTimeMs: 300,
  warmIterations: 64,
  warmupIterations: 16,
});

/** Where the model's handler durations came from, and which measured values it used. */
export interface MeasuredHandlerDuration {
  source: 'measured';
  handler: string;
  runtime: string;
  isolation: 'inline' | 'process';
  /** Warm invocations measured, and how many of their quantiles the model draws from. */
  warmSamples: number;
  handlerMsSamples: number;
  warm: PhaseTiming;
  initDurationMs: PhaseTiming;
  firstInvocationMs: PhaseTiming;
  /**
   * The cold-start cost the model adds before a cold request's own duration: mean Init Duration plus how much
   * longer the mean first invocation ran than the mean warm one (never negative).
   */
  measuredInitMs: number;
  /** The initMs the model used: measuredInitMs, unless the caller gave one. */
  initMsUsed: number;
  errors: { cold: number; warm: number };
}

export interface HandlerSimulationResult extends SimulationResult {
  handlerDuration: MeasuredHandlerDuration;
}

/**
 * Measures `source` (`file#export`, or a function) with a short benchWarmCold run and simulates the pool with its
 * warm durations (drawn at random with the seed) and its measured cold-start cost. `options.initMs`, when given,
 * overrides the measured cold-start cost; `options.memoryMB` also sets the benchmarked environment's memory size.
 */
export async function simulateHandler(
  source: Parameters<typeof benchWarmCold>[0],
  options: Omit<SimulationOptions, 'handlerMs'>,
  measure: BenchWarmColdOptions = {},
): Promise<HandlerSimulationResult> {
  const bench = await benchWarmCold(source, {
    ...MEASURE_DEFAULTS,
    ...measure,
    environment: { memorySizeMB: options.memoryMB, ...measure.environment },
    keepSamples: true,
  });
  const warmSamples = bench.samples?.warm ?? [];
  const handlerMs = quantiles(warmSamples, MAX_DURATION_SAMPLES);
  const measuredInitMs =
    bench.cold.initDurationMs.mean + Math.max(0, bench.cold.firstInvocationMs.mean - bench.warm.mean);
  const initMsUsed = options.initMs ?? measuredInitMs;
  const result = simulatePool({ ...options, handlerMs, initMs: initMsUsed });
  return {
    ...result,
    handlerDuration: {
      source: 'measured',
      handler: bench.handler,
      runtime: bench.runtime,
      isolation: bench.isolation,
      warmSamples: warmSamples.length,
      handlerMsSamples: handlerMs.length,
      warm: bench.warm,
      initDurationMs: bench.cold.initDurationMs,
      firstInvocationMs: bench.cold.firstInvocationMs,
      measuredInitMs,
      initMsUsed,
      errors: bench.errors,
    },
  };
}

/**
 * `count` evenly spaced quantiles of the samples (all of them, sorted, when there are no more than `count`), so a
 * fast handler's tens of thousands of warm durations keep their distribution without filling the JSON report.
 */
export function quantiles(samples: readonly number[], count: number): number[] {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length <= count) return sorted;
  return Array.from({ length: count }, (_, i) => sorted[Math.floor(((i + 0.5) * sorted.length) / count)]);
}
