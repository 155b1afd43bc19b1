// An environment that dies keeps its evidence: an OOM at invocation N reports what was found before N, and names
// the growing thing that most likely caused it; evidence is sent only when it changed.
import { describe, expect, it } from 'vitest';
import { SeriesBook } from '../harness/analysis/series-book.js';
import { CHECK_DEFAULTS, runCheck } from '../harness/check/index.js';
import { checkInProcess } from '../harness/isolation/index.js';
import type { Measurement } from '../harness/types.js';

describe('a failed environment keeps its evidence', () => {
  it('an OOM after a few hundred invocations names the array that grew as its likely cause', async () => {
    const report = await checkInProcess('specs/fixtures/oom-slow-leak.cjs', { memorySizeMB: 128 });
    expect(report.error?.errorType).toBe('Runtime.OutOfMemory');
    expect(report.error?.invocation).toBeGreaterThan(150);
    const state = report.findings.find((f) => f.kind === 'state');
    expect(state?.name).toBe('thumbnails');
    expect(state?.growthPerInvocation).toBe(1);
    expect(report.error?.errorMessage).toMatch(
      /JavaScript heap out of memory .+; likely cause: thumbnails \(specs\/fixtures\/oom-slow-leak\.cjs\) grew by 1 element per invocation/,
    );
    expect(report.errors?.byType['Runtime.OutOfMemory']).toBe(1);
    expect(report.heap.series.length).toBeGreaterThan(2);
  });
});

// Building evidence is an analysis whose own V8 metadata lands in the heap it measures: it is built only when it
// changed, so a clean handler's checkpoints add nothing to its heap series, and a growing one's all reach the parent.
describe('evidence is sent when it changed', () => {
  it('a clean handler sends it once, at its first checkpoint; a state leak at every checkpoint', async () => {
    const sent = async (file: string) => {
      const at: number[] = [];
      const report = await runCheck(file, {
        invocations: 200,
        onEvidence: (evidence) => at.push(evidence.invocations),
      });
      return { at, report };
    };
    const clean = await sent('specs/fixtures/noop.cjs');
    expect(clean.report.verdict).toBe('pass');
    expect(clean.at).toHaveLength(1);
    const leak = await sent('specs/fixtures/arrays.cjs');
    expect(leak.report.verdict).toBe('leak');
    // Every checkpoint after the first of the main phase, where arrayB is one element longer each time.
    expect(leak.at.length).toBeGreaterThanOrEqual(CHECK_DEFAULTS.checkpoints);
    expect(new Set(leak.at).size).toBe(leak.at.length);
  });

  it('a heap series counts as moved only when it rose by more than the step', () => {
    const book = new SeriesBook(4);
    const heap = (value: number, handles = 1): Measurement[] => [
      { key: 'heap:used', kind: 'heap', name: 'heapUsed', unit: 'bytes', value },
      { key: 'handle:TCP', kind: 'handle', name: 'TCP socket', unit: 'handles', value: handles },
    ];
    book.checkpoint(0);
    book.record(heap(1_000_000));
    expect(book.movedSince(-1, 1024)).toBe(true);
    book.checkpoint(10);
    book.record(heap(1_000_900));
    expect(book.movedSince(0, 1024)).toBe(false);
    book.checkpoint(20);
    book.record(heap(1_002_000));
    expect(book.movedSince(0, 1024)).toBe(true);
    book.checkpoint(30);
    book.record(heap(1_002_000, 2));
    expect(book.movedSince(2, 1024)).toBe(true);
  });
});
