// Listeners probe: listener counts per event on `process`, with the line of user code that adds a growing one;
// emitters held in module scope are counted by the module-scope walk, which finds them while reading their module.
import { ownStack } from '../runtime/own-stack.js';
import type { Measurement, Probe, ProbeTarget } from '../types.js';
import { userSite } from './resource-tracker.js';

export interface ListenersProbe extends Probe {
  /** Events seen so far; one whose listeners were all removed reports 0 instead of vanishing from the series. */
  readonly events: ReadonlySet<string | symbol>;
}

/** `process.on('beforeExit')`, the way a person would write the registration they are looking for. */
export function listenerName(emitter: string, event: string | symbol): string {
  const label = typeof event === 'symbol' ? event.toString() : `'${event}'`;
  return `${emitter}.on(${label})`;
}

/**
 * A fresh listeners probe for one run. EventEmitter's own methods are read; no user code runs. Sites cost nothing
 * until an event's count grows between checkpoints: then the next listener added for it records one stack (its
 * `newListener` event), and the site is kept, one string per event, for the rest of the run.
 */
export function createListenersProbe(
  emitter: NodeJS.EventEmitter = process,
  label = 'process',
): ListenersProbe {
  const events = new Set<string | symbol>();
  const counts = new Map<string | symbol, number>();
  const sites = new Map<string | symbol, string>();
  const armed = new Set<string | symbol>();
  let projectRoot = process.cwd();
  let listening = false;
  const onNewListener = (event: string | symbol) => {
    if (!armed.has(event)) return;
    const holder: { stack?: string } = {};
    Error.captureStackTrace(holder, onNewListener);
    const site = userSite(ownStack(holder), projectRoot);
    // Added by warmleak or by Node itself: wait for the next one.
    if (site === null) return;
    sites.set(event, site);
    armed.delete(event);
  };
  return {
    name: 'listeners',
    kinds: ['listener'],
    events,
    start(target: ProbeTarget) {
      projectRoot = target.projectRoot;
      for (const event of emitter.eventNames()) events.add(event);
      emitter.on('newListener', onNewListener);
      listening = true;
    },
    sample() {
      for (const event of emitter.eventNames()) events.add(event);
      const measurements: Measurement[] = [];
      for (const event of events) {
        const name = listenerName(label, event);
        // The probe's own `newListener` listener is not the handler's.
        const value = emitter.listenerCount(event) - (event === 'newListener' && listening ? 1 : 0);
        if (value > (counts.get(event) ?? Number.POSITIVE_INFINITY) && !sites.has(event)) armed.add(event);
        counts.set(event, value);
        measurements.push({
          key: `listener:${name}`,
          kind: 'listener',
          name,
          site: sites.get(event),
          unit: 'listeners',
          value,
        });
      }
      return measurements;
    },
    stop() {
      emitter.off('newListener', onNewListener);
      listening = false;
      armed.clear();
    },
  };
}
