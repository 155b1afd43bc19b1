// A robust slope over a series: Theil-Sen with Sen's distribution-free 95% confidence interval.
import type { SeriesPoint } from '../types.js';

export interface SlopeEstimate {
  /** Median of the pairwise slopes: one outlier checkpoint cannot move it. */
  slope: number;
  /** Median of y - slope * x. */
  intercept: number;
  /** Sen's 95% interval for the slope, from the variance of Kendall's S; [slope, slope] for < 3 points. */
  ci95: [number, number];
}

// Two-sided 95% normal quantile.
const Z_975 = 1.959963984540054;

function median(sorted: number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Sum over tie groups of t(t-1)(2t+5): the tie correction of Kendall's S variance. */
function tieTerm(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  let term = 0;
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) {
      run++;
    } else {
      if (run > 1) term += run * (run - 1) * (2 * run + 5);
      run = 1;
    }
  }
  return term;
}

export function theilSen(points: SeriesPoint[]): SlopeEstimate {
  const n = points.length;
  if (n === 0) return { slope: 0, intercept: 0, ci95: [0, 0] };
  if (n === 1) return { slope: 0, intercept: points[0][1], ci95: [0, 0] };

  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = points[j][0] - points[i][0];
      // Pairs at the same x carry no slope information.
      if (dx !== 0) slopes.push((points[j][1] - points[i][1]) / dx);
    }
  }
  if (slopes.length === 0) {
    const ys = points.map((p) => p[1]).sort((a, b) => a - b);
    return { slope: 0, intercept: median(ys), ci95: [0, 0] };
  }
  slopes.sort((a, b) => a - b);
  const slope = median(slopes);
  const intercept = median(points.map(([x, y]) => y - slope * x).sort((a, b) => a - b));

  // Sen (1968): the interval's ends are the order statistics of the pairwise slopes at ranks
  // (N -/+ z * sqrt(Var S)) / 2, with Var S the tie-corrected variance of Kendall's S.
  const count = slopes.length;
  const varianceS =
    (n * (n - 1) * (2 * n + 5) - tieTerm(points.map((p) => p[0])) - tieTerm(points.map((p) => p[1]))) / 18;
  const spread = Z_975 * Math.sqrt(Math.max(varianceS, 0));
  // 1-based ranks round(M1) and round(M2 + 1), as in R's trend::sens.slope; shifted to 0-based.
  const lowerRank = Math.round((count - spread) / 2) - 1;
  const upperRank = Math.round((count + spread) / 2);
  const lower = slopes[Math.min(Math.max(lowerRank, 0), count - 1)];
  const upper = slopes[Math.min(Math.max(upperRank, 0), count - 1)];
  return { slope, intercept, ci95: [Math.min(lower, slope), Math.max(upper, slope)] };
}
