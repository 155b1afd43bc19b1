// Taking heap snapshots around warm invocations: the session side of "what grows and who holds it". Snapshots go
// to files; their analysis (analysis/retainers.ts) runs wherever the process's owner says, by default here.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { isMainThread } from 'node:worker_threads';
// Types only: reading a snapshot is loaded when one is read, so an environment's process (whose parent reads its
// snapshots) never loads it, and its start-up does not pay for it.
import type { ConstructorGrowth, MemwatchDetail } from '../analysis/constructor-diff.js';
import type { HeapGrowthExplanation, SnapshotPair } from '../analysis/retainers.js';
import { outsideMaxMemory } from '../isolation/memory.js';
import { obtainGc } from './heap.js';

export type { ConstructorGrowth } from '../analysis/constructor-diff.js';
export type { HeapGraph } from '../analysis/heap-snapshot.js';

/** Reads a snapshot pair: in this process by default; a process environment asks its parent instead. */
export type SnapshotAnalyser = (pair: SnapshotPair) => Promise<HeapGrowthExplanation>;

// The directory is fixed when this module loads, before an environment points TMPDIR at its own /tmp.
const where: { dir: string; analyse: SnapshotAnalyser; onWork?: (what: string) => void } = {
  dir: tmpdir(),
  analyse: async (pair) => (await import('../analysis/retainers.js')).explainSnapshots(pair),
};

/**
 * Where snapshot files go and who reads them, for this process: the isolation worker sets a directory its
 * parent can read and an analyser that asks the parent, so no snapshot is parsed under the function's heap limit.
 */
export function configureHeapSnapshots(options: {
  dir?: string;
  analyse?: SnapshotAnalyser;
  /** Told before each snapshot: work that makes no invocation progress for a while. */
  onWork?: (what: string) => void;
}): void {
  if (options.dir) where.dir = options.dir;
  if (options.analyse) where.analyse = options.analyse;
  if (options.onWork) where.onWork = options.onWork;
}

let sequence = 0;

/**
 * Writes a snapshot to a file, streamed by V8 outside the JS heap, rather than holding it as a string, so that the
 * first snapshot of a pair is not itself part of the second one. Its native memory is not the function's.
 */
export function writeSnapshotFile(label: string): string {
  where.onWork?.('heap snapshot');
  obtainGc()();
  const file = join(where.dir, `warmleak-${process.pid}-${++sequence}-${label}.heapsnapshot`);
  outsideMaxMemory(() => writeHeapSnapshot(file));
  return file;
}

interface MemwatchHeapDiff {
  end(): { change: { details: MemwatchDetail[] } };
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

/** memwatch's HeapDiff around `work`, or undefined where memwatch does not load (or is not wanted). */
async function nativeDiff(
  engine: HeapDiffEngine,
  invocations: number,
  work: () => Promise<void>,
): Promise<ConstructorGrowth[] | undefined> {
  const native = engine === 'snapshot' ? undefined : loadMemwatch();
  if (!native) {
    if (engine === 'memwatch') throw new Error('@airbnb/node-memwatch is not loadable in this process');
    return undefined;
  }
  // Loaded before the diff starts, so that its code is on both sides of it.
  const { memwatchGrowth } = await import('../analysis/constructor-diff.js');
  where.onWork?.('heap snapshot');
  obtainGc()();
  const diff = outsideMaxMemory(() => new native.HeapDiff());
  await work();
  where.onWork?.('heap snapshot');
  obtainGc()();
  return memwatchGrowth(outsideMaxMemory(() => diff.end()).change.details, invocations);
}

/**
 * Runs `invokeMore(invocations)` between two heap measurements and returns what grew per invocation.
 * `auto` prefers memwatch's HeapDiff and falls back to heap snapshots parsed here.
 */
export async function diffHeapConstructors(
  invokeMore: (n: number) => Promise<void>,
  invocations: number,
  engine: HeapDiffEngine = 'auto',
): Promise<{ engine: 'memwatch' | 'snapshot'; constructors: ConstructorGrowth[] }> {
  // Loaded before the first snapshot, so that their code is in both.
  const [{ diffConstructors }, { readHeapSnapshotFile }] = await Promise.all([
    import('../analysis/constructor-diff.js'),
    import('../analysis/heap-snapshot.js'),
  ]);
  const files: string[] = [];
  try {
    const native = await nativeDiff(engine, invocations, () => invokeMore(invocations));
    if (native) return { engine: 'memwatch', constructors: native };
    files.push(writeSnapshotFile('before'));
    await invokeMore(invocations);
    files.push(writeSnapshotFile('after'));
    const [before, after] = files.map((file) => readHeapSnapshotFile(file));
    return { engine: 'snapshot', constructors: diffConstructors(before, after, invocations) };
  } finally {
    for (const file of files) rmSync(file, { force: true });
  }
}

export interface ExplainOptions {
  /** Invocations between the two snapshots; 200 by default. */
  invocations?: number;
  /** How many growing constructors get a retainer path; 3 by default. */
  maxPaths?: number;
  /**
   * The constructor diff's engine. `snapshot` by default: the pair is needed for retainer paths anyway, and
   * memwatch's HeapDiff takes two more native snapshots of its own (measured: 21 s and over 60 s more in a 128 MB
   * environment with the AWS SDK on a busy machine). `auto` uses memwatch where it loads.
   */
  engine?: HeapDiffEngine;
}

/**
 * Snapshot, `invokeMore(n)`, snapshot, then what grew per invocation and who holds it, from the analyser this
 * process was configured with. For the check loop to call when heap growth is not explained by a named finding.
 */
export async function explainHeapGrowth(
  invokeMore: (n: number) => Promise<void>,
  options: ExplainOptions = {},
): Promise<HeapGrowthExplanation> {
  const invocations = options.invocations ?? 200;
  const files: string[] = [];
  try {
    const constructors = await nativeDiff(options.engine ?? 'snapshot', invocations, async () => {
      files.push(writeSnapshotFile('before'));
      await invokeMore(invocations);
      files.push(writeSnapshotFile('after'));
    });
    if (!constructors) {
      files.push(writeSnapshotFile('before'));
      await invokeMore(invocations);
      files.push(writeSnapshotFile('after'));
    }
    const [before, after] = files;
    return await where.analyse({ before, after, invocations, maxPaths: options.maxPaths, constructors });
  } finally {
    for (const file of files) rmSync(file, { force: true });
  }
}
