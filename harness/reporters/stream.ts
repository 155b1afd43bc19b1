// Reports as a stream: each reporter renders one handler's part as soon as its environment ends, so a run of any
// size holds no report once it is written. The batch form (`reporters.text(reports)`) feeds the same stream.
import { culpritsFirst } from './format.js';
import type { CheckedReport, LoadFailure, Reporter, ReporterOptions } from './types.js';

/**
 * One run's output, piece by piece. `report` and `failure` return what can be written now (possibly nothing:
 * JUnit's root element carries the totals, so its testcases wait, rendered, for `end`). `end` returns the rest,
 * built from what the pieces kept (counts, rendered text), never from the reports themselves.
 */
export interface ReportStream {
  report(report: CheckedReport): string;
  failure(failure: LoadFailure): string;
  end(): string;
}

export type StreamingReporter = (options?: ReporterOptions) => ReportStream;

/**
 * The batch reporter over a stream: `culprits` feeds leaks and dead environments first, then load failures, then
 * passes (the text, Markdown and HTML layouts); `given` feeds the reports as given, then the failures.
 */
export function batchReporter(stream: StreamingReporter, order: 'culprits' | 'given'): Reporter {
  return (reports, options = {}) => {
    const out = stream(options);
    const { failing, passing } = culpritsFirst(reports);
    const failures = options.failures ?? [];
    const parts =
      order === 'culprits'
        ? [
            ...failing.map((r) => out.report(r)),
            ...failures.map((f) => out.failure(f)),
            ...passing.map((r) => out.report(r)),
          ]
        : [...reports.map((r) => out.report(r)), ...failures.map((f) => out.failure(f))];
    return `${parts.join('')}${out.end()}`;
  };
}

/** What a run's summary line counts, kept as the reports pass. */
export interface Tally {
  /** Leaks and dead environments. */
  leaks: number;
  passed: number;
  /** Error types of the handlers that could not be checked. */
  failureTypes: string[];
  skipped: number;
  /** Wall-clock milliseconds of every check, added up (JUnit's `time`). */
  durationMs: number;
}

export function newTally(skipped = 0): Tally {
  return { leaks: 0, passed: 0, failureTypes: [], skipped, durationMs: 0 };
}

export const isFailing = (report: CheckedReport): boolean =>
  report.verdict === 'leak' || report.error !== undefined;

/** Counts one report; returns whether it failed. */
export function tallyReport(tally: Tally, report: CheckedReport): boolean {
  const failing = isFailing(report);
  if (failing) tally.leaks += 1;
  else tally.passed += 1;
  tally.durationMs += report.durationMs ?? 0;
  return failing;
}
