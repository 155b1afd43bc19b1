// Messages between `warmleak check` and one environment's child process, and the child's progress file layout.
import type { HeapGrowthExplanation, SnapshotPair } from '../analysis/retainers.js';
import type { CheckOptions } from '../check-options.js';
import {
  HandlerLoadError,
  InvalidEventError,
  InvocationError,
  UsageError,
  type WarmleakError,
} from '../errors.js';
import type { EventProgram } from '../events/program.js';
import type { Report } from '../types.js';

/** Where a config's event function lives: the config file and the handler whose settings hold it. */
export interface ConfigEvent {
  /** Absolute path of the config file. */
  config: string;
  file: string;
  spec: string;
}

/** Parent -> child: run one check. Sent with `serialization: 'advanced'`, so RegExp allowances survive. */
export interface CheckRequest {
  type: 'check';
  source: string;
  options: Omit<CheckOptions, 'event' | 'events' | 'onInvocation' | 'onEvidence'> & { events?: EventProgram };
  /** An event function from a config file: the child loads the config itself and calls the function there. */
  configEvent?: ConfigEvent;
  /** File the child writes the current invocation into, so the parent knows where a dead child stopped. */
  progressFile: string;
  /** Directory for the harness's own files (heap snapshots) that the parent reads; absent: the child's tmpdir. */
  workDir?: string;
}

/**
 * Parent -> child: the answer to an `analyse-snapshots` request. The parent parses the snapshots, so their
 * tables never sit under the function's heap limit.
 */
export interface SnapshotAnalysis {
  type: 'snapshot-analysis';
  explanation?: HeapGrowthExplanation;
  /** Why the parent could not read the pair (the child then reports the heap finding without an explanation). */
  error?: string;
}

/**
 * Child -> parent: `ready` once loaded, `evidence` at a checkpoint where it changed (what was found so far), then one `report` or `error`; between
 * them, requests (`analyse-snapshots`) and news (`harness-work`) while the check runs.
 */
export type CheckResponse =
  /** The worker is loaded and waits for its request (a spare process is then ready to be taken). */
  | { type: 'ready' }
  | { type: 'evidence'; report: Report }
  | { type: 'report'; report: Report; maxMemoryUsedMB?: number }
  /** Both snapshot files are written: the parent analyses them and answers with `snapshot-analysis`. */
  | { type: 'analyse-snapshots'; pair: SnapshotPair }
  /**
   * The harness starts work of its own that makes no invocation progress (a heap snapshot): the parent's
   * timeout watch allows `ms` before the next sign of progress.
   */
  | { type: 'harness-work'; what: string; ms: number }
  | ErrorResponse;

/** Child -> parent, for check and bench alike: the child's error, typed by name, with Lambda's error if any. */
export interface ErrorResponse {
  type: 'error';
  name: string;
  message: string;
  stack?: string;
  lambdaError?: { errorType: string; errorMessage: string; trace: string[] };
}

/** What a child sends for an error it caught. */
export function errorResponse(error: unknown): ErrorResponse {
  const err = error instanceof Error ? error : new Error(String(error));
  const lambdaError = error instanceof InvocationError ? error.lambdaError : undefined;
  return { type: 'error', name: err.name, message: err.message, stack: err.stack, lambdaError };
}

/** The child's typed error, rebuilt so the CLI can tell a load failure (exit 2) from an internal bug. */
export function rebuildError(response: ErrorResponse): Error {
  const types: Record<string, new (message: string) => WarmleakError> = {
    HandlerLoadError,
    InvalidEventError,
    UsageError,
  };
  if (response.name === 'InvocationError') return new InvocationError(response.message, response.lambdaError);
  const Type = types[response.name];
  if (Type) return new Type(response.message);
  const error = new Error(response.message);
  error.name = response.name;
  error.stack = response.stack;
  return error;
}

/**
 * The progress file holds one little-endian Int32: the 1-based number of the invocation whose event was last
 * requested, 0 while the environment is loading. Writing it costs one pwrite and no allocation per invocation.
 */
export const PROGRESS_BYTES = 4;

/** The worker's argument when its handler is TypeScript: a spare registers tsx and starts its compiler while it waits. */
export const TYPESCRIPT_HANDLER_ARGUMENT = '--typescript-handler';
