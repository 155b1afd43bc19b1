// Process-wide hooks shared by every live environment: console capture and the uncaught-exception and
// unhandled-rejection listeners. Installed when the first environment is created, removed with the last one,
// so that per invocation nothing is installed and nothing escapes to the test runner while an environment lives.
import { isHandlerWork } from './handler-scope.js';
import { hostGlobal, sandboxed } from './host.js';
import { rememberHostFormatter, restoreHostFormatter } from './own-stack.js';
import { asOwnWork } from './own-work.js';
import { awslambda } from './streaming.js';
import type { LogLevel } from './types.js';

export interface HookClient {
  onLog(level: LogLevel, args: unknown[]): void;
  onCrash(kind: 'uncaughtException' | 'unhandledRejection', error: unknown): void;
  onExit(code: number): void;
  /** Text the handler wrote to stdout or stderr directly (a logger with its own Console, `process.stdout.write`). */
  onOutput(text: string): void;
  readonly interceptsExit: boolean;
}

/**
 * Thrown by `process.exit` while an environment lives in the caller's process: Lambda ends the environment
 * (Runtime.ExitError), but exiting here would end the test run. Unwinds the handler's stack instead.
 */
export class ProcessExitSignal extends Error {
  override name = 'ProcessExitSignal';
  constructor(readonly code: number) {
    super(`process.exit(${code}) called by the handler`);
  }
}

type Write = NodeJS.WriteStream['write'];
const savedWrites: Array<{ stream: NodeJS.WriteStream; write: Write }> = [];

/**
 * While an invocation runs, what the handler writes straight to stdout or stderr goes to its transcript, as
 * Lambda sends it to CloudWatch: Powertools' Logger writes through a Console of its own. Outside invocations
 * (the test runner, warmleak's own output) the streams are untouched.
 */
function captureWrites(stream: NodeJS.WriteStream): void {
  if (savedWrites.some((saved) => saved.stream === stream)) return;
  const write = stream.write;
  savedWrites.push({ stream, write });
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, encoding?: unknown, callback?: unknown) {
    const client = active;
    // biome-ignore lint/complexity/noArguments: forwarded exactly as called
    if (!client) return (write as Function).apply(this, arguments);
    const text =
      typeof chunk === 'string'
        ? chunk
        : Buffer.from(chunk as Uint8Array).toString(
            typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
          );
    client.onOutput(text);
    const done = typeof encoding === 'function' ? encoding : callback;
    // The runtime's callback, not the handler's work: a logger calls back once per line, so it is never tracked.
    if (typeof done === 'function') asOwnWork(() => process.nextTick(done as () => void));
    return true;
  } as Write;
}

const savedExits: Array<{ process: NodeJS.Process; exit: NodeJS.Process['exit'] }> = [];

function exitCode(code: unknown): number {
  const n = typeof code === 'string' ? Number.parseInt(code, 10) : code;
  return typeof n === 'number' && Number.isInteger(n) ? n : ((process.exitCode as number | undefined) ?? 0);
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';
const LEVELS: Record<ConsoleMethod, LogLevel> = {
  log: 'INFO',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  debug: 'DEBUG',
  trace: 'TRACE',
};
const CRASH_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

const clients: HookClient[] = [];
/** The environment whose invocation is running; log lines and crashes belong to it first. */
let active: HookClient | undefined;
let savedAwslambda: PropertyDescriptor | undefined;
let saved: Array<{ console: Console; methods: Partial<Record<ConsoleMethod, Console[ConsoleMethod]>> }> = [];
const savedListeners = new Map<string, Function[]>();

export function setActive(client: HookClient | undefined): void {
  active = client;
}

function target(): HookClient | undefined {
  return active ?? clients[clients.length - 1];
}

/** Process listeners the handler added (load or invocations), removed when the last environment ends. */
let handlerListeners = new WeakSet<Function>();
const onNewListener = (_event: string | symbol, listener: Function) => {
  if (isHandlerWork()) handlerListeners.add(listener);
};

/** Takes off `process` what the handler put there: a runner keeps its own listeners and loses none of them. */
function removeHandlerListeners(): void {
  for (const event of process.eventNames()) {
    for (const listener of process.listeners(event as 'SIGTERM')) {
      if (handlerListeners.has(listener)) process.removeListener(event as 'SIGTERM', listener as () => void);
    }
  }
  handlerListeners = new WeakSet();
}

const onUncaught = (error: unknown) => {
  if (!(error instanceof ProcessExitSignal)) target()?.onCrash('uncaughtException', error);
};
const onRejection = (reason: unknown) => {
  if (!(reason instanceof ProcessExitSignal)) target()?.onCrash('unhandledRejection', reason);
};

export function installHooks(client: HookClient): void {
  clients.push(client);
  if (clients.length > 1) return;
  rememberHostFormatter();
  // Under Jest a handler loaded from a file runs in the main context, one imported by the test in Jest's sandbox
  // (a Vitest vm pool shares `process`, and may share `console`: each is patched once).
  for (const current of sandboxed ? new Set([console, hostGlobal.console]) : [console]) {
    const methods: Partial<Record<ConsoleMethod, Console[ConsoleMethod]>> = {};
    for (const method of Object.keys(LEVELS) as ConsoleMethod[]) {
      methods[method] = current[method];
      const level = LEVELS[method];
      current[method] = (...args: unknown[]) => target()?.onLog(level, args);
    }
    saved.push({ console: current, methods });
  }
  // Lambda's runtime provides the `awslambda` global (response streaming) to handler code.
  savedAwslambda = Object.getOwnPropertyDescriptor(globalThis, 'awslambda');
  Object.defineProperty(globalThis, 'awslambda', { value: awslambda, configurable: true, writable: true });
  if (sandboxed) {
    Object.defineProperty(hostGlobal, 'awslambda', { value: awslambda, configurable: true, writable: true });
  }
  // The test runner's own listeners would report a handler's crash as its own failure; park them meanwhile.
  for (const event of CRASH_EVENTS) {
    savedListeners.set(event, process.listeners(event as 'uncaughtException'));
    process.removeAllListeners(event);
  }
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onRejection);
  process.on('newListener', onNewListener);
  for (const owner of sandboxed ? new Set([process, hostGlobal.process]) : [process]) {
    captureWrites(owner.stdout);
    captureWrites(owner.stderr);
    const exit = owner.exit;
    savedExits.push({ process: owner, exit });
    owner.exit = ((code?: unknown) => {
      const client = target();
      if (!client?.interceptsExit) return exit.call(owner, code as number);
      const status = exitCode(code);
      client.onExit(status);
      throw new ProcessExitSignal(status);
    }) as NodeJS.Process['exit'];
  }
}

export function uninstallHooks(client: HookClient): void {
  const at = clients.indexOf(client);
  if (at === -1) return;
  clients.splice(at, 1);
  if (active === client) active = undefined;
  if (clients.length > 0) return;
  for (const { console: patched, methods } of saved) Object.assign(patched, methods);
  saved = [];
  if (savedAwslambda) Object.defineProperty(globalThis, 'awslambda', savedAwslambda);
  else delete (globalThis as Record<string, unknown>).awslambda;
  if (sandboxed) delete (hostGlobal as Record<string, unknown>).awslambda;
  savedAwslambda = undefined;
  for (const { process: owner, exit } of savedExits) owner.exit = exit;
  for (const { stream, write } of savedWrites) stream.write = write;
  savedWrites.length = 0;
  savedExits.length = 0;
  process.removeListener('uncaughtException', onUncaught);
  process.removeListener('unhandledRejection', onRejection);
  process.removeListener('newListener', onNewListener);
  removeHandlerListeners();
  for (const event of CRASH_EVENTS) {
    for (const listener of savedListeners.get(event) ?? []) {
      process.on(event as 'uncaughtException', listener as NodeJS.UncaughtExceptionListener);
    }
  }
  savedListeners.clear();
  restoreHostFormatter();
}
