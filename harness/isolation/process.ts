import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { explainSnapshots, type SnapshotPair } from '../analysis/retainers.js';
import type { CheckOptions } from '../check-options.js';
import { UsageError } from '../errors.js';
import { programOf } from '../events/program.js';
import type { CheckedReport, EnvironmentFailure } from '../reporters/types.js';
import { splitHandlerSpec } from '../runtime/handler-spec.js';
import type { Report } from '../types.js';
import { forkEnvironment, workerEntry, workerExecArgv } from './children.js';
import { failedReport } from './failed-report.js';
import { lambdaHeapFlags, peakResidentMB } from './memory.js';
import {
  type CheckRequest,
  type CheckResponse,
  type ConfigEvent,
  PROGRESS_BYTES,
  rebuildError,
  type SnapshotAnalysis,
} from './protocol.js';

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
/** Lambda gives a function's init phase 10 s. */
const INIT_TIMEOUT_MS = 10_000;
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
  const { cwd = process.cwd(), configEvent, event, events, ...rest } = options;
  if (typeof event === 'function' && !configEvent)
    throw new UsageError(
      'an event function cannot cross into a process; define it in warmleak.config or use --isolation inline',
    );
  // Events are compiled here, once: a built-in event's varied fields are known only where it was created.
  const program = configEvent ? undefined : programOf(event, events, rest.projectRoot ?? cwd);
  const checkOptions: CheckRequest['options'] = program ? { ...rest, events: program } : rest;
  const memorySizeMB = options.memorySizeMB ?? LAMBDA_DEFAULTS.memorySizeMB;
  const timeoutMs = options.timeoutMs ?? LAMBDA_DEFAULTS.timeoutMs;
  // Sampling at a checkpoint also stops the invocation count, so the kill waits a little past Lambda's timeout.
  const grace = Math.max(2000, timeoutMs);
  const started = performance.now();

  const entry = workerEntry(
    import.meta.url,
    ['./worker.ts', './worker.js', './isolation-worker.js'],
    'isolation worker',
  );
  const forked = forkEnvironment(
    entry,
    workerExecArgv(entry, splitHandlerSpec(source).file, import.meta.url),
    memorySizeMB,
    cwd,
  );
  const { child } = forked;
  const progressFile = join(forked.dir, 'progress');

  let response: Extract<CheckResponse, { type: 'report' | 'error' }> | undefined;
  let evidence: Report | undefined;
  /** Until when the child's own harness work (a heap snapshot, its analysis here) excuses a lack of progress. */
  let busyUntil = 0;
  child.on('message', (message: CheckResponse) => {
    if (message.type === 'evidence') evidence = message.report;
    else if (message.type === 'harness-work') busyUntil = performance.now() + message.ms;
    else if (message.type === 'analyse-snapshots') {
      child.send(analyseSnapshots(message.pair));
      // The child reports once it has the analysis; only its own cleanup is left, so give it as long again.
      busyUntil = performance.now() + HARNESS_WORK_MS;
    } else response = message;
  });

  const progress = Buffer.alloc(PROGRESS_BYTES);
  let invocation = 0;
  let lastChange = performance.now();
  let peakMB: number | undefined;
  let timedOut = false;
  const readProgress = (): number => {
    try {
      const fd = openSync(progressFile, 'r');
      const read = readSync(fd, progress, 0, PROGRESS_BYTES, 0);
      closeSync(fd);
      return read === PROGRESS_BYTES ? progress.readInt32LE(0) : invocation;
    } catch {
      return invocation;
    }
  };

  const watchdog = setInterval(() => {
    if (child.pid !== undefined) peakMB = peakResidentMB(child.pid) ?? peakMB;
    const now = performance.now();
    const current = readProgress();
    if (current !== invocation) {
      invocation = current;
      lastChange = now;
    }
    const limit = invocation === 0 ? Math.max(INIT_TIMEOUT_MS, timeoutMs) + grace : timeoutMs + grace;
    if (response === undefined && now - lastChange > limit && now > busyUntil) {
      timedOut = true;
      child.kill('SIGKILL');
    }
  }, POLL_MS);

  const request: CheckRequest = {
    type: 'check',
    source,
    options: checkOptions,
    progressFile,
    configEvent,
    workDir: forked.dir,
  };
  child.send(request);

  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  clearInterval(watchdog);
  invocation = readProgress();
  forked.end();
  const durationMs = Math.round(performance.now() - started);

  if (response?.type === 'report') {
    return { ...response.report, maxMemoryUsedMB: response.maxMemoryUsedMB ?? peakMB, durationMs };
  }
  if (response?.type === 'error') {
    const failure = failureFromError(response, invocation);
    if (failure)
      return failedReport({
        source,
        invocation,
        error: failure,
        maxMemoryUsedMB: peakMB,
        durationMs,
        evidence,
      });
    throw rebuildError(response);
  }

  const spawnError = forked.spawnError();
  if (spawnError && invocation === 0) throw spawnError;
  const at = invocation === 0 ? undefined : invocation;
  let failure: EnvironmentFailure;
  if (timedOut) {
    failure = {
      errorType: 'Sandbox.Timedout',
      errorMessage:
        at === undefined
          ? `INIT_REPORT Status: timeout; the handler module did not finish loading in ${INIT_TIMEOUT_MS / 1000} seconds`
          : `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds; the environment was killed`,
      invocation: at,
    };
  } else if (/heap out of memory|Reached heap limit|Allocation failed/i.test(forked.stderr())) {
    const [, oldSpace] = lambdaHeapFlags(memorySizeMB);
    failure = {
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `Runtime exited with error: JavaScript heap out of memory (${memorySizeMB} MB function, ${oldSpace} for the handler)`,
      invocation: at,
    };
  } else {
    const reason =
      signal !== null
        ? `Runtime exited with error: signal: ${signal}`
        : code === 0
          ? 'Runtime exited without providing a reason'
          : `Runtime exited with error: exit status ${code}`;
    const lastLine = forked.stderr().trim().split('\n').at(-1);
    failure = {
      errorType: 'Runtime.ExitError',
      errorMessage: lastLine ? `${reason} (${lastLine})` : reason,
      invocation: at,
    };
  }
  return failedReport({ source, invocation, error: failure, maxMemoryUsedMB: peakMB, durationMs, evidence });
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
