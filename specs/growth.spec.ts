import { describe, expect, it } from 'vitest';
import { assessGrowth, roundRate, stillGrowing } from '../harness/analysis/growth.js';
import type { SeriesPoint } from '../harness/types.js';

const series = (...values: number[]): SeriesPoint[] => values.map((v, k) => [k * 50, v]);

describe('growth versus plateau', () => {
  it('a series rising by 50 per 50 invocations grows by 1 per invocation', () => {
    expect(assessGrowth(series(0, 50, 100, 150, 200, 250))).toMatchObject({
      growing: true,
      perInvocation: 1,
    });
  });

  it('a flat series, a falling one and a counter value reset each time do not grow', () => {
    expect(assessGrowth(series(7, 7, 7, 7, 7)).growing).toBe(false);
    expect(assessGrowth(series(9, 8, 7, 6, 5)).growing).toBe(false);
    expect(assessGrowth(series(1, 1, 1, 1, 1)).perInvocation).toBe(0);
  });

  it('a cache that fills to its cap early and stays there does not grow', () => {
    expect(assessGrowth(series(40, 100, 100, 100, 100, 100, 100)).growing).toBe(false);
  });

  it('a sawtooth (a buffer flushed when full) does not grow', () => {
    expect(assessGrowth(series(10, 30, 5, 25, 8, 28, 6, 26)).growing).toBe(false);
  });

  it('growth that stops halfway through the confirmation phase is a plateau; a steady one is not', () => {
    const capped: SeriesPoint[] = [
      [320, 320],
      [420, 420],
      [520, 520],
      [620, 620],
      [720, 720],
      [820, 750],
      [920, 750],
    ];
    expect(stillGrowing(capped, 320, 1)).toBe(false);
    const steady: SeriesPoint[] = capped.map(([x]) => [x, x]);
    expect(stillGrowing(steady, 320, 1)).toBe(true);
  });

  it('rates are rounded to what a person reads', () => {
    expect([roundRate(1.00004), roundRate(0.123456), roundRate(2.0349), roundRate(157.6)]).toEqual([
      1, 0.12, 2.03, 158,
    ]);
  });
});
