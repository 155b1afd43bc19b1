// Ends an inline `warmleak bench` that a handler's synchronous loop has stuck: nothing in the blocked thread can
// run (not the invocation's timeout timer, not a SIGTERM listener), so a worker thread watches a heartbeat.
import { Worker } from 'node:worker_threads';

/**
 * The worker: when the main thread's heartbeat has not moved for `limitMs`, it writes Lambda's timeout words to
 * stderr and SIGKILLs the process, the only signal a blocked thread cannot delay. Plain JavaScript, no loader.
 */
const WATCHER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const beat = new Int32Array(workerData.beat);
const nap = new Int32Array(new SharedArrayBuffer(4));
let seen = Atomics.load(beat, 0);
let since = Date.now();
for (;;) {
  Atomics.wait(nap, 0, 0, 100);
  const now = Atomics.load(beat, 0);
  if (now !== seen) { seen = now; since = Date.now(); continue; }
  if (Date.now() - since > workerData.limitMs) {
    writeSync(2, workerData.message);
    process.kill(process.pid, 'SIGKILL');
  }
}
`;

/** How often the event loop proves it still turns; an inline environment turns it once per invocation anyway. */
const BEAT_MS = 50;
/** Past Lambda's timeout, how long the loop may stay blocked before the process is ended. */
const GRACE_MS = 1_000;

/**
 * Watches this process's event loop while an inline bench runs: blocked for longer than `timeoutMs` (a handler
 * spinning synchronously; Lambda would time it out) prints `Task timed out after 3.00 seconds` and ends the process.
 */
export function endIfStuck(timeoutMs: number, handler: string): () => void {
  const beat = new Int32Array(new SharedArrayBuffer(4));
  const seconds = (timeoutMs / 1000).toFixed(2);
  const message =
    `warmleak: ${handler}: Sandbox.Timedout: Task timed out after ${seconds} seconds ` +
    '(a synchronous loop blocked the inline environment, which cannot be interrupted; warmleak ended the process)\n';
  const worker = new Worker(WATCHER, {
    eval: true,
    workerData: { beat: beat.buffer, limitMs: timeoutMs + GRACE_MS, message },
  });
  worker.unref();
  const timer = setInterval(() => Atomics.add(beat, 0, 1), BEAT_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    void worker.terminate();
  };
}
