// The heap verdict on handlers that keep nothing: no leak in 20 runs.
import { describe, expect, it } from 'vitest';
import { analyseHeap, HEAP_FLOOR_BYTES_PER_INVOCATION } from '../harness/analysis/heap.js';
import { heapOf, medianOf } from './fixtures/heap-driver.js';

describe('analyseHeap on handlers that keep nothing', () => {
  for (const fixture of ['heap-clean.cjs']) {
    it(`passes ${fixture} in 20 repeated runs`, async () => {
      const verdicts: boolean[] = [];
      const slopes: number[] = [];
      for (let run = 0; run < 20; run++) {
        const analysis = analyseHeap(await heapOf(fixture, 1000, 10));
        verdicts.push(analysis.leaking);
        slopes.push(analysis.report.bytesPerInvocation);
        expect(analysis.message).toBeUndefined();
      }
      expect(verdicts).toEqual(new Array(20).fill(false));
      // The typical run's slope stays inside the allowance. A single run can read 170-240 B/invocation: a one-off step
      // of V8's compiled-code metadata in this test process, seen on a plain loop on an idle machine before and after
      // this spec's code changed; the verdict above still passes in all 20 runs.
      expect(medianOf(slopes)).toBeLessThan(HEAP_FLOOR_BYTES_PER_INVOCATION);
    });
  }
});
