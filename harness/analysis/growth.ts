// Decides from a checkpoint series whether something grows steadily with invocations or has settled.
import type { SeriesPoint } from '../types.js';
import { theilSen } from './slope.js';

export interface Growth {
  growing: boolean;
  /** Robust slope in units per invocation (Theil-Sen); 0 when not growing. */
  perInvocation: number;
  first: number;
  last: number;
}

/**
 * Steady growth: the series ends higher than it started, rises at most checkpoints, rarely falls, is still
 * rising over its last stretch, and its robust slope is positive. A cache that fills to a cap and stays there,
 * a TTL table refreshed in place, or a counter's value all fail one of these.
 */
export function assessGrowth(points: SeriesPoint[]): Growth {
  const first = points[0]?.[1] ?? 0;
  const last = points[points.length - 1]?.[1] ?? 0;
  const steps = points.length - 1;
  const flat: Growth = { growing: false, perInvocation: 0, first, last };
  if (steps < 2 || last <= first) return flat;
  let rises = 0;
  let falls = 0;
  for (let k = 0; k < steps; k++) {
    if (points[k + 1][1] > points[k][1]) rises++;
    else if (points[k + 1][1] < points[k][1]) falls++;
  }
  const tailStart = points[Math.floor(steps * 0.6)][1];
  if (rises < steps * 0.5 || falls > steps * 0.25 || last <= tailStart) return flat;
  const { slope } = theilSen(points);
  if (!(slope > 0)) return flat;
  return { growing: true, perInvocation: slope, first, last };
}

/**
 * Growth that survives a longer run: the series grew during the main phase and is still rising at the end of
 * the confirmation phase that followed, at no less than half the main phase's rate (a cap larger than the main
 * phase shows up as a late plateau, a leak keeps its pace).
 */
export function stillGrowing(points: SeriesPoint[], confirmationStartX: number, mainRate: number): boolean {
  const confirmation = points.filter(([x]) => x >= confirmationStartX);
  if (confirmation.length < 3) return true;
  const lateHalf = confirmation.slice(Math.floor((confirmation.length - 1) * 0.5));
  const last = lateHalf[lateHalf.length - 1][1];
  return last > lateHalf[0][1] && theilSen(lateHalf).slope >= mainRate * 0.5;
}

/** 1, 0.5, 2.03: enough digits to be honest, few enough to read. */
export function roundRate(rate: number): number {
  if (Math.abs(rate) >= 100) return Math.round(rate);
  if (Math.abs(rate) >= 1) return Math.round(rate * 100) / 100;
  return Number(rate.toPrecision(2));
}
