// An environment that dies keeps its evidence: an OOM at invocation N reports what was found before N, and names
// the growing thing that most likely caused it.
import { describe, expect, it } from 'vitest';
import { checkInProcess } from '../harness/isolation/index.js';

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
