// Heap snapshots are parsed outside the function's memory: streamed, and in the parent of a process environment.
// Slow (~60-120 s): a real AWS SDK v3 environment at 128 MB goes through both heap phases and a snapshot pair.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeapSnapshotParser, readHeapSnapshotFile } from '../harness/analysis/heap-snapshot.js';
import { checkInProcess } from '../harness/isolation/index.js';
import { RUNTIME_BASELINE_MB } from '../harness/isolation/memory.js';
import { type LocalDynamoDB, startLocalDynamoDB } from './fixtures/local-dynamodb.js';

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
        expect(Array.from(graph.nodes)).toEqual(whole.nodes);
        expect(Array.from(graph.edges)).toEqual(whole.edges);
        expect(graph.strings).toEqual(whole.strings);
      }
      expect(streamed.strings).toEqual(whole.strings);
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

describe('a process environment at 128 MB with the real AWS SDK v3', () => {
  let dynamodb: LocalDynamoDB;
  beforeAll(async () => {
    dynamodb = await startLocalDynamoDB();
  });
  afterAll(() => dynamodb.close());

  it('names heap growth through the snapshot phase instead of running out of memory there', async () => {
    // Only the heap probe, so that no named finding explains the growth and the snapshot pair must run.
    const report = await checkInProcess('specs/fixtures/real/ddb-history-symbol.ts', {
      memorySizeMB: 128,
      env: dynamodb.env,
      kinds: ['heap'],
    });
    expect(report.error).toBeUndefined();
    expect(report.verdict).toBe('leak');
    const [heap] = report.findings;
    expect(heap.kind).toBe('heap');
    expect(heap.constructors?.length).toBeGreaterThan(0);
    expect(heap.retainers?.length).toBeGreaterThan(0);
    expect(dynamodb.requests()).toBeGreaterThan(4000);
    // Two heap phases of 2,000 SDK calls each and the snapshot pair: ~60 s alone, twice that on a busy machine.
  }, 240_000);

  it('reports Max Memory Used of a no-op as the runtime baseline plus its own small footprint', async () => {
    const report = await checkInProcess('specs/fixtures/noop.cjs', { memorySizeMB: 128 });
    expect(report.verdict).toBe('pass');
    expect(report.maxMemoryUsedMB).toBeGreaterThanOrEqual(RUNTIME_BASELINE_MB);
    // The environment's process holds ~80 MB of tsx and harness before the handler loads; none of it is counted.
    expect(report.maxMemoryUsedMB).toBeLessThan(RUNTIME_BASELINE_MB + 30);
  });
});
