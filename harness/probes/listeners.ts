// Listeners probe: listener counts per event on `process`; emitters held in module scope are counted by the
// module-scope walk, which finds them while reading their module.
import type { Measurement, Probe } from '../types.js';

export interface ListenersProbe extends Probe {
  /** Events seen so far; one whose listeners were all removed reports 0 instead of vanishing from the series. */
  readonly events: ReadonlySet<string | symbol>;
}

/** `process.on('beforeExit')`, the way a person would write the registration they are looking for. */
export function listenerName(emitter: string, event: string | symbol): string {
  const label = typeof event === 'symbol' ? event.toString() : `'${event}'`;
  return `${emitter}.on(${label})`;
}

/** A fresh listeners probe for one run. EventEmitter's own methods are read; no user code runs. */
export function createListenersProbe(
  emitter: NodeJS.EventEmitter = process,
  label = 'process',
): ListenersProbe {
  const events = new Set<string | symbol>();
  return {
    name: 'listeners',
    kinds: ['listener'],
    events,
    start() {
      for (const event of emitter.eventNames()) events.add(event);
    },
    sample() {
      for (const event of emitter.eventNames()) events.add(event);
      const measurements: Measurement[] = [];
      for (const event of events) {
        const name = listenerName(label, event);
        measurements.push({
          key: `listener:${name}`,
          kind: 'listener',
          name,
          unit: 'listeners',
          value: emitter.listenerCount(event),
        });
      }
      return measurements;
    },
  };
}
