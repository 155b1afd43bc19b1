// One sampled invocation's promises, held weakly in slots allocated once: a promise still unsettled and still
// reachable after a full GC is work the invocation left pending; one nothing can reach any more (the losing side
// of a Promise.race timeout whose timer was cleared) is garbage, never work.
import type { AsyncHook } from 'node:async_hooks';
import { createHook } from 'node:async_hooks';
import { ownStack } from '../runtime/own-stack.js';
import { userSite } from './resource-tracker.js';

/** Promises recorded per sampled invocation; more are counted in `dropped`, not recorded. */
export const PROMISE_SLOTS = 4096;

export class PromiseSample {
  /** Ascending: async ids only grow, so a settled promise's slot is found by binary search. */
  private readonly ids = new Float64Array(PROMISE_SLOTS);
  private readonly refs: Array<WeakRef<object> | undefined> = new Array(PROMISE_SLOTS).fill(undefined);
  /** The creation site in user code, formatted at once: a captured stack would hold the promise itself. */
  private readonly sites: Array<string | undefined> = new Array(PROMISE_SLOTS).fill(undefined);
  private count = 0;
  private recording = false;
  /**
   * On from `attach` to `detach`, for the whole run: switching an async hook on and off per sampled invocation
   * re-installs V8's promise hooks each time, and the code that V8 deoptimises and compiles again leaves its
   * metadata in the measured heap (~17 B/invocation of a fresh process's no-op main phase, Node 20).
   */
  private readonly hook: AsyncHook = createHook({
    init: (asyncId, type, _trigger, resource) => {
      if (this.recording && type === 'PROMISE') this.add(asyncId, resource);
    },
    // What settles after `stop` (after the invocation returned) was still pending when it returned.
    promiseResolve: (asyncId) => {
      if (this.recording) this.settle(asyncId);
    },
  });
  dropped = 0;

  constructor(private projectRoot: string) {}

  /** Installs the hook before the first invocation; nothing is recorded until `start`. */
  attach(): void {
    this.hook.enable();
  }

  detach(): void {
    this.recording = false;
    this.hook.disable();
  }

  /** Records the promises created from now until `stop`, forgetting the previous sample. */
  start(projectRoot: string): void {
    this.projectRoot = projectRoot;
    this.clear();
    this.recording = true;
  }

  stop(): void {
    this.recording = false;
  }

  /** Whether any recorded promise is still unsettled. */
  get holdsAny(): boolean {
    for (let i = 0; i < this.count; i++) if (this.refs[i] !== undefined) return true;
    return false;
  }

  /** User sites of the recorded promises that are unsettled and still alive, one per site; then forgets them. */
  takePendingSites(): Set<string> {
    const sites = new Set<string>();
    for (let i = 0; i < this.count; i++) {
      const site = this.sites[i];
      if (site !== undefined && this.refs[i]?.deref() !== undefined) sites.add(site);
    }
    this.clear();
    return sites;
  }

  clear(): void {
    this.refs.fill(undefined, 0, this.count);
    this.sites.fill(undefined, 0, this.count);
    this.count = 0;
    this.dropped = 0;
  }

  private add(asyncId: number, promise: object): void {
    if (this.count >= PROMISE_SLOTS) {
      this.dropped += 1;
      return;
    }
    const holder: { stack?: string } = {};
    Error.captureStackTrace(holder);
    const site = userSite(ownStack(holder), this.projectRoot);
    // Work started inside a dependency or by warmleak alone is not the handler's to fix: no slot for it.
    if (site === null || site.includes('node_modules/')) return;
    this.ids[this.count] = asyncId;
    this.refs[this.count] = new WeakRef(promise);
    this.sites[this.count] = site;
    this.count += 1;
  }

  private settle(asyncId: number): void {
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const id = this.ids[middle];
      if (id === asyncId) {
        this.refs[middle] = undefined;
        return;
      }
      if (id < asyncId) low = middle + 1;
      else high = middle - 1;
    }
  }
}
