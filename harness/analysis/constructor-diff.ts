// What grows: the count and bytes per invocation of each constructor between two heap snapshots.
import { className, type HeapGraph, nodeSelfSize } from './heap-snapshot.js';

export interface ConstructorGrowth {
  /** Constructor or V8 category name: `AuditEntry`, `Object`, `Timeout`, `(string)`. */
  name: string;
  countPerInvocation: number;
  bytesPerInvocation: number;
}

export function countByConstructor(graph: HeapGraph): Map<string, { count: number; bytes: number }> {
  const counts = new Map<string, { count: number; bytes: number }>();
  for (let node = 0; node < graph.nodeCount; node++) {
    const name = className(graph, node);
    if (name === undefined) continue;
    const entry = counts.get(name);
    const size = nodeSelfSize(graph, node);
    if (entry) {
      entry.count++;
      entry.bytes += size;
    } else {
      counts.set(name, { count: 1, bytes: size });
    }
  }
  return counts;
}

/** Noise floor: the runner and the JIT create a handful of objects between any two snapshots. */
export function minimumGrowthCount(invocations: number): number {
  return Math.max(10, invocations * 0.25);
}

/** The growth of each constructor between two parsed snapshots, per invocation, largest bytes first. */
export function diffConstructors(
  before: HeapGraph,
  after: HeapGraph,
  invocations: number,
): ConstructorGrowth[] {
  const earlier = countByConstructor(before);
  const later = countByConstructor(after);
  const minCount = minimumGrowthCount(invocations);
  const growth: ConstructorGrowth[] = [];
  for (const [name, { count, bytes }] of later) {
    const base = earlier.get(name) ?? { count: 0, bytes: 0 };
    const countDelta = count - base.count;
    const bytesDelta = bytes - base.bytes;
    if (countDelta < minCount) continue;
    growth.push({
      name,
      countPerInvocation: countDelta / invocations,
      bytesPerInvocation: bytesDelta / invocations,
    });
  }
  return growth.sort((a, b) => b.bytesPerInvocation - a.bytesPerInvocation);
}

/** One row of @airbnb/node-memwatch's `HeapDiff.end().change.details`. */
export interface MemwatchDetail {
  what: string;
  size_bytes: number;
  '+': number;
  '-': number;
}

/** memwatch's categories in the names `className` gives; V8's internal arrays and code are left out as there. */
const MEMWATCH_NAMES: Record<string, string | null> = {
  String: '(string)',
  Closure: 'Function',
  Number: '(number)',
  Native: '(native)',
  Array: null,
  Code: null,
};

/** memwatch's native diff in the same shape, names and noise floor as `diffConstructors`. */
export function memwatchGrowth(details: MemwatchDetail[], invocations: number): ConstructorGrowth[] {
  const minCount = minimumGrowthCount(invocations);
  return details
    .filter((detail) => detail['+'] - detail['-'] >= minCount && MEMWATCH_NAMES[detail.what] !== null)
    .map((detail) => ({
      name: MEMWATCH_NAMES[detail.what] ?? detail.what,
      countPerInvocation: (detail['+'] - detail['-']) / invocations,
      bytesPerInvocation: detail.size_bytes / invocations,
    }))
    .sort((a, b) => b.bytesPerInvocation - a.bytesPerInvocation);
}
