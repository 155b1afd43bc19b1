// The shapes reporters read: the reports of one `warmleak check` run plus what could not be checked at all.
import type { Report } from '../types.js';

/** How an environment died before its check finished, in Lambda's words (`Runtime.OutOfMemory`). */
export interface EnvironmentFailure {
  errorType: 'Runtime.OutOfMemory' | 'Runtime.ExitError' | 'Sandbox.Timedout' | string;
  errorMessage: string;
  /** 0-based invocation that was running when the environment died; absent when it died while loading. */
  invocation?: number;
}

/**
 * A report as the CLI produces it. The extra fields are additions to the JSON contract (DESIGN.md allows
 * added fields): `error` when the environment died, `maxMemoryUsedMB` (peak resident memory of the
 * environment's process, as in Lambda's REPORT line) and `durationMs` (wall-clock time of the whole check).
 */
export interface CheckedReport extends Report {
  error?: EnvironmentFailure;
  maxMemoryUsedMB?: number;
  durationMs?: number;
  /** The template's name for the function (logical id, or Serverless function key) when it came from a template. */
  functionName?: string;
  /** The template that describes the function (`template.yaml`, `cdk.out/App.template.json`). */
  template?: string;
  /** The function's memory size and timeout as checked, when it came from a template. */
  memorySizeMB?: number;
  timeoutMs?: number;
}

/** A template function warmleak does not check (another language, a container image), as every reporter lists it. */
export interface SkippedFunctionEntry {
  name: string;
  template: string;
  /** `python3.12`, `container image`: why it is not checked. */
  runtime: string;
}

/** A handler that could not be checked at all: unreadable file, syntax error, missing export. */
export interface LoadFailure {
  handler: string;
  /** The template's name for the function, when the failure is about one function of a template. */
  functionName?: string;
  /** The typed error's name, e.g. `HandlerLoadError`. */
  errorType: string;
  message: string;
}

export interface ReporterOptions {
  /** Colour the output (text reporter only); the CLI sets it when stdout is a TTY. */
  color?: boolean;
  /** Directory that absolute paths are made relative to (GitHub annotations need repository paths). */
  cwd?: string;
  /** Handlers that could not be loaded; reporters that can express them do. */
  failures?: LoadFailure[];
  /** True when the command was given several handlers: JSON is then always an array. */
  several?: boolean;
  /** Template functions not checked, with the runtime (or `container image`) that is why. */
  skipped?: SkippedFunctionEntry[];
  /** Extra arguments to repeat in the "rerun" hint (`--invocations 500`). */
  rerunArgs?: string[];
  /** One handler's rerun words, when they differ by handler (an event function of the config); over `rerunArgs`. */
  reproduce?: (report: CheckedReport) => { args: string[]; note?: string };
}

/** Reporters only format reports; they never measure. */
export type Reporter = (reports: CheckedReport[], options?: ReporterOptions) => string;

export type ReporterName = 'text' | 'json' | 'junit' | 'github' | 'html' | 'markdown';
