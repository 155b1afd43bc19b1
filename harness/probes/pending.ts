// Finds fire-and-forget work (timers, immediates, HTTP requests, unsettled promises) an invocation left pending when it returned.

import type { AsyncHook } from 'node:async_hooks';
import { createHook } from 'node:async_hooks';
import type { Measurement, Probe, ProbeTarget } from '../types.js';
import {
  calledByUserCode,
  isAlive,
  sharedTracker,
  type TrackedResource,
  userSite,
} from './resource-tracker.js';

/**
 * When promises are tracked: at the first invocation after each checkpoint (cheap, the default), at
 * every invocation (exact, slows promise-heavy handlers), or never (timers and requests only).
 */
export type PromiseSampling = 'checkpoint' | 'all' | 'off';

export interface PendingProbeOptions {
  promises?: PromiseSampling;
}

/** What a person calls pending work of each async_hooks type; handles that live on are the handles probe's. */
export function pendingName(record: TrackedResource): string | undefined {
  switch (record.type) {
    case 'Timeout': {
      const timer = record.ref.deref() as { _repeat?: unknown } | undefined;
      return timer && typeof timer._repeat !== 'number' ? 'setTimeout' : undefined;
    }
    case 'Immediate':
      return 'setImmediate';
    case 'HTTPCLIENTREQUEST':
      return 'HTTP request';
    default:
      return undefined;
  }
}

/** A site in the user's own code; work started inside a dependency or warmleak alone is not theirs to fix. */
/** Timers count only when the handler's own code set them; see calledByUserCode. */
const TIMER_TYPES: ReadonlySet<string> = new Set(['Timeout', 'Immediate']);

function isUserSite(site: string | undefined | null): site is string {
  return typeof site === 'string' && !site.includes('node_modules/');
}

/** The probe plus the per-invocation hooks the check loop calls around each invocation. */
export interface PendingProbe extends Probe {
  invocationStarted(index: number): void;
  invocationEnded(index: number): void;
}

/**
 * Measures `pending:<name>:<site>`: how many invocations so far left that work pending when they
 * returned (a running total, so work outliving every invocation grows by one per invocation).
 * Promise counts from sampled invocations are weighted by the invocations they stand for.
 */
export function createPendingProbe(options: PendingProbeOptions = {}, tracker = sharedTracker): PendingProbe {
  const sampling = options.promises ?? 'checkpoint';
  const totals = new Map<string, Measurement>();
  // Unsettled promises of the invocation being sampled: asyncId -> creation stack holder.
  const promises = new Map<number, { stack?: string }>();
  let promiseHook: AsyncHook | undefined;
  let projectRoot = process.cwd();
  let sampleNext = true;
  let samplingThis = false;
  let ended = 0;
  let endedAtLastSample = 0;

  const add = (name: string, site: string, weight: number) => {
    const key = `pending:${name}:${site}`;
    const measurement = totals.get(key);
    if (measurement) measurement.value += weight;
    else totals.set(key, { key, kind: 'pending', name, site, unit: 'handles', value: weight });
  };

  const promiseHookFor = () =>
    createHook({
      init(asyncId, type) {
        if (type !== 'PROMISE') return;
        const holder: { stack?: string } = {};
        Error.captureStackTrace(holder);
        promises.set(asyncId, holder);
      },
      promiseResolve(asyncId) {
        promises.delete(asyncId);
      },
    });

  return {
    name: 'pending',
    kinds: ['pending'],
    start(target: ProbeTarget) {
      projectRoot = target.projectRoot;
      totals.clear();
      sampleNext = true;
      ended = 0;
      endedAtLastSample = 0;
      tracker.acquire();
    },
    invocationStarted() {
      tracker.openWindow();
      samplingThis = sampling === 'all' || (sampling === 'checkpoint' && sampleNext);
      if (samplingThis) {
        sampleNext = false;
        promises.clear();
        promiseHook ??= promiseHookFor();
        promiseHook.enable();
      }
    },
    invocationEnded() {
      ended += 1;
      if (promiseHook && samplingThis) promiseHook.disable();
      // Work created during this invocation that has not run yet: it will run in a later invocation, or never.
      for (const record of tracker.closeWindow()) {
        const name = pendingName(record);
        if (!name || !isAlive(record)) continue;
        if (TIMER_TYPES.has(record.type) && !calledByUserCode(record.stackHolder?.stack)) continue;
        const site = tracker.siteOf(record, projectRoot);
        if (!isUserSite(site)) continue;
        add(name, site, 1);
      }
      if (samplingThis) {
        const weight = ended - endedAtLastSample;
        endedAtLastSample = ended;
        const sites = new Set<string>();
        for (const holder of promises.values()) {
          const site = userSite(holder.stack, projectRoot);
          if (isUserSite(site)) sites.add(site);
        }
        // One per site per invocation: an async chain creates several promises for one piece of work.
        for (const site of sites) add('promise', site, weight);
        promises.clear();
        samplingThis = false;
      }
    },
    sample(): Measurement[] {
      sampleNext = true;
      return [...totals.values()].map((measurement) => ({ ...measurement }));
    },
    stop() {
      promiseHook?.disable();
      promiseHook = undefined;
      promises.clear();
      tracker.release();
    },
  };
}
