// Ends an inline environment (`warmleak bench`, `check --isolation inline`) that a handler's synchronous loop has
// stuck: nothing in the blocked thread runs by itself (not the invocation's timeout timer, not a SIGTERM listener),
// so a worker thread watches a heartbeat and, past Lambda's timeout, interrupts the thread through the inspector to
// run warmleak's own ending there: the report in Lambda's words, the handler's processes ended, the exit code.
import { Worker } from 'node:worker_threads';
import type { EnvironmentFailure } from '../reporters/types.js';
import { INIT_PHASE } from '../runtime/init-phase.js';
import { INIT_TIMEOUT_MS, initTimeoutMessage, timeoutMessage } from '../runtime/lambda-error.js';

/** What the watcher calls on the blocked thread; a symbol on `process`, never a global the handler could see. */
const STUCK = Symbol.for('warmleak.stuck');

/**
 * The worker, plain JavaScript (no loader). `watch[0]` is the heartbeat, `watch[1]` the invocation timeout being
 * watched (0: none). A module load (Lambda's init) has its own timeout. The interrupt runs between two JavaScript
 * operations of the blocked thread; native code blocking it (a synchronous child process) takes none, and after a
 * further grace the process is SIGKILLed with the words written here, the only end a blocked thread cannot delay.
 */
const WATCHER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { Session } = require('node:inspector');
const watch = new Int32Array(workerData.watch);
const init = new Int32Array(workerData.init);
const nap = new Int32Array(new SharedArrayBuffer(4));
let seen = Atomics.load(watch, 0);
let since = Date.now();
let wasLoading = false;
for (;;) {
  Atomics.wait(nap, 0, 0, 100);
  const now = Atomics.load(watch, 0);
  const timeoutMs = Atomics.load(watch, 1);
  const loading = Atomics.load(init, 0) > 0;
  // Each phase has its own clock: the invocation's starts when the module has loaded.
  if (now !== seen || timeoutMs === 0 || loading !== wasLoading) {
    seen = now; since = Date.now(); wasLoading = loading; continue;
  }
  if (Date.now() - since <= (loading ? workerData.initMs : timeoutMs) + workerData.graceMs) continue;
  const session = new Session();
  session.connectToMainThread();
  session.post('Runtime.evaluate', { expression: 'process[Symbol.for("warmleak.stuck")](' + loading + ')' });
  Atomics.wait(nap, 0, 0, workerData.graceMs * 3);
  writeSync(2, 'warmleak: a synchronous loop blocked the inline environment inside native code; warmleak killed the process\\n');
  process.kill(process.pid, 'SIGKILL');
}
`;

/** How often the event loop proves it still turns; an inline environment turns it once per invocation anyway. */
const BEAT_MS = 50;
/** Past Lambda's timeout, how long the loop may stay blocked before the process is ended. */
const GRACE_MS = 1_000;

const watch = new Int32Array(new SharedArrayBuffer(8));
let worker: Worker | undefined;

/** Why the watcher ended an environment, as a dead environment's report says it. */
export type StuckFailure = EnvironmentFailure & { errorType: 'Sandbox.Timedout' };

/**
 * Watches this process's event loop while one inline environment runs. Blocked past `timeoutMs` in an invocation
 * (or past Lambda's 10 s init timeout while the module loads), `onStuck` runs on the blocked thread with the
 * failure in Lambda's words (`Task timed out after 3.00 seconds`); it writes what it must synchronously and ends
 * the process (exitBlocked in exit.ts). Returns the function that stops watching.
 */
export function endIfStuck(timeoutMs: number, onStuck: (failure: StuckFailure) => never): () => void {
  Object.defineProperty(process, STUCK, {
    configurable: true,
    value: (loading: boolean) =>
      onStuck({
        errorType: 'Sandbox.Timedout',
        errorMessage: `${loading ? initTimeoutMessage() : timeoutMessage(timeoutMs)} (a synchronous loop blocked the inline environment, which cannot be interrupted; warmleak ended the process)`,
      }),
  });
  worker ??= new Worker(WATCHER, {
    eval: true,
    workerData: { watch: watch.buffer, init: INIT_PHASE.buffer, initMs: INIT_TIMEOUT_MS, graceMs: GRACE_MS },
  });
  worker.unref();
  Atomics.store(watch, 1, timeoutMs);
  const timer = setInterval(() => Atomics.add(watch, 0, 1), BEAT_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    Atomics.store(watch, 1, 0);
    Reflect.deleteProperty(process, STUCK);
  };
}
