// Whether this thread is loading a handler module (Lambda's init phase, which has its own 10 s timeout): a counter
// in shared memory, allocated once, that a watcher on another thread reads while this one may be blocked.
export const INIT_PHASE = new Int32Array(new SharedArrayBuffer(4));

/** Runs a handler module's load as init: the invocation timeout does not apply to it. */
export async function duringInit<T>(load: () => Promise<T>): Promise<T> {
  Atomics.add(INIT_PHASE, 0, 1);
  try {
    return await load();
  } finally {
    Atomics.sub(INIT_PHASE, 0, 1);
  }
}
