// Options of one leak check run (`runCheck`, `expectNoStateLeak`, `warmleak check`).
import type { EnvironmentOptions, EventSource } from './runtime/types.js';
import type { FindingKind } from './types.js';

export interface CheckOptions extends EnvironmentOptions {
  /** The event each invocation receives: a value or a function of the invocation index. Defaults to `{}`. */
  event?: EventSource;
  /** Measured invocations after warm-up. Default 300. */
  invocations?: number;
  /** Invocations before the first checkpoint, so lazy initialisation settles. Default 20. */
  warmup?: number;
  /** Checkpoints spread across the measured invocations. Default 11. */
  checkpoints?: number;
  /** Names or paths whose growth is intentional (`'auditTrail'`, `'cache.entries'`). */
  allow?: Array<string | RegExp>;
  /** Which finding kinds to look for; defaults to every kind. */
  kinds?: FindingKind[];
  /** Heap growth above this many bytes per invocation (lower ci95 bound) is a leak. Default 32. */
  maxBytesPerInvocation?: number;
}
