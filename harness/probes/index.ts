// The probe registry: every probe of a run, each declaring the finding kinds it measures. Adding a probe is one line.
import type { FindingKind, Measurement, Probe } from '../types.js';
import { createCarryOverProbe } from './carry-over.js';
import { createCleanupProbe } from './cleanup.js';
import { createGlobalsProbe } from './globals.js';
import { createHandlesProbe } from './handles.js';
import { heapProbe } from './heap.js';
import { createListenersProbe } from './listeners.js';
import { createModuleScopeProbe } from './module-scope.js';
import { createPendingProbe } from './pending.js';
import { createProcessesProbe } from './processes.js';
import { createTmpProbe } from './tmp.js';

/** In sampling order: the heap first, so its full GC runs before other probes allocate. */
const REGISTRY: ReadonlyArray<() => Probe> = [
  () => heapProbe,
  () => createModuleScopeProbe(),
  () => createGlobalsProbe(),
  () => createListenersProbe(),
  () => createHandlesProbe(),
  () => createProcessesProbe(),
  () => createPendingProbe(),
  () => createTmpProbe(),
  () => createCarryOverProbe(),
];

export const ALL_KINDS: readonly FindingKind[] = [
  'state',
  'global',
  'listener',
  'heap',
  'handle',
  'process',
  'pending',
  'tmp',
  'carry-over',
];

/**
 * Fresh probes for one run: every probe that measures a wanted kind, each reporting only the wanted kinds (the
 * module-scope walk also counts listeners on the emitters it passes). The cleanup probe always comes first, so
 * that it stops last and kills what the handler left running after every other probe has had its look.
 */
export function createProbes(kinds: readonly FindingKind[] = ALL_KINDS): Probe[] {
  const wanted = new Set(kinds);
  const probes: Probe[] = [createCleanupProbe()];
  for (const create of REGISTRY) {
    const probe = create();
    if (!probe.kinds.some((kind) => wanted.has(kind))) continue;
    probes.push(probe.kinds.every((kind) => wanted.has(kind)) ? probe : onlyKinds(probe, wanted));
  }
  return probes;
}

/** The probe, sampling only measurements of the wanted kinds. */
function onlyKinds(probe: Probe, wanted: ReadonlySet<FindingKind>): Probe {
  const keep = (measurements: Measurement[]) => measurements.filter((m) => wanted.has(m.kind));
  const sample = probe.sample.bind(probe);
  return Object.assign(Object.create(probe) as Probe, {
    sample(target: Parameters<Probe['sample']>[0]) {
      const measured = sample(target);
      return measured instanceof Promise ? measured.then(keep) : keep(measured);
    },
  });
}
