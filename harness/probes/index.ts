// The probe registry: which probe measures which finding kind. Adding a probe is one line here.
import type { FindingKind, Probe } from '../types.js';
import { createCleanupProbe } from './cleanup.js';
import { createGlobalsProbe } from './globals.js';
import { createHandlesProbe } from './handles.js';
import { heapProbe } from './heap.js';
import { createListenersProbe } from './listeners.js';
import { createModuleScopeProbe } from './module-scope.js';
import { createPendingProbe } from './pending.js';
import { createProcessesProbe } from './processes.js';
import { tmpProbe } from './tmp.js';

/** In sampling order: the heap first, so its full GC runs before other probes allocate. */
const REGISTRY: Array<{ kinds: FindingKind[]; create: () => Probe }> = [
  { kinds: ['heap'], create: () => heapProbe },
  { kinds: ['state'], create: () => createModuleScopeProbe() },
  { kinds: ['global'], create: () => createGlobalsProbe() },
  { kinds: ['listener'], create: () => createListenersProbe() },
  { kinds: ['handle'], create: () => createHandlesProbe() },
  { kinds: ['process'], create: () => createProcessesProbe() },
  { kinds: ['pending'], create: () => createPendingProbe() },
  { kinds: ['tmp'], create: () => tmpProbe },
];

export const ALL_KINDS: FindingKind[] = [...new Set(REGISTRY.flatMap((entry) => entry.kinds))];

/**
 * Fresh probes for one run. The cleanup probe always comes first, so that it stops last and kills what the
 * handler left running after every other probe has had its look.
 */
export function createProbes(kinds: readonly FindingKind[] = ALL_KINDS): Probe[] {
  const wanted = new Set(kinds);
  return [
    createCleanupProbe(),
    ...REGISTRY.filter((entry) => entry.kinds.some((k) => wanted.has(k))).map((entry) => {
      const probe = entry.create();
      KINDS.set(probe, entry.kinds);
      return probe;
    }),
  ];
}

const KINDS = new WeakMap<Probe, FindingKind[]>();

/** The finding kinds a probe from `createProbes` reports (none for cleanup), so a report can say which passed. */
export function kindsOf(probe: Probe): readonly FindingKind[] {
  return KINDS.get(probe) ?? [];
}
