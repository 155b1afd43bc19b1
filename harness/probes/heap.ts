// The heap probe: at each checkpoint, a full GC, then the heap the handler's objects use, external and arrayBuffers
// in bytes.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Measurement, Probe } from '../types.js';

let fullGc: (() => void) | undefined;

/**
 * The engine's `gc` function, without asking the user for `--expose-gc`: the flag is set at run time and
 * a new context picks up the `gc` global it now installs. Obtained once; later calls reuse it.
 */
export function obtainGc(): () => void {
  if (fullGc) return fullGc;
  const existing = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === 'function') {
    fullGc = existing as () => void;
    return fullGc;
  }
  setFlagsFromString('--expose-gc');
  fullGc = runInNewContext('gc') as () => void;
  return fullGc;
}

let settled = 0;

/**
 * Spaces that hold compiled code and bytecode, not objects: V8 tiers functions up (Sparkplug, Maglev, TurboFan)
 * over the first thousands of calls and flushes bytecode on its own schedule, which moved heapUsed by ±200 KB
 * between checkpoints of a clean SDK handler. A handler's state lives in the object spaces: a function it keeps
 * per call is a JSFunction there, whatever its code costs.
 */
const COMPILED_CODE = /^(code_|trusted_|shared_trusted_)/;

/** heapUsed without the compiled-code spaces (Node 22+ puts bytecode in the trusted spaces). */
export function objectHeapUsed(): number {
  let used = 0;
  for (const space of getHeapSpaceStatistics())
    if (!COMPILED_CODE.test(space.space_name)) used += space.space_used_size;
  return used;
}

/** How many settled heap reads so far: a probe that needs a collected heap can tell whether one ran since. */
export function settledGcs(): number {
  return settled;
}

/** Heap numbers after a settled full GC; exported for callers that keep their own series. */
export function readSettledHeap(): { used: number; external: number; arrayBuffers: number } {
  const gc = obtainGc();
  // Two passes: the first may leave objects whose finalizers or weak callbacks free more on the second.
  gc();
  gc();
  settled += 1;
  const usage = process.memoryUsage();
  return { used: objectHeapUsed(), external: usage.external, arrayBuffers: usage.arrayBuffers };
}

export const heapProbe: Probe = {
  name: 'heap',
  kinds: ['heap'],
  start() {
    obtainGc();
  },
  sample(): Measurement[] {
    const { used, external, arrayBuffers } = readSettledHeap();
    return [
      { key: 'heap:used', kind: 'heap', name: 'heapUsed', unit: 'bytes', value: used },
      { key: 'heap:external', kind: 'heap', name: 'external', unit: 'bytes', value: external },
      { key: 'heap:arrayBuffers', kind: 'heap', name: 'arrayBuffers', unit: 'bytes', value: arrayBuffers },
    ];
  },
};

/**
 * A heap series without the full check loop: `invoke(i)` runs invocation i; a settled sample is taken
 * before the first invocation and after every `invocations / checkpoints` of them. For specs and benches.
 */
export async function collectHeapSeries(
  invoke: (index: number) => unknown,
  options: { invocations: number; checkpoints: number },
): Promise<{ used: [number, number][]; external: [number, number][]; arrayBuffers: [number, number][] }> {
  const { invocations, checkpoints } = options;
  // Preallocated so that recording a checkpoint adds nothing the next checkpoint would count.
  const used = new Array<[number, number]>(checkpoints + 1);
  const external = new Array<[number, number]>(checkpoints + 1);
  const arrayBuffers = new Array<[number, number]>(checkpoints + 1);
  let done = 0;
  for (let checkpoint = 0; checkpoint <= checkpoints; checkpoint++) {
    const target = Math.round((checkpoint * invocations) / checkpoints);
    while (done < target) await invoke(done++);
    const heap = readSettledHeap();
    used[checkpoint] = [done, heap.used];
    external[checkpoint] = [done, heap.external];
    arrayBuffers[checkpoint] = [done, heap.arrayBuffers];
  }
  return { used, external, arrayBuffers };
}
