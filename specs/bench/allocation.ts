// Bytes allocated per invocation, from V8's sampling heap profiler with collected objects kept in the profile: what
// one warm Environment.invoke allocates (the harness's part and the handler's), for the warm-loop table.
import { Session } from 'node:inspector/promises';

/** Sampled bytes per call of `invoke`, over `calls` calls (one sample per ~`interval` bytes allocated). */
export async function allocatedPerCall(
  invoke: () => Promise<unknown>,
  calls: number,
  interval = 64,
): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: interval,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    for (let i = 0; i < calls; i++) await invoke();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    return totalSelfSize(profile.head) / calls;
  } finally {
    session.disconnect();
  }
}

interface ProfileNode {
  selfSize: number;
  children: ProfileNode[];
}

function totalSelfSize(node: ProfileNode): number {
  let total = node.selfSize;
  for (const child of node.children) total += totalSelfSize(child);
  return total;
}
