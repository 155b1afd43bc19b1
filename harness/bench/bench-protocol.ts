// Messages between benchWarmCold's process mode and the child that hosts one environment (harness/bench/bench-worker.ts):
// the same child-process protocol as a check's (harness/isolation/protocol.ts), with its own requests and results.
import type { ErrorResponse } from '../isolation/protocol.js';
import type { EnvironmentOptions } from '../runtime/types.js';
import type { PhaseTiming } from './warm-cold.js';

/** Parent -> child: load the handler, invoke it once, and (for the warm phase) keep invoking it. */
export interface BenchRequest {
  type: 'bench';
  source: string;
  /** A plain value: functions cannot cross into the child. */
  event: unknown;
  environment: EnvironmentOptions;
  /** Null for a cold sample: the child exits after its first invocation. */
  warm: null | { timeMs: number; iterations: number; warmupIterations: number; keepSamples: boolean };
}

/** Child -> parent. `cold` is sent as soon as the first invocation returns, so the parent can time the whole start. */
export type BenchResponse =
  | {
      type: 'cold';
      handler: string;
      runtime: string;
      initDurationMs: number;
      firstInvocationMs: number;
      error: boolean;
    }
  | { type: 'warm'; timing: PhaseTiming; errors: number; samples: number[] | null }
  | ErrorResponse;
