// Reads a V8 `.heapsnapshot` incrementally, chunk by chunk, into flat typed tables: no whole-file string, no
// JSON.parse of the whole, so a snapshot of tens of MB costs its tables (~12 bytes per node field) and its strings.
import { closeSync, openSync, readSync } from 'node:fs';

/** A parsed V8 heap snapshot: flat node and edge tables, as in the `.heapsnapshot` format. */
export interface HeapGraph {
  nodeCount: number;
  nodeFields: number;
  edgeFields: number;
  nodes: ArrayLike<number>;
  edges: ArrayLike<number>;
  strings: string[];
  nodeTypes: string[];
  edgeTypes: string[];
  /** Index into `edges` of each node's first edge (already multiplied by edgeFields). */
  firstEdge: Uint32Array;
  field: { type: number; name: number; id: number; selfSize: number; edgeCount: number };
  edgeField: { type: number; nameOrIndex: number; toNode: number };
}

interface SnapshotMeta {
  node_fields: string[];
  node_types: [string[]];
  edge_fields: string[];
  edge_types: [string[]];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE = 0x5d;
const ZERO = 0x30;
const NINE = 0x39;
enum Phase {
  Header,
  SeekNodes,
  Nodes,
  SeekEdges,
  Edges,
  SeekStrings,
  Strings,
  Done,
}

/**
 * Feed it the file's bytes in any chunking with `write`, then `end()` for the graph. It relies on the layout
 * V8 writes (`{"snapshot":{meta, node_count, edge_count}, "nodes":[...], "edges":[...], ..., "strings":[...]}`),
 * which DevTools and memlab rely on too; the counts in the header size the tables up front.
 */
export class HeapSnapshotParser {
  private phase = Phase.Header;
  /** Bytes a phase could not consume yet (the header, a key or a string split across chunks). */
  private pending: Buffer = Buffer.alloc(0);
  private meta: SnapshotMeta | undefined;
  private nodes = new Float64Array(0);
  private edges = new Uint32Array(0);
  private filled = 0;
  /** The number being read when a chunk ended inside it, -1 between numbers. */
  private number = -1;
  private readonly strings: string[] = [];

  write(chunk: Uint8Array): void {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.pending.length > 0) data = Buffer.concat([this.pending, data]);
    let at = 0;
    while (at < data.length && this.phase !== Phase.Done) {
      const next = this.step(data, at);
      if (next === at) break; // needs the next chunk
      at = next;
    }
    this.pending = this.phase === Phase.Done ? Buffer.alloc(0) : Buffer.from(data.subarray(at));
  }

  end(): HeapGraph {
    if (this.phase !== Phase.Done || !this.meta) {
      throw new Error('warmleak: the heap snapshot ended early (truncated file?)');
    }
    return buildGraph(this.meta, this.nodes, this.edges, this.strings);
  }

  /** Consumes from `at` and returns where it stopped; `at` itself when it needs more bytes first. */
  private step(data: Buffer, at: number): number {
    switch (this.phase) {
      case Phase.Header:
        return this.header(data, at);
      case Phase.SeekNodes:
        return this.seek(data, at, '"nodes":[', Phase.Nodes);
      case Phase.Nodes:
        return this.numbers(data, at, this.nodes, Phase.SeekEdges);
      case Phase.SeekEdges:
        return this.seek(data, at, '"edges":[', Phase.Edges);
      case Phase.Edges:
        return this.numbers(data, at, this.edges, Phase.SeekStrings);
      case Phase.SeekStrings:
        return this.seek(data, at, '"strings":[', Phase.Strings);
      default:
        return this.stringList(data, at);
    }
  }

  /** `{"snapshot":{...},` up to the nodes key: small, parsed as JSON once it is whole. */
  private header(data: Buffer, at: number): number {
    const key = data.indexOf('"nodes"', at, 'latin1');
    if (key === -1) {
      if (data.length - at > 1 << 20) throw new Error('warmleak: not a V8 heap snapshot (no nodes table)');
      return at;
    }
    const text = data.toString('utf8', at, key).trim().replace(/,$/, '');
    const header = JSON.parse(`${text}}`) as {
      snapshot: { meta: SnapshotMeta; node_count: number; edge_count: number };
    };
    this.meta = header.snapshot.meta;
    this.nodes = new Float64Array(header.snapshot.node_count * this.meta.node_fields.length);
    this.edges = new Uint32Array(header.snapshot.edge_count * this.meta.edge_fields.length);
    this.phase = Phase.SeekNodes;
    return key;
  }

  /** Skips to just after `key` (the tables in between, traces and samples, are not needed). */
  private seek(data: Buffer, at: number, key: string, then: Phase): number {
    const found = data.indexOf(key, at, 'latin1');
    if (found === -1) return Math.max(at, data.length - key.length + 1); // the key may straddle chunks
    this.phase = then;
    this.filled = 0;
    this.number = -1;
    return found + key.length;
  }

  /** Unsigned integers separated by commas and newlines, until the array's `]`. */
  private numbers(data: Buffer, at: number, into: Float64Array | Uint32Array, then: Phase): number {
    let value = this.number;
    let filled = this.filled;
    for (let i = at; i < data.length; i++) {
      const byte = data[i];
      if (byte >= ZERO && byte <= NINE) {
        value = (value < 0 ? 0 : value * 10) + (byte - ZERO);
        continue;
      }
      if (value >= 0) {
        if (filled >= into.length)
          throw new Error('warmleak: heap snapshot has more entries than its header says');
        into[filled++] = value;
        value = -1;
      }
      if (byte === CLOSE) {
        if (filled !== into.length)
          throw new Error('warmleak: heap snapshot has fewer entries than its header says');
        this.phase = then;
        return i + 1;
      }
    }
    this.number = value;
    this.filled = filled;
    return data.length;
  }

  /**
   * JSON strings until the array's `]`; one with escapes is decoded by JSON.parse, the rest as UTF-8. A string
   * cut by the chunk's end is left for the next write, from its opening quote.
   */
  private stringList(data: Buffer, at: number): number {
    let i = at;
    while (i < data.length) {
      const byte = data[i];
      if (byte === CLOSE) {
        this.phase = Phase.Done;
        return data.length;
      }
      if (byte !== QUOTE) {
        i++;
        continue;
      }
      let escaped = false;
      let j = i + 1;
      for (; j < data.length; j++) {
        const c = data[j];
        if (c === QUOTE) break;
        if (c === BACKSLASH) {
          escaped = true;
          j++; // the escaped character, a quote included
        }
      }
      if (j >= data.length) return i;
      this.strings.push(
        escaped ? (JSON.parse(data.toString('utf8', i, j + 1)) as string) : data.toString('utf8', i + 1, j),
      );
      i = j + 1;
    }
    return i;
  }
}

function buildGraph(
  meta: SnapshotMeta,
  nodes: Float64Array,
  edges: Uint32Array,
  strings: string[],
): HeapGraph {
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
  const nodeCount = nodes.length / nodeFields;
  const firstEdge = new Uint32Array(nodeCount + 1);
  let edgeIndex = 0;
  for (let node = 0; node < nodeCount; node++) {
    firstEdge[node] = edgeIndex;
    edgeIndex += nodes[node * nodeFields + field.edgeCount] * edgeFields;
  }
  firstEdge[nodeCount] = edgeIndex;
  return {
    nodeCount,
    nodeFields,
    edgeFields,
    nodes,
    edges,
    strings,
    nodeTypes: meta.node_types[0],
    edgeTypes: meta.edge_types[0],
    firstEdge,
    field,
    edgeField,
  };
}

/** A whole snapshot held as text (a test's fixture); files should go through `readHeapSnapshotFile`. */
export function parseHeapSnapshot(json: string): HeapGraph {
  const parser = new HeapSnapshotParser();
  parser.write(Buffer.from(json));
  return parser.end();
}

const CHUNK_BYTES = 1 << 20;

/** Parses a snapshot file in 1 MiB reads. */
export function readHeapSnapshotFile(file: string): HeapGraph {
  const parser = new HeapSnapshotParser();
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const fd = openSync(file, 'r');
  try {
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      parser.write(chunk.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return parser.end();
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
