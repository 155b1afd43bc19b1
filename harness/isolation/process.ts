// Process isolation, the parent side: forks one environment per check, watches its progress, and words how it died.
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { explainSnapshots, type SnapshotPair } from '../analysis/retainers.js';
import type { CheckOptions } from '../check-options.js';
import { UsageError } from '../errors.js';
import { programOf } from '../events/program.js';
import type { CheckedReport, EnvironmentFailure } from '../reporters/types.js';
import { splitHandlerSpec } from '../runtime/handler-spec.js';
import { INIT_TIMEOUT_MS, initTimeoutMessage, timeoutMessage } from '../runtime/lambda-error.js';
import type { Report, TimeSplit } from '../types.js';
import { environmentExecArgv, forkEnvironment, isTypeScript, workerEntry } from './children.js';
import { failedReport } from './failed-report.js';
import { lambdaHeapFlags, peakResidentMB } from './memory.js';
import {
  type CheckRequest,
  type CheckResponse,
  type ConfigEvent,
  PROGRESS_BYTES,
  rebuildError,
  type SnapshotAnalysis,
  TYPESCRIPT_HANDLER_ARGUMENT,
} from './protocol.js';
import { spareKey, startSpare, takeSpare } from './spares.js';

export interface ProcessCheckOptions extends Omit<CheckOptions, 'event' | 'onInvocation'> {
  /** A plain value: functions cannot cross into the child (a config's function goes as `configEvent`). */
  event?: unknown;
  /** An event function defined in a config file, which the child loads itself. */
  configEvent?: ConfigEvent;
  /** Working directory of the child; handler paths are relative to it. Defaults to process.cwd(). */
  cwd?: string;
}

/** Lambda's defaults, used when the options name none. */
export const LAMBDA_DEFAULTS = { memorySizeMB: 128, timeoutMs: 3000 } as const;
const POLL_MS = 50;
/** How long the child's cleanup after a snapshot analysis may take before the environment counts as hung. */
const HARNESS_WORK_MS = 60_000;

/**
 * Checks `source` (`file#export`) in a fresh child process, as a Lambda execution environment would run it.
 * Resolves to a report; an environment that ran out of memory, hung past its timeout or exited is a report with
 * `error` and verdict `leak`. A handler that cannot be loaded rejects with the child's typed error.
 */
export async function checkInProcess(
  source: string,
  options: ProcessCheckOptions = {},
): Promise<CheckedReport> {
  const { cwd = process.cwd(), configEvent } = options;
  const checkOptions = requestOptions(options, cwd);
  const memorySizeMB = options.memorySizeMB ?? LAMBDA_DEFAULTS.memorySizeMB;
  const timeoutMs = options.timeoutMs ?? LAMBDA_DEFAULTS.timeoutMs;
  const started = performance.now();

  const entry = workerEntry(
    import.meta.url,
    ['./worker.ts', './worker.js', './isolation-worker.js'],
    'isolation worker',
  );
  const execArgv = environmentExecArgv(entry, import.meta.url);
  // A process for a TypeScript handler prepares tsx while it waits as a spare.
  const args = isTypeScript(splitHandlerSpec(source).file) ? [TYPESCRIPT_HANDLER_ARGUMENT] : [];
  const start = () => forkEnvironment(entry, execArgv, memorySizeMB, cwd, args);
  const key = spareKey([entry, execArgv, args, memorySizeMB, cwd]);
  const forked = takeSpare(key) ?? start();
  const progressFile = join(forked.dir, 'progress');
  let startupMs: number | undefined;
  // Once this environment runs its handler, the process of the next one (if any is expected) starts.
  const run = superviseEnvironment(forked.child, progressFile, timeoutMs, () => {
    startupMs = performance.now() - started;
    startSpare(key, start);
  });
  const request: CheckRequest = {
    type: 'check',
    source,
    options: checkOptions,
    progressFile,
    configEvent,
    workDir: forked.dir,
  };
  forked.child.send(request);
  const exit = await run;
  forked.end();
  const durationMs = Math.round(performance.now() - started);
  const { response, invocation, peakMB, evidence } = exit;
  const failed = (error: EnvironmentFailure) =>
    failedReport({ source, invocation, error, maxMemoryUsedMB: peakMB, durationMs, startupMs, evidence });

  if (response?.type === 'report') {
    const report = { ...response.report, maxMemoryUsedMB: response.maxMemoryUsedMB ?? peakMB, durationMs };
    return report.time ? { ...report, time: withProcessStart(report.time, durationMs) } : report;
  }
  if (response?.type === 'error') {
    const failure = failureFromError(response, invocation);
    if (failure) return failed(failure);
    throw rebuildError(response);
  }
  const spawnError = forked.spawnError();
  if (spawnError && invocation === 0) throw spawnError;
  return failed(exitFailure(exit, forked.stderr(), memorySizeMB, timeoutMs));
}

/** Everything the child did not spend measuring or analysing was its process's start (and exit): start-up. */
function withProcessStart(time: TimeSplit, durationMs: number): TimeSplit {
  const startupMs = Math.max(time.startupMs, durationMs - time.measurementMs - time.analysisMs);
  return { ...time, startupMs: Math.round(startupMs * 10) / 10 };
}

/** The options as the child receives them: plain data, events compiled here. */
function requestOptions(options: ProcessCheckOptions, cwd: string): CheckRequest['options'] {
  const { cwd: _cwd, configEvent, event, events, ...rest } = options;
  if (typeof event === 'function' && !configEvent)
    throw new UsageError(
      'an event function cannot cross into a process; define it in warmleak.config or use --isolation inline',
    );
  // Events are compiled here, once: a built-in event's varied fields are known only where it was created.
  const program = configEvent ? undefined : programOf(event, events, rest.projectRoot ?? cwd);
  return program ? { ...rest, events: program } : rest;
}

/** How a child environment ended, as the parent watched it. */
interface EnvironmentExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  response?: Extract<CheckResponse, { type: 'report' | 'error' }>;
  /** What the child had found at its last checkpoint, kept in case it dies. */
  evidence?: Report;
  /** The invocation the child last marked in its progress file. */
  invocation: number;
  peakMB?: number;
  /** True when the parent killed it for making no progress past the function's timeout. */
  timedOut: boolean;
}

/**
 * Listens to the child and watches its progress file until it exits, killing it when an invocation runs past the
 * function's timeout (or loading past Lambda's init timeout), unless it is busy with the harness's own work.
 */
function superviseEnvironment(
  child: ChildProcess,
  progressFile: string,
  timeoutMs: number,
  onFirstInvocation: () => void,
): Promise<EnvironmentExit> {
  // Sampling at a checkpoint also stops the invocation count, so the kill waits a little past Lambda's timeout.
  const grace = Math.max(2000, timeoutMs);
  const exit: EnvironmentExit = { code: null, signal: null, invocation: 0, timedOut: false };
  /** Until when the child's own harness work (a heap snapshot, its analysis here) excuses a lack of progress. */
  let busyUntil = 0;
  child.on('message', (message: CheckResponse) => {
    if (message.type === 'ready') return;
    if (message.type === 'evidence') exit.evidence = message.report;
    else if (message.type === 'harness-work') busyUntil = performance.now() + message.ms;
    else if (message.type === 'analyse-snapshots') {
      child.send(analyseSnapshots(message.pair));
      // The child reports once it has the analysis; only its own cleanup is left, so give it as long again.
      busyUntil = performance.now() + HARNESS_WORK_MS;
    } else {
      exit.response = message;
      // The report is all the parent needs: the environment ends now, not after Node's own exit (120-200 ms on a
      // busy machine, a lane's time per environment). A profiled one exits itself: --cpu-prof writes at exit.
      if (message.type === 'report' && !process.env.WARMLEAK_CPU_PROF) child.kill('SIGKILL');
    }
  });

  const readProgress = progressReader(progressFile);
  let lastChange = performance.now();
  const watchdog = setInterval(() => {
    if (child.pid !== undefined) exit.peakMB = peakResidentMB(child.pid) ?? exit.peakMB;
    const now = performance.now();
    const current = readProgress(exit.invocation);
    if (current !== exit.invocation) {
      if (exit.invocation === 0) onFirstInvocation();
      exit.invocation = current;
      lastChange = now;
    }
    const limit = exit.invocation === 0 ? Math.max(INIT_TIMEOUT_MS, timeoutMs) + grace : timeoutMs + grace;
    if (exit.response === undefined && now - lastChange > limit && now > busyUntil) {
      exit.timedOut = true;
      child.kill('SIGKILL');
    }
  }, POLL_MS);

  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      clearInterval(watchdog);
      exit.invocation = readProgress(exit.invocation);
      resolve({ ...exit, code, signal });
    });
  });
}

/** Reads the child's progress mark into one buffer allocated here; the last known value when it is not there yet. */
function progressReader(progressFile: string): (last: number) => number {
  const progress = Buffer.alloc(PROGRESS_BYTES);
  return (last) => {
    try {
      const fd = openSync(progressFile, 'r');
      const read = readSync(fd, progress, 0, PROGRESS_BYTES, 0);
      closeSync(fd);
      return read === PROGRESS_BYTES ? progress.readInt32LE(0) : last;
    } catch {
      return last;
    }
  };
}

/** A child that exited without a report, in Lambda's words: timed out, out of memory, or exited. */
function exitFailure(
  exit: EnvironmentExit,
  stderr: string,
  memorySizeMB: number,
  timeoutMs: number,
): EnvironmentFailure {
  const at = exit.invocation === 0 ? undefined : exit.invocation;
  if (exit.timedOut) {
    return {
      errorType: 'Sandbox.Timedout',
      errorMessage:
        at === undefined ? initTimeoutMessage() : `${timeoutMessage(timeoutMs)}; the environment was killed`,
      invocation: at,
    };
  }
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(stderr)) {
    const [, oldSpace] = lambdaHeapFlags(memorySizeMB);
    return {
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `Runtime exited with error: JavaScript heap out of memory (${memorySizeMB} MB function, ${oldSpace} for the handler)`,
      invocation: at,
    };
  }
  const { code, signal } = exit;
  const reason =
    signal !== null
      ? `Runtime exited with error: signal: ${signal}`
      : code === 0
        ? 'Runtime exited without providing a reason'
        : `Runtime exited with error: exit status ${code}`;
  const lastLine = stderr.trim().split('\n').at(-1);
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: lastLine ? `${reason} (${lastLine})` : reason,
    invocation: at,
  };
}

/** The child's snapshot pair, read here: the tables of a large heap would not fit the function's heap limit. */
function analyseSnapshots(pair: SnapshotPair): SnapshotAnalysis {
  try {
    return { type: 'snapshot-analysis', explanation: explainSnapshots(pair) };
  } catch (error) {
    return { type: 'snapshot-analysis', error: error instanceof Error ? error.message : String(error) };
  }
}

/** An asynchronous hang caught by the runtime inside the child is the same failure as one the parent kills. */
export function failureFromError(
  response: Extract<CheckResponse, { type: 'error' }>,
  invocation: number,
): EnvironmentFailure | undefined {
  const lambda = response.lambdaError;
  if (response.name !== 'InvocationError' || !lambda) return undefined;
  if (lambda.errorType !== 'Sandbox.Timedout' && !lambda.errorType.startsWith('Runtime.')) return undefined;
  return {
    errorType: lambda.errorType,
    errorMessage: lambda.errorMessage,
    invocation: invocation || undefined,
  };
}
