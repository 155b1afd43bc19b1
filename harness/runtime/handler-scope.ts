// Tells the handler's async work from its host's. A process that holds one environment (the CLI's default
// isolation) belongs to the handler as a whole: what the runtime creates for itself is marked as its own work at
// creation (own-work.ts), everything else is the handler's, and nothing is put on the handler's promises. Inside a
// test runner, the module's load and each invocation run inside one async context, which every timer, socket and
// callback they create inherits, so that cleanup ends only what the handler made, never the runner's own timers,
// even while a floating check runs beside a test.
import { AsyncLocalStorage } from 'node:async_hooks';
import { isOwnWork } from './own-work.js';

/**
 * Created on the first inline run only. On Node 20 an AsyncLocalStorage in use puts an async hook on every promise
 * (~0.5 us each), and Node's async_hooks code it runs is freed at a checkpoint's full GC and compiled again after
 * it: bytes in the heap series of the handler it measures. A fixed-size record of async ids cannot stand in for it
 * inline: a handler's chain (an interval set at load) can outlive any fixed number of newer ids.
 */
let scope: AsyncLocalStorage<true> | undefined;
let wholeProcess = false;
let used = false;

/** Declares that this process holds one environment and nothing else: all of its work but the runtime's is the handler's. */
export function ownWholeProcess(): void {
  wholeProcess = true;
}

/** Runs `fn` (the handler's load or one invocation) as the handler's own work. */
export function asHandlerWork<T>(fn: () => T): T {
  used = true;
  if (wholeProcess) return fn();
  scope ??= new AsyncLocalStorage<true>();
  return scope.run(true, fn);
}

/**
 * Whether what runs here must be told apart from a host's: a handler ran through an environment beside other
 * code. A probe driven by hand (no environment) has no scope, and a process that is the handler's has no host.
 */
export function handlerScopeUsed(): boolean {
  return used && !wholeProcess;
}

/** Whether the code running now descends from the handler's load or one of its invocations. */
export function isHandlerWork(): boolean {
  if (wholeProcess) return !isOwnWork();
  return scope?.getStore() === true;
}
