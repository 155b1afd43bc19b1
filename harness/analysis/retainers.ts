// Who holds it: from a snapshot pair, the objects new and numerous in the second, and the retainer path
// from a GC root down to them, named by variables and properties (`(closure scope of handler) -> audit -> pending`).
import { type ConstructorGrowth, diffConstructors, minimumGrowthCount } from './constructor-diff.js';
import {
  className,
  type HeapGraph,
  nodeId,
  nodeName,
  nodeSelfSize,
  nodeType,
  readHeapSnapshotFile,
} from './heap-snapshot.js';

export interface HeapGrowthExplanation {
  constructors: ConstructorGrowth[];
  retainerPaths: string[];
  /**
   * Heap growth per invocation between the snapshots when test doubles are cut out (sinon's `stub.args`,
   * jest.fn's `mock.calls`): a spec's mock records every call by design, which is the test's growth, not the
   * handler's. Absent when the process holds no test double.
   */
  bytesPerInvocationWithoutTestDoubles?: number;
}

/**
 * Packages whose functions are test doubles. They record each call's arguments and results for assertions
 * (aws-sdk-client-mock is sinon underneath), so a long warm run through a mocked client grows their history.
 * Named by package because nothing in a heap snapshot tells a recorded call from application state; the rule
 * only ever removes growth reachable through these packages' own functions, never what the handler keeps.
 */
const TEST_DOUBLE =
  /[\\/]node_modules[\\/](sinon|@sinonjs[\\/][^\\/]+|jest-mock|@vitest[\\/]spy|tinyspy)[\\/]/;

/** Two snapshot files around `invocations` warm invocations, and what was already measured natively. */
export interface SnapshotPair {
  before: string;
  after: string;
  invocations: number;
  /** How many growing constructors get a retainer path; 3 by default. */
  maxPaths?: number;
  /** The constructor diff when @airbnb/node-memwatch computed it natively; else it is computed from the pair. */
  constructors?: ConstructorGrowth[];
}

/** Breadth-first parents from the synthetic root, over strong edges only, never through a `blocked` node. */
function retainerTree(
  graph: HeapGraph,
  blocked?: Uint8Array,
): { parentNode: Int32Array; parentEdge: Int32Array } {
  const parentNode = new Int32Array(graph.nodeCount).fill(-1);
  const parentEdge = new Int32Array(graph.nodeCount).fill(-1);
  const weak = graph.edgeTypes.indexOf('weak');
  const queue = new Int32Array(graph.nodeCount);
  let head = 0;
  let tail = 0;
  queue[tail++] = 0;
  parentNode[0] = 0;
  const { nodeFields, edgeFields, edges } = graph;
  const { type: typeField, toNode: toField } = graph.edgeField;
  while (head < tail) {
    const node = queue[head++];
    for (let edge = graph.firstEdge[node]; edge < graph.firstEdge[node + 1]; edge += edgeFields) {
      // Weak edges (WeakMap keys, caches) do not keep anything alive.
      if (edges[edge + typeField] === weak) continue;
      const to = edges[edge + toField] / nodeFields;
      if (parentNode[to] !== -1 || blocked?.[to]) continue;
      parentNode[to] = node;
      parentEdge[to] = edge;
      queue[tail++] = to;
    }
  }
  return { parentNode, parentEdge };
}

function edgeLabel(graph: HeapGraph, edge: number): { type: string; name: string } {
  const type = graph.edgeTypes[graph.edges[edge + graph.edgeField.type]];
  const nameOrIndex = graph.edges[edge + graph.edgeField.nameOrIndex];
  const name = type === 'element' || type === 'hidden' ? String(nameOrIndex) : graph.strings[nameOrIndex];
  return { type, name };
}

/**
 * A function whose closure scope is `context`, preferring one called `handler`: the scope's name for people.
 * Anonymous functions (`exports.handler = async () => {}`) are named by the property that holds them.
 */
function scopeOwnerName(graph: HeapGraph, context: number): string | undefined {
  const { edges, edgeFields, nodeFields } = graph;
  const { type: typeField, nameOrIndex: nameField, toNode: toField } = graph.edgeField;
  const internal = graph.edgeTypes.indexOf('internal');
  const property = graph.edgeTypes.indexOf('property');
  const contextName = graph.strings.indexOf('context');
  const owners = new Set<number>();
  for (let node = 0; node < graph.nodeCount; node++) {
    if (nodeType(graph, node) !== 'closure') continue;
    for (let edge = graph.firstEdge[node]; edge < graph.firstEdge[node + 1]; edge += edgeFields) {
      if (
        edges[edge + typeField] === internal &&
        edges[edge + nameField] === contextName &&
        edges[edge + toField] / nodeFields === context
      ) {
        owners.add(node);
      }
    }
  }
  const names = new Set<string>();
  for (const owner of owners) {
    const name = nodeName(graph, owner);
    if (name) names.add(name);
  }
  if (names.size < owners.size) {
    for (let edge = 0; edge < edges.length; edge += edgeFields) {
      if (edges[edge + typeField] === property && owners.has(edges[edge + toField] / nodeFields)) {
        names.add(graph.strings[edges[edge + nameField]]);
      }
    }
  }
  return names.has('handler') ? 'handler' : [...names].sort()[0];
}

/** Closures whose code lives in a test-double package: closure -> shared function info -> script name. */
function testDoubleClosures(graph: HeapGraph): Uint8Array {
  const blocked = new Uint8Array(graph.nodeCount);
  const { edges, edgeFields, nodeFields } = graph;
  const { nameOrIndex: nameField, toNode: toField } = graph.edgeField;
  const shared = graph.strings.indexOf('shared');
  // V8 12 (Node 20, 22) names the function info's edge to its script `script_or_debug_info`; V8 13 (Node 24) `script`.
  const legacyScript = graph.strings.indexOf('script_or_debug_info');
  const modernScript = graph.strings.indexOf('script');
  if (shared === -1 || (legacyScript === -1 && modernScript === -1)) return blocked;
  const edgeTo = (node: number, name: number): number => {
    for (let edge = graph.firstEdge[node]; edge < graph.firstEdge[node + 1]; edge += edgeFields) {
      if (edges[edge + nameField] === name) return edges[edge + toField] / nodeFields;
    }
    return -1;
  };
  const verdictByScript = new Map<number, boolean>();
  for (let node = 0; node < graph.nodeCount; node++) {
    if (nodeType(graph, node) !== 'closure') continue;
    const info = edgeTo(node, shared);
    let file = info === -1 ? -1 : edgeTo(info, legacyScript);
    if (file === -1 && info !== -1 && modernScript !== -1) file = edgeTo(info, modernScript);
    if (file === -1) continue;
    let isDouble = verdictByScript.get(file);
    if (isDouble === undefined) {
      isDouble = TEST_DOUBLE.test(nodeName(graph, file));
      verdictByScript.set(file, isDouble);
    }
    if (isDouble) blocked[node] = 1;
  }
  return blocked;
}

/** Bytes of user-visible objects strongly reachable from the roots without passing through a test double's functions. */
function reachableWithoutTestDoubles(graph: HeapGraph, blocked: Uint8Array): number {
  const { parentNode } = retainerTree(graph, blocked);
  let bytes = 0;
  for (let node = 0; node < graph.nodeCount; node++) {
    // Objects a user could hold, as in the constructor diff; V8's code, shapes and feedback settle on their own.
    if (parentNode[node] !== -1 && className(graph, node) !== undefined) bytes += nodeSelfSize(graph, node);
  }
  return bytes;
}

/**
 * The path from the nearest named scope down to `target`, in the user's words. Element indices and V8's
 * internal links (backing stores, hash tables) are left out: `audit -> pending -> AuditEntry`.
 */
function describePath(
  graph: HeapGraph,
  tree: ReturnType<typeof retainerTree>,
  target: number,
): string | undefined {
  const hops: Array<{ edgeType: string; edgeName: string; from: number; to: number }> = [];
  for (let node = target; node !== 0; node = tree.parentNode[node]) {
    if (tree.parentNode[node] === -1) return undefined;
    const { type, name } = edgeLabel(graph, tree.parentEdge[node]);
    hops.unshift({ edgeType: type, edgeName: name, from: tree.parentNode[node], to: node });
  }
  // Start at the last variable of a closure scope, else at the last named property of the path.
  let start = -1;
  for (let i = hops.length - 1; i >= 0; i--) {
    if (hops[i].edgeType === 'context') {
      start = i;
      break;
    }
  }
  const parts: string[] = [];
  if (start >= 0) {
    const owner = scopeOwnerName(graph, hops[start].from);
    parts.push(owner ? `(closure scope of ${owner})` : '(module scope)');
  } else {
    start = Math.max(0, hops.length - 4);
    const from = hops[start].from;
    parts.push(className(graph, from) ?? nodeName(graph, from));
  }
  for (let i = start; i < hops.length; i++) {
    const { edgeType, edgeName } = hops[i];
    if (edgeType === 'context' || edgeType === 'property' || edgeType === 'shortcut') parts.push(edgeName);
    // An element in the middle of the path is named by its constructor: `pending -> AuditEntry -> requestId`.
    else if (edgeType === 'element' && i < hops.length - 1) {
      const name = className(graph, hops[i].to);
      if (name) parts.push(name);
    }
  }
  const last = className(graph, target) ?? nodeName(graph, target);
  if (parts[parts.length - 1] !== last) parts.push(last);
  return parts.join(' -> ');
}

/**
 * For each constructor with many objects that exist only in `after`, the retainer path most of them share.
 * Clean handlers have no such constructor, so they get no path.
 */
export function findRetainerPaths(
  before: HeapGraph,
  after: HeapGraph,
  invocations: number,
  maxPaths = 3,
): string[] {
  const fresh = freshByConstructor(before, after);
  const minCount = minimumGrowthCount(invocations);
  const numerous = [...fresh.entries()]
    .filter(([, nodes]) => nodes.length >= minCount)
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, maxPaths);
  if (numerous.length === 0) return [];
  const tree = retainerTree(after);
  const paths: string[] = [];
  for (const [name, nodes] of numerous) {
    const votes = new Map<string, number>();
    const step = Math.max(1, Math.floor(nodes.length / 25));
    for (let i = 0; i < nodes.length; i += step) {
      const path = describePath(after, tree, nodes[i]);
      if (path) votes.set(path, (votes.get(path) ?? 0) + 1);
    }
    const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0];
    if (best) paths.push(`${best[0]} (${nodes.length} new ${name} in ${invocations} invocations)`);
  }
  return paths;
}

/**
 * Bytes per invocation by which the heap grew between the snapshots, counting only what stays reachable when test
 * doubles' functions are cut out of the graph; undefined when test doubles kept none of the growth. Net growth, not
 * new objects: a handler that replaces what it keeps (a refreshed cache, the last event) makes new objects
 * without growing.
 */
export function growthWithoutTestDoubles(
  before: HeapGraph,
  after: HeapGraph,
  invocations: number,
): number | undefined {
  const blockedAfter = testDoubleClosures(after);
  if (!blockedAfter.includes(1)) return undefined;
  const none = new Uint8Array(0);
  const grownAll = reachableWithoutTestDoubles(after, none) - reachableWithoutTestDoubles(before, none);
  const grown =
    reachableWithoutTestDoubles(after, blockedAfter) -
    reachableWithoutTestDoubles(before, testDoubleClosures(before));
  // Test runners load spy libraries for their own use; only doubles that kept part of the growth count.
  if ((grownAll - grown) / Math.max(1, invocations) < 8) return undefined;
  return grown / Math.max(1, invocations);
}

/** Nodes of `after` that `before` did not have, grouped by constructor. */
function freshByConstructor(before: HeapGraph, after: HeapGraph): Map<string, number[]> {
  const known = new Set<number>();
  for (let node = 0; node < before.nodeCount; node++) known.add(nodeId(before, node));
  const fresh = new Map<string, number[]>();
  for (let node = 0; node < after.nodeCount; node++) {
    if (known.has(nodeId(after, node))) continue;
    const name = className(after, node);
    if (name === undefined) continue;
    const list = fresh.get(name);
    if (list) list.push(node);
    else fresh.set(name, [node]);
  }
  return fresh;
}

/**
 * What grew per invocation between two snapshot files and who holds it. Reads the files incrementally, one at a
 * time, and never needs the environment: a process-isolated check runs it in the parent, outside the function's
 * memory limit.
 */
export function explainSnapshots(pair: SnapshotPair): HeapGrowthExplanation {
  const { invocations } = pair;
  const before = readHeapSnapshotFile(pair.before);
  const after = readHeapSnapshotFile(pair.after);
  const explanation: HeapGrowthExplanation = {
    constructors: pair.constructors ?? diffConstructors(before, after, invocations),
    retainerPaths: findRetainerPaths(before, after, invocations, pair.maxPaths),
  };
  const withoutDoubles = growthWithoutTestDoubles(before, after, invocations);
  // Absent when no test double exists, so a run without mocks reports exactly what it did before.
  return withoutDoubles === undefined
    ? explanation
    : { ...explanation, bytesPerInvocationWithoutTestDoubles: withoutDoubles };
}
