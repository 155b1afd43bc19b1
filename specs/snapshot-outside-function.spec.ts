// Heap snapshots are parsed outside the function's memory: streamed, and in the parent of a process environment.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { HeapSnapshotParser, readHeapSnapshotFile } from '../harness/analysis/heap-snapshot.js';
import { checkInProcess } from '../harness/isolation/index.js';
import { RUNTIME_BASELINE_MB } from '../harness/isolation/memory.js';

/** Entries that differ, and any difference in length; a plain loop, as the tables have millions of entries. */
function differences<T>(actual: ArrayLike<T>, expected: ArrayLike<T>): number {
  let count = Math.abs(actual.length - expected.length);
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) if (actual[i] !== expected[i]) count++;
  return count;
}

describe('the streaming heap snapshot reader', () => {
  it('reads what JSON.parse reads, however the file is cut into chunks', () => {
    const file = writeHeapSnapshot(join(tmpdir(), `warmleak-spec-${process.pid}.heapsnapshot`));
    try {
      const bytes = readFileSync(file);
      const whole = JSON.parse(bytes.toString('utf8')) as {
        nodes: number[];
        edges: number[];
        strings: string[];
      };
      const streamed = readHeapSnapshotFile(file);
      for (const size of [7, 65_536]) {
        const parser = new HeapSnapshotParser();
        for (let at = 0; at < bytes.length; at += size) parser.write(bytes.subarray(at, at + size));
        const graph = parser.end();
        expect(differences(graph.nodes, whole.nodes)).toBe(0);
        expect(differences(graph.edges, whole.edges)).toBe(0);
        expect(differences(graph.strings, whole.strings)).toBe(0);
      }
      expect(differences(streamed.strings, whole.strings)).toBe(0);
      // The escape and multi-byte paths were exercised: source text has quotes, backslashes and non-ASCII.
      for (const sign of ['"', '\\', '\n', '…'])
        expect(streamed.strings.some((s) => s.includes(sign))).toBe(true);
      expect(streamed.nodeCount).toBe(whole.nodes.length / streamed.nodeFields);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('says a truncated file is truncated', () => {
    const parser = new HeapSnapshotParser();
    parser.write(
      Buffer.from(
        '{"snapshot":{"meta":{"node_fields":["type"],"node_types":[[]],"edge_fields":["type"],"edge_types":[[]]},"node_count":2,"edge_count":0},\n"nodes":[0,',
      ),
    );
    expect(() => parser.end()).toThrow('the heap snapshot ended early');
  });
});

describe('a process environment at 128 MB', () => {
  it('reports Max Memory Used of a no-op as the runtime baseline plus its own small footprint', async () => {
    const report = await checkInProcess('specs/fixtures/noop.cjs', { memorySizeMB: 128 });
    expect(report.verdict).toBe('pass');
    expect(report.maxMemoryUsedMB).toBeGreaterThanOrEqual(RUNTIME_BASELINE_MB);
    // The environment's process holds ~80 MB of tsx and harness before the handler loads; none of it is counted.
    expect(report.maxMemoryUsedMB).toBeLessThan(RUNTIME_BASELINE_MB + 30);
  });
});
