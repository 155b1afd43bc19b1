// The JSON reporter prints the DESIGN.md contract: one object for one handler, an array for several.
import { describe, expect, it } from 'vitest';
import { jsonReporter } from '../harness/reporters/json.js';
import { leakingReport, passingReport } from './fixtures/reports.js';

describe('json reporter', () => {
  it('prints one object with the contract fields for one handler', () => {
    const value = JSON.parse(jsonReporter([leakingReport()]));
    expect(Array.isArray(value)).toBe(false);
    expect(Object.keys(value)).toEqual(
      expect.arrayContaining(['verdict', 'handler', 'invocations', 'findings', 'heap', 'timing']),
    );
    expect(value.verdict).toBe('leak');
    expect(value.findings[0]).toMatchObject({
      kind: 'state',
      name: 'arrayB',
      growthPerInvocation: 1,
      unit: 'elements',
    });
    expect(value.heap.ci95).toEqual([12, 20.5]);
    expect(value.timing.warm.p50).toBe(0.05);
  });

  it('prints an array when several handlers were given, even if only one was checked', () => {
    expect(
      JSON.parse(jsonReporter([leakingReport(), passingReport()])).map((r: { handler: string }) => r.handler),
    ).toEqual(['src/orders/handler.ts#handler', 'src/users/handler.ts#handler']);
    expect(JSON.parse(jsonReporter([passingReport()], { several: true }))).toHaveLength(1);
  });

  it('gives a handler that could not be checked its own entry, with its error', () => {
    const value = JSON.parse(
      jsonReporter([passingReport()], {
        several: true,
        failures: [
          {
            handler: 'src/broken.ts#handler',
            errorType: 'HandlerLoadError',
            message: 'syntax error in src/broken.ts:4',
          },
        ],
      }),
    );
    expect(value.map((entry: { handler: string }) => entry.handler)).toEqual([
      'src/users/handler.ts#handler',
      'src/broken.ts#handler',
    ]);
    expect(value[1]).toEqual({
      handler: 'src/broken.ts#handler',
      error: { errorType: 'HandlerLoadError', errorMessage: 'syntax error in src/broken.ts:4' },
    });
  });
});
