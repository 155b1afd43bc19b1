// The heap verdict on a handler that makes lots of short-lived garbage per call: no leak in 20 full checks.
import { describe, expect, it } from 'vitest';
import { HEAP_FLOOR_BYTES_PER_INVOCATION } from '../harness/analysis/heap.js';
import { runCheck } from '../harness/check/index.js';
import { medianOf } from './fixtures/heap-driver.js';

describe('the heap verdict on handlers that keep nothing', () => {
  for (const fixture of ['heap-garbage.cjs']) {
    it(`passes ${fixture} in 20 repeated checks`, async () => {
      const findings: string[] = [];
      const slopes: number[] = [];
      for (let run = 0; run < 20; run++) {
        const report = await runCheck(`specs/fixtures/${fixture}`, { kinds: ['heap'], invocations: 300 });
        findings.push(...report.findings.map((f) => f.message));
        slopes.push(report.heap.bytesPerInvocation);
      }
      expect(findings).toEqual([]);
      // The typical run's slope stays inside the allowance. A single run can read 170-240 B/invocation: a one-off step
      // of V8's compiled-code metadata in this test process, seen on a plain loop on an idle machine before and after
      // this spec's code changed; the verdict above still passes in all 20 runs.
      expect(medianOf(slopes)).toBeLessThan(HEAP_FLOOR_BYTES_PER_INVOCATION);
    });
  }
});
