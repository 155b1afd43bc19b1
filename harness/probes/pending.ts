// Finds fire-and-forget work (timers, immediates, HTTP requests, unsettled promises) an invocation left pending when it returned.

import type { Measurement, Probe, ProbeTarget } from '../types.js';
import { obtainGc, settledGcs } from './heap.js';
import { PromiseSample } from './pending-promises.js';
import { createdByUserCall, isAlive, sharedTracker, type TrackedResource } from './resource-tracker.js';

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

/** One run's counts and where promise sampling stands; allocated once per probe. */
interface PendingState {
  sampling: PromiseSampling;
  tracker: typeof sharedTracker;
  totals: Map<string, Measurement>;
  promises?: PromiseSample;
  projectRoot: string;
  sampleNext: boolean;
  samplingThis: boolean;
  ended: number;
  endedAtLastSample: number;
  /** The weight of the sampled invocation whose promises wait for the next checkpoint, 0 when none wait. */
  awaitingWeight: number;
  gcsAtSample: number;
}

function addPending(state: PendingState, name: string, site: string, weight: number): void {
  const key = `pending:${name}:${site}`;
  const measurement = state.totals.get(key);
  if (measurement) measurement.value += weight;
  else state.totals.set(key, { key, kind: 'pending', name, site, unit: 'handles', value: weight });
}

/** One per site per invocation: an async chain creates several promises for one piece of work. */
function countPromises(state: PendingState, weight: number): void {
  if (!state.promises) return;
  for (const site of state.promises.takePendingSites()) addPending(state, 'promise', site, weight);
}

/** After an invocation: the tracker's window closed, and a sampled invocation's promises counted or set aside. */
function endInvocation(state: PendingState, leftPending: (record: TrackedResource) => void): void {
  state.ended += 1;
  if (state.samplingThis) state.promises?.stop();
  state.tracker.closeWindow(leftPending);
  if (!state.samplingThis) return;
  const weight = state.ended - state.endedAtLastSample;
  state.endedAtLastSample = state.ended;
  state.samplingThis = false;
  // Every invocation sampled: no GC per invocation, so an unreachable promise still counts as unsettled.
  if (state.sampling === 'all') countPromises(state, weight);
  else {
    state.awaitingWeight = weight;
    state.gcsAtSample = settledGcs();
  }
}

/** At a checkpoint: the set-aside promises of a sampled invocation, counted once a GC has dropped the unreachable. */
function judgeSetAside(state: PendingState): void {
  if (state.awaitingWeight === 0) return;
  // The heap probe's GC, when it ran since, serves; otherwise one of our own, only when a promise is left.
  if (settledGcs() === state.gcsAtSample && state.promises?.holdsAny) obtainGc()();
  countPromises(state, state.awaitingWeight);
  state.awaitingWeight = 0;
}

/**
 * Measures `pending:<name>:<site>`: how many invocations so far left that work pending when they
 * returned (a running total, so work outliving every invocation grows by one per invocation).
 * Promise counts from sampled invocations are weighted by the invocations they stand for. A sampled invocation's
 * promises are judged at the next checkpoint, after a full GC: only those still unsettled and still reachable count.
 */
export function createPendingProbe(options: PendingProbeOptions = {}, tracker = sharedTracker): PendingProbe {
  const state: PendingState = {
    sampling: options.promises ?? 'checkpoint',
    tracker,
    totals: new Map(),
    projectRoot: process.cwd(),
    sampleNext: true,
    samplingThis: false,
    ended: 0,
    endedAtLastSample: 0,
    awaitingWeight: 0,
    gcsAtSample: 0,
  };

  /** Work created during the invocation that has not run yet: it will run in a later invocation, or never. */
  const leftPending = (record: TrackedResource) => {
    const name = pendingName(record);
    if (!name || !isAlive(record)) return;
    if (TIMER_TYPES.has(record.type) && !createdByUserCall(record, state.projectRoot)) return;
    const site = tracker.siteOf(record, state.projectRoot);
    if (isUserSite(site)) addPending(state, name, site, 1);
  };

  return {
    name: 'pending',
    kinds: ['pending'],
    start(target: ProbeTarget) {
      state.projectRoot = target.projectRoot;
      state.totals.clear();
      state.sampleNext = true;
      state.ended = 0;
      state.endedAtLastSample = 0;
      state.awaitingWeight = 0;
      tracker.acquire();
      if (state.sampling !== 'off') {
        state.promises ??= new PromiseSample(state.projectRoot);
        state.promises.attach();
      }
    },
    invocationStarted() {
      tracker.openWindow();
      state.samplingThis = state.sampling === 'all' || (state.sampling === 'checkpoint' && state.sampleNext);
      if (state.samplingThis) {
        state.sampleNext = false;
        state.promises?.start(state.projectRoot);
      }
    },
    invocationEnded() {
      endInvocation(state, leftPending);
    },
    sample(): Measurement[] {
      judgeSetAside(state);
      state.sampleNext = true;
      return [...state.totals.values()].map((measurement) => ({ ...measurement }));
    },
    stop() {
      state.promises?.detach();
      state.promises?.clear();
      state.promises = undefined;
      tracker.release();
    },
  };
}
