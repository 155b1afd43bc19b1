// What grows: a constructor-level diff of the heap between two moments (count and bytes per invocation),
// from @airbnb/node-memwatch's HeapDiff when it loads, else from V8 heap snapshots parsed here.
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import { obtainGc } from './heap.js';

export interface ConstructorGrowth {
  /** Constructor or V8 category name: `AuditEntry`, `Object`, `Timeout`, `(string)`. */
  name: string;
  countPerInvocation: number;
  bytesPerInvocation: number;
}

/** A parsed V8 heap snapshot: flat node and edge tables, as in the `.heapsnapshot` format. */
export interface HeapGraph {
  nodeCount: number;
  nodeFields: number;
  edgeFields: number;
  nodes: number[];
  edges: number[];
  strings: string[];
  nodeTypes: string[];
  edgeTypes: string[];
  /** Index into `edges` of each node's first edge (already multiplied by edgeFields). */
  firstEdge: Uint32Array;
  field: { type: number; name: number; id: number; selfSize: number; edgeCount: number };
  edgeField: { type: number; nameOrIndex: number; toNode: number };
}

export function parseHeapSnapshot(json: string): HeapGraph {
  const raw = JSON.parse(json) as {
    snapshot: {
      meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] };
    };
    nodes: number[];
    edges: number[];
    strings: string[];
  };
  const meta = raw.snapshot.meta;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const field = {
    type: meta.node_fields.indexOf('type'),
    name: meta.node_fields.indexOf('name'),
    id: meta.node_fields.indexOf('id'),
    selfSize: meta.node_fields.indexOf('self_size'),
    edgeCount: meta.node_fields.indexOf('edge_count'),
  };
  const edgeField = {
    type: meta.edge_fields.indexOf('type'),
    nameOrIndex: meta.edge_fields.indexOf('name_or_index'),
    toNode: meta.edge_fields.indexOf('to_node'),
  };
  const nodeCount = raw.nodes.length / nodeFields;
  const firstEdge = new Uint32Array(nodeCount + 1);
  let edgeIndex = 0;
  for (let node = 0; node < nodeCount; node++) {
    firstEdge[node] = edgeIndex;
    edgeIndex += raw.nodes[node * nodeFields + field.edgeCount] * edgeFields;
  }
  firstEdge[nodeCount] = edgeIndex;
  return {
    nodeCount,
    nodeFields,
    edgeFields,
    nodes: raw.nodes,
    edges: raw.edges,
    strings: raw.strings,
    nodeTypes: meta.node_types[0],
    edgeTypes: meta.edge_types[0],
    firstEdge,
    field,
    edgeField,
  };
}

export function nodeType(graph: HeapGraph, node: number): string {
  return graph.nodeTypes[graph.nodes[node * graph.nodeFields + graph.field.type]];
}

export function nodeName(graph: HeapGraph, node: number): string {
  return graph.strings[graph.nodes[node * graph.nodeFields + graph.field.name]];
}

export function nodeId(graph: HeapGraph, node: number): number {
  return graph.nodes[node * graph.nodeFields + graph.field.id];
}

export function nodeSelfSize(graph: HeapGraph, node: number): number {
  return graph.nodes[node * graph.nodeFields + graph.field.selfSize];
}

/** Node types a user can recognise; the rest (code, hidden, shapes, internal arrays) is V8's business. */
const USER_TYPES = new Set([
  'object',
  'closure',
  'string',
  'concatenated string',
  'sliced string',
  'regexp',
  'number',
  'native',
  'bigint',
  'symbol',
]);

/** The name DevTools groups a node under: its constructor for objects, a category otherwise. */
export function className(graph: HeapGraph, node: number): string | undefined {
  const type = nodeType(graph, node);
  if (!USER_TYPES.has(type)) return undefined;
  switch (type) {
    case 'object':
      return nodeName(graph, node);
    case 'native': {
      // `system / JSArrayBufferData` is the bytes behind a Buffer, outside the JS heap.
      const name = nodeName(graph, node);
      // Node's own embedder objects (`Node / std::basic_string`) come and go with every snapshot.
      if (name.startsWith('Node / ')) return undefined;
      return name.startsWith('system / ') ? `(${name.slice(9)})` : name;
    }
    case 'closure':
      return 'Function';
    case 'string':
    case 'concatenated string':
    case 'sliced string':
      return '(string)';
    case 'regexp':
      return 'RegExp';
    case 'number':
      return '(number)';
    default:
      return `(${type})`;
  }
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

/**
 * Writes a snapshot to a temporary file rather than holding it as a string, so that the first snapshot
 * of a pair is not itself part of the second one.
 */
export function writeSnapshotFile(label: string): string {
  obtainGc()();
  const file = join(tmpdir(), `warmleak-${process.pid}-${Date.now()}-${label}.heapsnapshot`);
  writeHeapSnapshot(file);
  return file;
}

export function readSnapshotFile(file: string, remove = true): HeapGraph {
  try {
    return parseHeapSnapshot(readFileSync(file, 'utf8'));
  } finally {
    if (remove) rmSync(file, { force: true });
  }
}

/** The growth of each constructor between two parsed snapshots, per invocation, largest bytes first. */
export function diffConstructors(
  before: HeapGraph,
  after: HeapGraph,
  invocations: number,
): ConstructorGrowth[] {
  const earlier = countByConstructor(before);
  const later = countByConstructor(after);
  // Noise floor: the runner and the JIT create a handful of objects between any two snapshots.
  const minCount = Math.max(10, invocations * 0.25);
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

interface MemwatchHeapDiff {
  end(): { change: { details: Array<{ what: string; size_bytes: number; '+': number; '-': number }> } };
}
type MemwatchModule = { HeapDiff: new () => MemwatchHeapDiff };

let memwatch: MemwatchModule | null | undefined;

/**
 * @airbnb/node-memwatch when it is installed and loadable, on the main thread only: it is not context-aware,
 * so a worker thread (Vitest's threads pool) gets "Module did not self-register", or, when it does load
 * there, a fatal "Entering the V8 API without proper locking" from its GC callback that kills the process.
 */
export function loadMemwatch(): MemwatchModule | undefined {
  if (memwatch !== undefined) return memwatch ?? undefined;
  if (!isMainThread) {
    memwatch = null;
    return undefined;
  }
  try {
    memwatch = createRequire(import.meta.url)('@airbnb/node-memwatch') as MemwatchModule;
  } catch {
    memwatch = null;
  }
  return memwatch ?? undefined;
}

export type HeapDiffEngine = 'auto' | 'memwatch' | 'snapshot';

/**
 * Runs `invokeMore(invocations)` between two heap measurements and returns what grew per invocation.
 * `auto` prefers memwatch's HeapDiff and falls back to heap snapshots parsed here.
 */
export async function diffHeapConstructors(
  invokeMore: (n: number) => Promise<void>,
  invocations: number,
  engine: HeapDiffEngine = 'auto',
): Promise<{ engine: 'memwatch' | 'snapshot'; constructors: ConstructorGrowth[] }> {
  const native = engine === 'snapshot' ? undefined : loadMemwatch();
  if (native) {
    obtainGc()();
    const diff = new native.HeapDiff();
    await invokeMore(invocations);
    obtainGc()();
    const minCount = Math.max(10, invocations * 0.25);
    const constructors = diff
      .end()
      .change.details.filter((detail) => detail['+'] - detail['-'] >= minCount)
      .map((detail) => ({
        name: detail.what,
        countPerInvocation: (detail['+'] - detail['-']) / invocations,
        bytesPerInvocation: detail.size_bytes / invocations,
      }))
      .sort((a, b) => b.bytesPerInvocation - a.bytesPerInvocation);
    return { engine: 'memwatch', constructors };
  }
  if (engine === 'memwatch') throw new Error('@airbnb/node-memwatch is not loadable in this process');
  const beforeFile = writeSnapshotFile('before');
  await invokeMore(invocations);
  const afterFile = writeSnapshotFile('after');
  const before = readSnapshotFile(beforeFile);
  const after = readSnapshotFile(afterFile);
  return { engine: 'snapshot', constructors: diffConstructors(before, after, invocations) };
}
