// One Lambda execution environment: a handler loaded once (the cold start) and invoked many times in the same
// module scope, with Lambda's context, environment variables, logs, timeout and reset-after-crash behaviour.
import { randomUUID } from 'node:crypto';
import { basename, extname, resolve } from 'node:path';
import { setTimeout as armTimer } from 'node:timers';
import { format } from 'node:util';
import type { Context } from 'aws-lambda';
import { HandlerLoadError, UsageError } from '../errors.js';
import { aboveBaselineMB } from '../isolation/memory.js';
import {
  createContext,
  type FunctionConfiguration,
  functionArn,
  logStreamName,
  RequestIds,
} from './context.js';
import { makeEnvironmentDir, PRIVATE_TMP_VARIABLE, removeEnvironmentDir } from './environment-dir.js';
import { asHandlerWork } from './handler-scope.js';
import { DEFAULT_EXPORT_NAME, parseHandlerSpec } from './handler-spec.js';
import { duringInit } from './init-phase.js';
import { applyVariables, credentialVariables, lambdaVariables } from './lambda-env.js';
import {
  exitError,
  invokeErrorPayload,
  timeoutError,
  timeoutMessage,
  toLambdaError,
  unhandledRejectionError,
} from './lambda-error.js';
import { displayPath, type LoadedHandler, loadHandler, loadSetupFile } from './loader.js';
import {
  billedDuration,
  endLine,
  functionLogLine,
  LogBuffer,
  type LogMark,
  logsDroppedLine,
  reportLine,
  startLine,
} from './logs.js';
import { asOwnWork } from './own-work.js';
import { PendingWork } from './pending-work.js';
import { type HookClient, installHooks, setActive, uninstallHooks } from './process-hooks.js';
import { isStreamingHandler, ResponseStream } from './streaming.js';
import type {
  EnvironmentOptions,
  HandlerSource,
  InvocationResult,
  LambdaError,
  LambdaRuntime,
  LogLevel,
} from './types.js';

export { createContext } from './context.js';
export { parseHandlerSpec } from './handler-spec.js';

/**
 * How long the timeout timer may lag behind the running invocation's start before it is moved on: an
 * invocation's timer fires between `timeoutMs - slack` and `timeoutMs` after its start, and the rest is waited out.
 */
const TIMER_SLACK_MS = 250;

export const LAMBDA_RUNTIMES: readonly LambdaRuntime[] = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'];
const CALLBACK_REMOVED =
  'Runtime.CallbackHandlerDeprecated: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24';

/** The Lambda runtime matching the Node.js major version running warmleak. */
export function defaultRuntime(): LambdaRuntime {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 24 ? 'nodejs24.x' : major >= 22 ? 'nodejs22.x' : 'nodejs20.x';
}

/** One invocation in progress. */
interface Running {
  requestId: string;
  index: number;
  coldStart: boolean;
  initDurationMs: number | undefined;
  start: number;
  /** Where its transcript starts in the environment's log: lines logged since the last one was delivered. */
  logsFrom: LogMark;
  settled: boolean;
  /** The callback or done/succeed/fail/promise has answered (only the first counts). */
  answered: boolean;
  stream: ResponseStream | undefined;
  resolve: (result: InvocationResult) => void;
  /** The answer, held while the event loop turns once before it is delivered (see `finish`). */
  result: FinishedInvocation | undefined;
}

let takenResolve: ((result: InvocationResult) => void) | undefined;

/** The executor of every invocation's promise: it runs synchronously inside `new Promise`, so the slot is never shared. */
function takeResolve(resolve: (result: InvocationResult) => void): void {
  takenResolve = resolve;
}

/** Delivers an invocation's result after the event loop has turned; one function for every turn, no closure. */
function deliverAfterTurn(environment: Environment, running: Running): void {
  environment.deliver(running);
}

export class Environment implements HookClient {
  handler!: Function;
  readonly file?: string;
  readonly exportName: string;
  readonly handlerId: string;
  readonly projectRoot: string;
  readonly tmpDir: string;
  /** False when tmpDir is a private /tmp that goes with the process: never removed from here. */
  private readonly ownsTmp: boolean;
  initDurationMs = 0;
  readonly runtime: LambdaRuntime;
  /** @internal whether `process.exit` from the handler is caught (see EnvironmentOptions.interceptExit). */
  readonly interceptsExit: boolean;

  private readonly options: EnvironmentOptions;
  private readonly config: FunctionConfiguration;
  private readonly timeoutMs: number;
  private loaded: LoadedHandler | undefined;
  private streaming = false;
  private callbackStyle = false;
  /** Handlers that may answer without a promise need Lambda's "empty event loop" wait, so their work is tracked. */
  private tracksPendingWork = false;
  private readonly pendingWork = new PendingWork();
  private needsLoad = false;
  private pendingInitMs: number | undefined;
  private current: Running | undefined;
  /** The environment's log lines, in a buffer of fixed size; lines logged outside invocations open the next one. */
  private readonly log = new LogBuffer();
  /** Where the next invocation's transcript starts. */
  private logsFrom: LogMark = this.log.mark();
  /** Log lines dropped for want of room in the buffer, over the environment's life. */
  readonly logsDropped = { records: 0, invocations: 0 };
  private lastRequestId: string | undefined;
  private count = 0;
  private maxRss = 0;
  /** Resident bytes as the handler first began to load: the host's (the CLI, tsx, the harness), not the function's. */
  private residentAtLoad: number | undefined;
  private lastRssAt = Number.NEGATIVE_INFINITY;
  private readonly requestIds = new RequestIds();
  private timer: NodeJS.Timeout;
  /** The timeout timer is pending; it is moved on only once `timerSlackMs` has passed, not once per invocation. */
  private timerArmed = true;
  /** When the timeout timer was last armed for a whole `timeoutMs` (performance.now()). */
  private timerArmedAt = performance.now();
  /** The timer's own duration: `timeoutMs`, or what was left of an invocation's time when it fired early. */
  private timerMs: number;
  private readonly timerSlackMs: number;
  private restoreVariables: (() => void) | undefined;
  private disposed = false;
  private readonly source: HandlerSource;
  private readonly setups: Array<{ unload(): Promise<void> }> = [];

  /** Loads the handler: the cold start, timed as Init Duration. Rejects with HandlerLoadError on bad input. */
  static async create(source: HandlerSource, options: EnvironmentOptions = {}): Promise<Environment> {
    const environment = new Environment(source, options);
    try {
      // After Lambda's variables are set, before the handler: mocks registered here are what the handler meets.
      for (const file of options.setupFiles ?? [])
        environment.setups.push(
          await loadSetupFile(resolve(environment.projectRoot, file), environment.projectRoot),
        );
      await environment.load();
    } catch (error) {
      await environment.dispose();
      throw error;
    }
    return environment;
  }

  private constructor(source: HandlerSource, options: EnvironmentOptions) {
    this.source = source;
    this.options = options;
    this.projectRoot = resolve(options.projectRoot ?? process.cwd());
    this.runtime = options.runtime ?? defaultRuntime();
    this.interceptsExit = options.interceptExit ?? true;
    if (!LAMBDA_RUNTIMES.includes(this.runtime)) {
      throw new UsageError(`unknown runtime "${this.runtime}"; use one of ${LAMBDA_RUNTIMES.join(', ')}`);
    }
    const { timeoutMs, memorySizeMB } = functionLimits(options);
    this.timeoutMs = timeoutMs;
    const names = handlerNames(source, this.projectRoot, options);
    this.file = names.file;
    this.exportName = names.exportName;
    this.handlerId = names.handlerId;
    const { handlerSetting } = names;
    const functionName = options.functionName ?? names.functionName;
    const region = options.region ?? 'us-east-1';
    const configuration = {
      functionName,
      functionVersion: '$LATEST',
      memorySizeMB,
      region,
      accountId: '123456789012',
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: logStreamName(new Date(), '$LATEST', randomUUID()),
      timeoutMs: this.timeoutMs,
      runtime: this.runtime,
    };
    this.config = { ...configuration, invokedFunctionArn: functionArn(configuration) };
    // A process environment with its own /tmp uses /tmp itself, as Lambda; it vanishes with the process.
    this.ownsTmp = !process.env[PRIVATE_TMP_VARIABLE];
    this.tmpDir = process.env[PRIVATE_TMP_VARIABLE] || makeEnvironmentDir();
    this.restoreVariables = applyVariables({
      ...lambdaVariables(this.config, handlerSetting, this.projectRoot, this.tmpDir),
      ...credentialVariables(options.env),
      ...options.env,
    });
    installHooks(this);
    // One timer for the environment's life, unref'd so it never keeps a process alive. Re-arming it per
    // invocation cost a timer-list insertion each time; instead it stays pending, and when it fires early for
    // the running invocation (armed by an earlier one) it waits out the rest. node:timers, not the global:
    // a spec's fake timers must not stop Lambda's timeout.
    this.timer = armTimer(() => this.onTimer(), this.timeoutMs);
    this.timer.unref();
    this.timerMs = this.timeoutMs;
    this.timerSlackMs = Math.min(TIMER_SLACK_MS, this.timeoutMs / 4);
  }

  /** Loads (or re-loads after a reset) the handler module; its duration is the next REPORT's Init Duration. */
  private async load(): Promise<void> {
    const previous = this.loaded;
    this.loaded = undefined;
    if (previous) await previous.unload();
    if (typeof this.source === 'function') {
      this.residentAtLoad ??= process.memoryUsage.rss();
      this.handler = this.source;
      this.initDurationMs = 0;
    } else {
      // Init Duration is the module's evaluation only: registering tsx is warmleak's work, not the function's.
      const file = this.file as string;
      this.loaded = await duringInit(() =>
        asHandlerWork(() => loadHandler(file, this.exportName, this.projectRoot)),
      );
      this.handler = this.loaded.handler;
      this.initDurationMs = this.loaded.initDurationMs;
      this.residentAtLoad ??= this.loaded.residentAtLoad;
    }
    this.pendingInitMs = this.initDurationMs;
    this.needsLoad = false;
    this.streaming = isStreamingHandler(this.handler);
    this.callbackStyle = !this.streaming && this.handler.length >= 3;
    this.tracksPendingWork =
      this.callbackStyle ||
      (!this.streaming && this.handler.length >= 2 && this.handler.constructor.name !== 'AsyncFunction');
    if (this.callbackStyle && this.runtime === 'nodejs24.x') {
      throw new HandlerLoadError(
        `${CALLBACK_REMOVED}; make ${this.handlerId} async (return a promise) or choose --runtime nodejs22.x`,
      );
    }
  }

  /** Invokes the handler once. Never rejects for handler faults: they come back as `error` in Lambda's shape. */
  invoke(event?: unknown): Promise<InvocationResult> {
    if (this.disposed)
      return Promise.reject(new UsageError('this environment was disposed; create a new one'));
    if (this.needsLoad || (this.options.fresh && this.count > 0))
      return this.load().then(() => this.run(event));
    return this.run(event);
  }

  private run(event: unknown): Promise<InvocationResult> {
    // One executor for every invocation, not a closure each: it hands the promise's resolve back through a slot.
    const promise = new Promise<InvocationResult>(takeResolve);
    const resolvePromise = takenResolve as (result: InvocationResult) => void;
    takenResolve = undefined;
    const initDurationMs = this.pendingInitMs;
    this.pendingInitMs = undefined;
    const running: Running = {
      requestId: this.requestIds.take(),
      index: this.count++,
      coldStart: initDurationMs !== undefined,
      initDurationMs,
      start: performance.now(),
      logsFrom: this.logsFrom,
      settled: false,
      answered: false,
      stream: undefined,
      resolve: resolvePromise,
      result: undefined,
    };
    this.current = running;
    this.lastRequestId = running.requestId;
    setActive(this);
    // Moved on once its slack has passed, not per invocation (a timer-list insertion each): it fires only for an
    // invocation that runs into the last slack of its timeout, or after a pause as long, never in a normal run,
    // where its callback and the rarely run code behind it would be compiled mid-check, in the measured heap.
    if (!this.timerArmed || running.start - this.timerArmedAt > this.timerSlackMs)
      this.armTimeout(running.start);
    asHandlerWork(() => this.call(running, event));
    return promise;
  }

  private call(running: Running, event: unknown): void {
    const deadline = Date.now() + this.timeoutMs;
    if (this.streaming) {
      this.callStreaming(running, event, deadline);
      return;
    }
    // Lambda's rule for nodejs20.x/22.x: the first of callback, done/succeed/fail or the returned promise answers.
    const callback = (error?: unknown, result?: unknown) => {
      if (running.answered) return;
      running.answered = true;
      if (error !== undefined && error !== null) this.fail(running, error);
      else if (context.callbackWaitsForEmptyEventLoop) this.whenEventLoopEmpty(running, result);
      else this.succeed(running, result);
    };
    const answer = (error: unknown, result: unknown) => {
      if (running.answered) return;
      running.answered = true;
      if (error !== undefined && error !== null) this.fail(running, error);
      else this.succeed(running, result);
    };
    // The returned promise settles through the same two functions: no further closures per invocation.
    const succeed = (result?: unknown) => answer(null, result);
    const fail = (error?: unknown) => answer(error ?? 'handled', undefined);
    const context: Context = createContext(this.config, running.requestId, deadline, {
      done: answer,
      succeed,
      fail,
    });
    let result: unknown;
    if (this.tracksPendingWork) this.pendingWork.start();
    try {
      result = this.tracksPendingWork
        ? this.pendingWork.run(() => this.handler(event, context, callback))
        : this.handler(event, context, callback);
    } catch (error) {
      answer(error, undefined);
      return;
    }
    if (isThenable(result)) {
      result.then(succeed, fail);
    } else if (!running.answered) {
      // No promise and no answer yet: Lambda answers null once the event loop empties, unless the callback or
      // done/succeed/fail answers first.
      this.whenEventLoopEmpty(running, null, true);
    }
  }

  /**
   * Succeeds with `response` once the handles the handler opened are closed again (Lambda waits for an empty
   * event loop; in a shared process "empty" means back to the count at invocation start). A handle that never
   * closes makes the invocation time out, as in Lambda. `unlessAnswered`: give way to a later callback.
   */
  private whenEventLoopEmpty(running: Running, response: unknown, unlessAnswered = false): void {
    // The check's own timers are created untracked, so they never count as the handler's work.
    const check = () => {
      if (running.settled || (unlessAnswered && running.answered)) return;
      if (this.pendingWork.isEmpty()) this.succeed(running, response);
      else this.pendingWork.untracked(() => asOwnWork(() => setTimeout(check, 1)));
    };
    this.pendingWork.untracked(() => asOwnWork(() => setImmediate(check)));
  }

  private callStreaming(running: Running, event: unknown, deadline: number): void {
    const stream = new ResponseStream();
    running.stream = stream;
    const context = createContext(this.config, running.requestId, deadline);
    let result: unknown;
    try {
      result = this.handler(event, stream, context);
    } catch (error) {
      this.fail(running, error);
      return;
    }
    if (!isThenable(result)) {
      const error = new Error('Streaming does not support non-async handlers.');
      error.name = 'Runtime.MalformedStreamingHandler';
      this.fail(running, error);
      return;
    }
    result.then(
      () => {
        if (stream.writableFinished) this.succeed(running, stream.body());
        else stream.once('finish', () => this.succeed(running, stream.body()));
      },
      (error) => this.fail(running, error),
    );
  }

  private succeed(running: Running, response: unknown): void {
    // Lambda serialises an undefined result as null.
    this.finish(running, response === undefined ? null : response, undefined, false);
  }

  private fail(running: Running, error: unknown): void {
    if (running.settled) return;
    const lambdaError = toLambdaError(error);
    this.log.append(
      functionLogLine(running.requestId, 'ERROR', `Invoke Error \t${invokeErrorPayload(lambdaError)}`),
    );
    this.finish(running, undefined, lambdaError, false);
  }

  private finish(
    running: Running,
    response: unknown,
    error: LambdaError | undefined,
    timedOut: boolean,
  ): void {
    if (running.settled) return;
    running.settled = true;
    if (this.tracksPendingWork) this.pendingWork.stop();
    const durationMs = performance.now() - running.start;
    const maxMemoryUsedMB = this.maxMemoryUsedMB(running.start);
    const result = new FinishedInvocation(
      running,
      timedOut,
      durationMs,
      maxMemoryUsedMB,
      this.config.functionVersion,
      this.config.memorySizeMB,
      this.log,
    );
    if (error) result.error = error;
    else result.response = response;
    if (running.initDurationMs !== undefined) result.initDurationMs = running.initDurationMs;
    if (running.stream?.metadata) result.responseMetadata = running.stream.metadata;
    running.result = result;
    if (this.disposed) {
      this.deliver(running);
      return;
    }
    // Lambda's runtime posts the answer and asks for the next event over HTTP, so the event loop turns before the
    // next invocation: unhandled rejections are raised (Node raises them once the microtask queue drains), due
    // timers fire, setImmediate work runs. What fails there fails this invocation, as it would in Lambda.
    asOwnWork(() => setImmediate(deliverAfterTurn, this, running));
  }

  /** @internal hands the invocation's result to its caller once the event loop has turned. */
  deliver(running: Running): void {
    const result = running.result;
    if (!result) return;
    running.result = undefined;
    const logsTo = this.log.mark();
    result.closeLogs(logsTo);
    this.logsFrom = logsTo;
    const dropped = this.log.droppedBetween(running.logsFrom, logsTo);
    if (dropped > 0) {
      this.logsDropped.records += dropped;
      this.logsDropped.invocations += 1;
    }
    if (this.current === running) {
      this.current = undefined;
      setActive(undefined);
    }
    if (this.options.echoLogs) process.stdout.write(`${result.logLines.join('\n')}\n`);
    running.resolve(result);
  }

  /**
   * A failure raised while an answered invocation waits for its turn (a rejection nobody handled, a throw from a
   * timer): the invocation fails with it, as Lambda reports it, unless it had failed already.
   */
  private failAnswered(running: Running, error: LambdaError): void {
    const result = running.result;
    if (!result || result.error) return;
    result.response = undefined;
    result.error = error;
  }

  /**
   * Max Memory Used as Lambda's REPORT shows it: its runtime's fixed baseline plus what this process gained above
   * its memory when the handler began to load, so that the host (the CLI and tsx under `invoke`, a test runner) is
   * not counted. Resident memory is sampled at most every 100 ms to keep invocations cheap.
   */
  private maxMemoryUsedMB(now: number): number {
    if (now - this.lastRssAt > 100) {
      this.lastRssAt = now;
      const rss = process.memoryUsage.rss();
      if (rss > this.maxRss) this.maxRss = rss;
    }
    return aboveBaselineMB(this.maxRss, this.residentAtLoad ?? this.maxRss);
  }

  /** Arms the timeout timer for a whole `timeoutMs` from `now`. */
  private armTimeout(now: number): void {
    if (this.timerMs === this.timeoutMs) this.timer.refresh();
    else {
      clearTimeout(this.timer);
      this.timer = asOwnWork(() => armTimer(() => this.onTimer(), this.timeoutMs));
      this.timer.unref();
      this.timerMs = this.timeoutMs;
    }
    this.timerArmed = true;
    this.timerArmedAt = now;
  }

  private onTimer(): void {
    this.timerArmed = false;
    const running = this.current;
    if (!running || running.settled) return;
    // Armed at an earlier invocation's start: wait for the rest of this one's time (1 ms is a timer's grain).
    const remaining = running.start + this.timeoutMs - performance.now();
    if (remaining > 1) {
      // The runtime's own timer: never a resource the handler created (the tracker and probes skip own work).
      this.timerMs = Math.ceil(remaining);
      this.timer = asOwnWork(() => armTimer(() => this.onTimer(), this.timerMs));
      this.timer.unref();
      this.timerArmed = true;
      return;
    }
    this.onTimeout(running);
  }

  private onTimeout(running: Running): void {
    this.log.append(`${new Date().toISOString()}\t${running.requestId}\t${timeoutMessage(this.timeoutMs)}`);
    // Lambda stops the environment after a timeout; the next invocation starts cold.
    this.needsLoad = true;
    this.finish(running, undefined, timeoutError(running.requestId, this.timeoutMs), true);
  }

  /** @internal console output while this environment lives. */
  onLog(level: LogLevel, args: unknown[]): void {
    const running = this.current;
    this.log.append(
      functionLogLine(running ? running.requestId : this.lastRequestId, level, format(...args)),
    );
  }

  /** @internal raw stdout/stderr of the running invocation: each line as written, as Lambda shows it. */
  onOutput(text: string): void {
    const running = this.current;
    if (!running) return;
    for (const line of text.split('\n')) if (line !== '') this.log.append(line);
  }

  /** @internal an uncaught exception or unhandled rejection: fails the running invocation and resets. */
  onCrash(kind: 'uncaughtException' | 'unhandledRejection', error: unknown): void {
    this.needsLoad = true;
    const running = this.current;
    const lambdaError = kind === 'unhandledRejection' ? unhandledRejectionError(error) : toLambdaError(error);
    const label = kind === 'unhandledRejection' ? 'Unhandled Promise Rejection' : 'Uncaught Exception';
    const requestId = running ? running.requestId : this.lastRequestId;
    const line = functionLogLine(requestId, 'ERROR', `${label} \t${invokeErrorPayload(lambdaError)}`);
    this.log.append(line);
    if (running && !running.settled) this.finish(running, undefined, lambdaError, false);
    else if (running?.result) this.failAnswered(running, lambdaError);
  }

  /** @internal `process.exit` from the handler: Lambda reports Runtime.ExitError and starts a new environment. */
  onExit(code: number): void {
    this.needsLoad = true;
    const running = this.current;
    const lambdaError = exitError(running ? running.requestId : (this.lastRequestId ?? ''), code);
    if (running && !running.settled) this.finish(running, undefined, lambdaError, false);
    else if (running?.result) this.failAnswered(running, lambdaError);
    else this.log.append(functionLogLine(this.lastRequestId, 'ERROR', lambdaError.errorMessage));
  }

  /** Restores env vars, globals and console, removes tmpDir and forgets the module. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    const running = this.current;
    if (running && !running.settled) {
      this.finish(
        running,
        undefined,
        { errorType: 'Runtime.Disposed', errorMessage: 'environment disposed', trace: [] },
        false,
      );
    }
    // One more turn while the hooks are still in: a rejection raised by the last invocation's leftovers is reported
    // here, instead of reaching the host after the environment is gone.
    await new Promise<void>((resolveTurn) => asOwnWork(() => setImmediate(resolveTurn)));
    uninstallHooks(this);
    this.restoreVariables?.();
    this.restoreVariables = undefined;
    if (this.ownsTmp) removeEnvironmentDir(this.tmpDir);
    const loaded = this.loaded;
    this.loaded = undefined;
    if (loaded) await loaded.unload();
    for (const setup of this.setups.splice(0).reverse()) await setup.unload();
  }
}

/** The function's timeout and memory size, checked against Lambda's limits. */
function functionLimits(options: EnvironmentOptions): { timeoutMs: number; memorySizeMB: number } {
  const timeoutMs = options.timeoutMs ?? 3000;
  if (!(timeoutMs > 0)) throw new UsageError(`timeout must be a positive number of ms, got ${timeoutMs}`);
  const memorySizeMB = options.memorySizeMB ?? 128;
  if (!(memorySizeMB >= 128 && memorySizeMB <= 10240)) {
    throw new UsageError(`memory size must be between 128 and 10240 MB, got ${memorySizeMB}`);
  }
  return { timeoutMs, memorySizeMB };
}

/**
 * How a handler is named: its file and export, the id reports show (`src/orders.ts#handler`), the function name
 * Lambda's variables and log group get, and the `_HANDLER` setting (`src/orders.handler`).
 */
function handlerNames(source: HandlerSource, projectRoot: string, options: EnvironmentOptions) {
  if (typeof source === 'string') {
    const spec = parseHandlerSpec(source);
    const file = resolve(projectRoot, spec.file);
    const shown = displayPath(file, projectRoot);
    return {
      file,
      exportName: spec.exportName,
      handlerId: `${shown}#${spec.exportName}`,
      functionName: basename(file, extname(file)),
      handlerSetting: `${shown.slice(0, shown.length - extname(shown).length)}.${spec.exportName}`,
    };
  }
  if (typeof source === 'function') {
    if (options.fresh)
      throw new UsageError('fresh: true re-creates a module, so it needs a handler file, not a function');
    return {
      file: undefined,
      exportName: DEFAULT_EXPORT_NAME,
      handlerId: source.name || 'anonymous',
      functionName: source.name || 'handler',
      handlerSetting: `index.${DEFAULT_EXPORT_NAME}`,
    };
  }
  throw new UsageError('a handler is a function or "path/to/file.ts#export"');
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * A finished invocation. Its transcript (START, the function's lines, END, REPORT) is formatted on the first read
 * of `logLines`, not per invocation: a leak check runs thousands of invocations and reads none of them.
 */
class FinishedInvocation implements InvocationResult {
  readonly requestId: string;
  readonly index: number;
  readonly coldStart: boolean;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly maxMemoryUsedMB: number;
  // Every field exists from the constructor on: one hidden class for every result. A field added afterwards would
  // give results a transition map that dies at each full GC once no result is alive, and V8 would deoptimise
  // and recompile the code that reads results at every checkpoint (noise in the heap it measures).
  response: unknown = undefined;
  error: LambdaError | undefined = undefined;
  initDurationMs: number | undefined = undefined;
  responseMetadata: InvocationResult['responseMetadata'] = undefined;
  readonly #log: LogBuffer;
  readonly #logsFrom: LogMark;
  #logsTo: LogMark | undefined;
  readonly #functionVersion: string;
  readonly #memorySizeMB: number;
  #transcript: string[] | undefined;

  constructor(
    running: Running,
    timedOut: boolean,
    durationMs: number,
    maxMemoryUsedMB: number,
    functionVersion: string,
    memorySizeMB: number,
    log: LogBuffer,
  ) {
    this.requestId = running.requestId;
    this.index = running.index;
    this.coldStart = running.coldStart;
    this.timedOut = timedOut;
    this.durationMs = durationMs;
    this.billedDurationMs = billedDuration(durationMs);
    this.maxMemoryUsedMB = maxMemoryUsedMB;
    this.#log = log;
    this.#logsFrom = running.logsFrom;
    this.#functionVersion = functionVersion;
    this.#memorySizeMB = memorySizeMB;
  }

  get logLines(): string[] {
    if (!this.#transcript) {
      const { requestId } = this;
      const held = this.#log.read(this.#logsFrom, this.#logsTo ?? this.#log.mark());
      this.#transcript = [
        startLine(requestId, this.#functionVersion),
        ...(held.droppedRecords > 0 ? [logsDroppedLine(requestId, held)] : []),
        ...held.lines,
        endLine(requestId),
        reportLine(requestId, this.durationMs, this.#memorySizeMB, this.maxMemoryUsedMB, this.initDurationMs),
      ];
    }
    return this.#transcript;
  }

  /** @internal the end of its lines in the environment's log, once the result is delivered. */
  closeLogs(to: LogMark): void {
    this.#logsTo = to;
  }

  set logLines(lines: string[]) {
    this.#transcript = lines;
  }

  /** Plain data, transcript included, for JSON output. */
  toJSON(): InvocationResult {
    return { ...this, logLines: this.logLines };
  }
}
