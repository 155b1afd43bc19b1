// Tells the handler's async work from its host's: the module's load and each invocation run inside one async
// context, which every timer, socket and callback they create inherits. Inside a test runner, cleanup then ends
// only what the handler made, never the runner's own timers, even while a floating check runs beside a test.
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<true>();
let used = false;

/** Runs `fn` (the handler's load or one invocation) as the handler's own work. */
export function asHandlerWork<T>(fn: () => T): T {
  used = true;
  return scope.run(true, fn);
}

/** Whether any handler ran through an environment here; a probe driven by hand (no environment) has no scope. */
export function handlerScopeUsed(): boolean {
  return used;
}

/** Whether the code running now descends from the handler's load or one of its invocations. */
export function isHandlerWork(): boolean {
  return scope.getStore() === true;
}
