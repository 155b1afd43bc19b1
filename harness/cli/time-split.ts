// How a `warmleak check` run's time divided (start-up, measurement, analysis), summed over its environments, as
// one line under the text report, so a CI log says where a slow job spends its minutes.
import { countOf } from '../count.js';
import type { CheckedReport } from '../reporters/types.js';
import type { TimeSplit } from '../types.js';

/** The run's time so far: reports counted and their splits added up as each streams past. */
export interface RunTime extends TimeSplit {
  handlers: number;
}

export function newRunTime(): RunTime {
  return { handlers: 0, startupMs: 0, measurementMs: 0, analysisMs: 0 };
}

/** Adds one report's split (environments that ran side by side count each of their own times). */
export function addTime(total: RunTime, { time }: CheckedReport): void {
  total.handlers += 1;
  if (!time) return;
  total.startupMs += time.startupMs;
  total.measurementMs += time.measurementMs;
  total.analysisMs += time.analysisMs;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** `Time: 12 handlers in 8.1 s (2 at a time); start-up 3.2 s, measurement 9.0 s, analysis 1.4 s in all.` */
export function timeLine(total: RunTime, wallMs: number, concurrency: number): string {
  const share = (ms: number) => {
    const all = total.startupMs + total.measurementMs + total.analysisMs;
    return all > 0 ? ` (${Math.round((100 * ms) / all)}%)` : '';
  };
  const handlers = countOf(total.handlers, 'handler');
  return (
    `Time: ${handlers} in ${seconds(wallMs)}, ${concurrency} at a time; summed over environments: ` +
    `start-up ${seconds(total.startupMs)}${share(total.startupMs)}, ` +
    `measurement ${seconds(total.measurementMs)}${share(total.measurementMs)}, ` +
    `analysis ${seconds(total.analysisMs)}${share(total.analysisMs)}\n`
  );
}
