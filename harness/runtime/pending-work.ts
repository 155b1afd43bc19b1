// Tracks the asynchronous resources a callback-style handler opens, so that "the event loop is empty" (Lambda's
// condition for answering after callback(null, result)) can be decided in a process shared with a test runner.
import { AsyncLocalStorage, createHook } from 'node:async_hooks';

/** Types whose completion does not keep Lambda's event loop busy on its own. */
const IGNORED = new Set(['PROMISE', 'TickObject', 'Microtask']);

interface Resource {
  hasRef?: () => boolean;
}

/**
 * Resources the handler opened while tracking is on, keyed by async id, forgotten when destroyed. Only work
 * started from inside the handler's call counts: an async chain begun before the invocation (a loader writing
 * its cache, a test runner's file watcher) creates resources during it too, but is not the handler's.
 */
export class PendingWork {
  private readonly open = new Map<number, Resource>();
  private readonly owner = new AsyncLocalStorage<PendingWork>();
  private readonly hook = createHook({
    init: (asyncId, type, _trigger, resource) => {
      if (!IGNORED.has(type) && this.owner.getStore() === this) this.open.set(asyncId, resource as Resource);
    },
    destroy: (asyncId) => {
      this.open.delete(asyncId);
    },
  });

  /** Calls the handler so that everything it starts, now or later in its async chains, is attributed to it. */
  run<T>(fn: () => T): T {
    return this.owner.run(this, fn);
  }

  /** Runs `fn` (the harness's own timers) without recording what it opens. */
  untracked(fn: () => void): void {
    if (!this.enabled) {
      fn();
      return;
    }
    this.hook.disable();
    try {
      fn();
    } finally {
      this.hook.enable();
    }
  }

  private enabled = false;

  start(): void {
    this.enabled = true;
    this.open.clear();
    this.hook.enable();
  }

  stop(): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.hook.disable();
    this.open.clear();
  }

  /** True when nothing the handler opened still holds the event loop (unref'd handles do not). */
  isEmpty(): boolean {
    for (const resource of this.open.values()) {
      if (typeof resource.hasRef !== 'function' || resource.hasRef()) return false;
    }
    return true;
  }
}
