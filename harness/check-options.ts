// Options of one leak check run (`runCheck`, `expectNoStateLeak`, `warmleak check`), and the warning for a typo in one.
import { closestName } from './closest-name.js';
import type { EventProgram } from './events/program.js';
import type { EnvironmentOptions, EventSource } from './runtime/types.js';
import type { FindingKind, Report } from './types.js';

export interface CheckOptions extends EnvironmentOptions {
  /** The event each invocation receives: a value or a function of the invocation index. Defaults to `{}`. */
  event?: EventSource;
  /**
   * Events replayed in order and cycled: a JSON array, JSON Lines file or folder of .json files (relative to the
   * project root), or an array. String values may hold generators: `{{uuid}}`, `{{seq}}`, `{{int 1 9}}`,
   * `{{pick a b}}`, also inside longer strings (`"user-{{seq}}"`). Instead of `event`. (A compiled program is
   * what the CLI hands an environment's process.)
   */
  events?: string | readonly unknown[] | EventProgram;
  /** Also report module-scope variables still holding request data after their invocation ended. */
  strict?: boolean;
  /** @internal told the 0-based index of each invocation about to start (the process worker's progress mark). */
  onInvocation?: (index: number) => void;
  /** @internal handed what has been found so far at each checkpoint where it changed (so a process that dies keeps its evidence). */
  onEvidence?: (report: Report) => void;
  /** Measured invocations after warm-up. Default 500 (a slow handler gets about 5 s worth, at least 8). */
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

/** Every option's name; typed so that an option added to CheckOptions must be added here too. */
const OPTION_NAMES: Record<keyof CheckOptions, true> = {
  event: true,
  events: true,
  strict: true,
  onInvocation: true,
  onEvidence: true,
  invocations: true,
  warmup: true,
  checkpoints: true,
  allow: true,
  kinds: true,
  maxBytesPerInvocation: true,
  runtime: true,
  timeoutMs: true,
  memorySizeMB: true,
  functionName: true,
  region: true,
  fresh: true,
  projectRoot: true,
  env: true,
  setupFiles: true,
  interceptExit: true,
  echoLogs: true,
};

/**
 * An option name that is not one (`{ invocation: 10 }`) would silently check with the default: warn, naming the
 * closest option. A warning, not an error, so that options from a newer warmleak do not break an older one.
 */
export function warnUnknownOptions(options: object): void {
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(OPTION_NAMES, key)) continue;
    const near = closestName(key, Object.keys(OPTION_NAMES));
    process.emitWarning(
      `unknown option "${key}" is ignored${near ? `; did you mean "${near}"?` : `; options are ${Object.keys(OPTION_NAMES).join(', ')}`}`,
      { type: 'WarmleakWarning', code: 'WARMLEAK_UNKNOWN_OPTION' },
    );
  }
}
