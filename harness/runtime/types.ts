// The shapes of the Lambda emulation: what an environment is loaded from, and what an invocation returns.
import type { Context } from 'aws-lambda';

/** Lambda's Node.js runtime identifiers; they differ in how callback handlers are treated. */
export type LambdaRuntime = 'nodejs20.x' | 'nodejs22.x' | 'nodejs24.x';

/** A function already imported by a spec, or `path/to/file.ts#export` (export defaults to `handler`). */
export type HandlerSource = Function | string;

/** A value, or a function of the invocation index (0-based) that returns one. */
export type EventSource = unknown | ((index: number) => unknown);

export interface EnvironmentOptions {
  /** Defaults to the runtime matching the Node version running warmleak. */
  runtime?: LambdaRuntime;
  /** Lambda's default: 3000 ms. */
  timeoutMs?: number;
  /** Lambda's default: 128 MB. */
  memorySizeMB?: number;
  functionName?: string;
  region?: string;
  /** Re-create the module for every invocation, the way local emulators do (hides warm-state bugs). */
  fresh?: boolean;
  /** Directory module paths are reported relative to; defaults to process.cwd(). */
  projectRoot?: string;
  /** Extra environment variables for the function's configuration. */
  env?: Record<string, string>;
  /**
   * Modules loaded into the environment before the handler (relative to the project root), once per environment:
   * where a test registers aws-sdk-client-mock, msw or undici's MockAgent.
   */
  setupFiles?: string[];
  /**
   * Turn `process.exit` from the handler into Runtime.ExitError and a reset (default), so that it cannot end the
   * caller's process. A worker that is itself the environment's process passes false and lets the exit happen.
   */
  interceptExit?: boolean;
  /** Where console output goes: captured into the transcript only (default), or also echoed. */
  echoLogs?: boolean;
}

/** Lambda's error shape, as in a failed invocation's response payload. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export type LogLevel = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG' | 'TRACE' | 'FATAL';

export interface InvocationResult {
  requestId: string;
  /** 0-based index of this invocation within the environment's life (across resets). */
  index: number;
  /** True when this invocation paid a cold start (first one, or after a reset). */
  coldStart: boolean;
  /** The handler's response, when it succeeded. */
  response?: unknown;
  error?: LambdaError;
  timedOut: boolean;
  durationMs: number;
  billedDurationMs: number;
  /** Present on a cold start only, as in Lambda's REPORT line. */
  initDurationMs?: number;
  maxMemoryUsedMB: number;
  /** The invocation's transcript: START, the function's log lines, END, REPORT. */
  logLines: string[];
  /** Status and headers a streaming handler set with `awslambda.HttpResponseStream.from`. */
  responseMetadata?: { statusCode?: number; headers?: Record<string, string>; cookies?: string[] };
}

export type LambdaContext = Context;
