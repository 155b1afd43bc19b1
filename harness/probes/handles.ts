// Counts the open handles (timers, sockets, servers, watchers, file handles) the handler created and left open, per creation site.
import type { Measurement, Probe, ProbeTarget } from '../types.js';
import { sharedTracker, type TrackedResource } from './resource-tracker.js';

/** What a person calls each async_hooks handle type; non-repeating timers are pending work, not handles. */
export function handleName(record: TrackedResource): string | undefined {
  switch (record.type) {
    case 'Timeout': {
      const timer = record.ref.deref() as { _repeat?: unknown } | undefined;
      return timer && typeof timer._repeat === 'number' ? 'setInterval' : undefined;
    }
    case 'TCPSERVERWRAP':
    case 'PIPESERVERWRAP':
      return 'server';
    case 'TCPWRAP':
      return 'TCP socket';
    case 'PIPEWRAP':
      return 'pipe';
    case 'UDPWRAP':
      return 'UDP socket';
    case 'FSEVENTWRAP':
      return 'fs.watch';
    case 'STATWATCHER':
      return 'fs.watchFile';
    case 'FILEHANDLE':
      return 'file handle';
    case 'SIGNALWRAP':
      return 'signal handler';
    case 'WORKER':
      return 'worker thread';
    default:
      // Child processes are the processes probe's; immediates and requests are pending work.
      return undefined;
  }
}

/** Measures `handle:<name>:<site>`: how many handles created at that site are open at this checkpoint. */
export function createHandlesProbe(tracker = sharedTracker): Probe {
  // Keys seen once keep reporting (as 0 when closed) so that every series is complete.
  const seen = new Map<string, Measurement>();
  return {
    name: 'handles',
    kinds: ['handle'],
    start() {
      seen.clear();
      tracker.acquire();
    },
    sample(target: ProbeTarget): Measurement[] {
      for (const measurement of seen.values()) measurement.value = 0;
      for (const record of tracker.alive()) {
        const name = handleName(record);
        if (!name) continue;
        const site = tracker.siteOf(record, target.projectRoot);
        if (site === undefined) continue; // warmleak's own handle
        const key = `handle:${name}:${site}`;
        const measurement = seen.get(key);
        if (measurement) measurement.value += 1;
        else seen.set(key, { key, kind: 'handle', name, site, unit: 'handles', value: 1 });
      }
      return [...seen.values()].map((measurement) => ({ ...measurement }));
    },
    stop() {
      tracker.release();
    },
  };
}
