// Theil-Sen slope and Sen's confidence interval, checked against series computed by hand.
import { describe, expect, it } from 'vitest';
import { theilSen } from '../harness/analysis/slope.js';
import type { SeriesPoint } from '../harness/types.js';

describe('theilSen', () => {
  it('takes the median of the pairwise slopes and the median residual as intercept', () => {
    // Pairwise slopes: 1, 1.5, 2, 7/3, 2.5, 4 -> median (2 + 7/3) / 2 = 13/6.
    const estimate = theilSen([
      [1, 2],
      [2, 4],
      [3, 5],
      [4, 9],
    ]);
    expect(estimate.slope).toBeCloseTo(13 / 6, 12);
    // Residuals y - 13/6 x: -1/6, -1/3, -3/2, 1/3 -> median (-1/3 - 1/6) / 2 = -1/4.
    expect(estimate.intercept).toBeCloseTo(-0.25, 12);
  });

  it('ignores one outlier checkpoint', () => {
    // Ten pairwise slopes, seven of them exactly 1: the outlier at x = 4 moves only the upper bound.
    const estimate = theilSen([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 100],
    ]);
    expect(estimate.slope).toBe(1);
    expect(estimate.intercept).toBe(0);
    expect(estimate.ci95).toEqual([1, 97]);
  });

  it('gives slope 0 and a zero-width interval for a constant series', () => {
    const points: SeriesPoint[] = Array.from({ length: 11 }, (_, i) => [i * 100, 4_000_000]);
    expect(theilSen(points)).toEqual({ slope: 0, intercept: 4_000_000, ci95: [0, 0] });
  });

  it('gives an interval that holds the true slope and excludes 0 for a noisy growing series', () => {
    // y = 5x + 1000 with a fixed +-40 zig-zag, 11 checkpoints 100 invocations apart.
    const points: SeriesPoint[] = Array.from({ length: 11 }, (_, i) => [
      i * 100,
      1000 + 5 * i * 100 + (i % 2 === 0 ? 40 : -40),
    ]);
    const { slope, ci95 } = theilSen(points);
    expect(slope).toBeCloseTo(5, 0);
    expect(ci95[0]).toBeGreaterThan(0);
    expect(ci95[0]).toBeLessThanOrEqual(5);
    expect(ci95[1]).toBeGreaterThanOrEqual(5);
  });

  it('straddles 0 for noise without a trend', () => {
    const noise = [3, -2, 5, -4, 1, 0, -3, 4, -1, 2, -5];
    const points: SeriesPoint[] = noise.map((y, i) => [i * 100, 1_000_000 + y]);
    const { ci95 } = theilSen(points);
    expect(ci95[0]).toBeLessThan(0);
    expect(ci95[1]).toBeGreaterThan(0);
  });

  it('returns slope 0 for fewer than two distinct x', () => {
    expect(theilSen([])).toEqual({ slope: 0, intercept: 0, ci95: [0, 0] });
    expect(theilSen([[5, 7]])).toEqual({ slope: 0, intercept: 7, ci95: [0, 0] });
    expect(
      theilSen([
        [5, 7],
        [5, 9],
      ]),
    ).toEqual({ slope: 0, intercept: 8, ci95: [0, 0] });
  });
});
