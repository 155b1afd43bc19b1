// Finds fire-and-forget work (timers, immediates, HTTP requests, unsettled promises) an invocation left pending when it returned.

import { ownStack } from '../runtime/own-stack.js';
import type { Measurement, Probe, ProbeTarget } from '../types.js';
import { obtainGc, settledGcs } from './heap.js';
import { PromiseSample } from './pending-promises.js';
import { calledByUserCode, isAlive, sharedTracker, type TrackedResource } from './resource-tracker.js';

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
 * Promise counts from sampled invocations are weighted by the invocations they stand for. A sampled invocation's
 * promises are judged at the next checkpoint, after a full GC: only those still unsettled and still reachable count.
 */
export function createPendingProbe(options: PendingProbeOptions = {}, tracker = sharedTracker): PendingProbe {
  const sampling = options.promises ?? 'checkpoint';
  const totals = new Map<string, Measurement>();
  let promises: PromiseSample | undefined;
  let projectRoot = process.cwd();
  let sampleNext = true;
  let samplingThis = false;
  let ended = 0;
  let endedAtLastSample = 0;
  /** The weight of the sampled invocation whose promises wait for the next checkpoint, 0 when none wait. */
  let awaitingWeight = 0;
  let gcsAtSample = 0;

  const add = (name: string, site: string, weight: number) => {
    const key = `pending:${name}:${site}`;
    const measurement = totals.get(key);
    if (measurement) measurement.value += weight;
    else totals.set(key, { key, kind: 'pending', name, site, unit: 'handles', value: weight });
  };

  /** One per site per invocation: an async chain creates several promises for one piece of work. */
  const countPromises = (weight: number) => {
    if (!promises) return;
    for (const site of promises.takePendingSites()) add('promise', site, weight);
  };

  /** Work created during the invocation that has not run yet: it will run in a later invocation, or never. */
  const leftPending = (record: TrackedResource) => {
    const name = pendingName(record);
    if (!name || !isAlive(record)) return;
    if (TIMER_TYPES.has(record.type) && !calledByUserCode(ownStack(record.stackHolder))) return;
    const site = tracker.siteOf(record, projectRoot);
    if (isUserSite(site)) add(name, site, 1);
  };

  return {
    name: 'pending',
    kinds: ['pending'],
    start(target: ProbeTarget) {
      projectRoot = target.projectRoot;
      totals.clear();
      sampleNext = true;
      ended = 0;
      endedAtLastSample = 0;
      awaitingWeight = 0;
      tracker.acquire();
    },
    invocationStarted() {
      tracker.openWindow();
      samplingThis = sampling === 'all' || (sampling === 'checkpoint' && sampleNext);
      if (samplingThis) {
        sampleNext = false;
        promises ??= new PromiseSample(projectRoot);
        promises.start(projectRoot);
      }
    },
    invocationEnded() {
      ended += 1;
      if (samplingThis) promises?.stop();
      tracker.closeWindow(leftPending);
      if (samplingThis) {
        const weight = ended - endedAtLastSample;
        endedAtLastSample = ended;
        samplingThis = false;
        // Every invocation sampled: no GC per invocation, so an unreachable promise still counts as unsettled.
        if (sampling === 'all') countPromises(weight);
        else {
          awaitingWeight = weight;
          gcsAtSample = settledGcs();
        }
      }
    },
    sample(): Measurement[] {
      if (awaitingWeight > 0) {
        // The heap probe's GC, when it ran since, serves; otherwise one of our own, only when a promise is left.
        if (settledGcs() === gcsAtSample && promises?.holdsAny) obtainGc()();
        countPromises(awaitingWeight);
        awaitingWeight = 0;
      }
      sampleNext = true;
      return [...totals.values()].map((measurement) => ({ ...measurement }));
    },
    stop() {
      promises?.stop();
      promises?.clear();
      promises = undefined;
      tracker.release();
    },
  };
}
