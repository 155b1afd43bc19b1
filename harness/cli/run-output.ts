// One `warmleak check` run's output as it happens: each handler's part of the report is written as its check ends
// and the report let go, so the CLI's memory is the same for 10 handlers or 1,000. Only counts are kept: for the
// exit code, the reporters' summaries and the text report's time line.

import { inert } from '../reporters/escape.js';
import { handlerLabel } from '../reporters/format.js';
import {
  type CheckedReport,
  type LoadFailure,
  type ReporterName,
  reportStreams,
} from '../reporters/index.js';
import type { ReporterOptions } from '../reporters/types.js';
import { outputWriter } from './output.js';
import { addTime, newRunTime, timeLine } from './time-split.js';

export interface RunOutput {
  /** A handler that could not be checked: one line on stderr now, and its place in the report. */
  failure(failure: LoadFailure): void;
  /** A checked handler; `note` is what its rerun line cannot carry (an event function of the config). */
  report(report: CheckedReport, note?: string): void;
  /** Writes the rest (summary, time line) and returns the exit code: 1 leak or dead environment, 2 not checked. */
  end(wallMs: number, concurrency: number): number;
}

export function runOutput(
  reporterName: ReporterName,
  file: string | undefined,
  cwd: string,
  options: Omit<ReporterOptions, 'reproduce' | 'failures'> & { rerunArgs: string[] },
): RunOutput {
  const notes = new Map<CheckedReport, string | undefined>();
  const stream = reportStreams[reporterName]({
    ...options,
    cwd,
    reproduce: (report) => ({ args: options.rerunArgs, note: notes.get(report) }),
  });
  const out = outputWriter(file, cwd);
  const run = { leaked: false, failed: 0, time: newRunTime() };
  return {
    failure(failure) {
      process.stderr.write(`warmleak: ${inert(handlerLabel(failure))}: ${inert(failure.message)}\n`);
      run.failed += 1;
      out.write(stream.failure(failure));
    },
    report(report, note) {
      if (report.verdict === 'leak' || report.error) run.leaked = true;
      addTime(run.time, report);
      notes.set(report, note);
      out.write(stream.report(report));
      notes.delete(report);
    },
    end(wallMs, concurrency) {
      // Text is read by a person in a CI log: it ends with where the time went (JSON has each report's `time`).
      const last =
        reporterName === 'text' && run.time.handlers > 0
          ? `${stream.end()}${timeLine(run.time, wallMs, concurrency)}`
          : stream.end();
      // One handler given and none checked: no JSON value to print, exactly like any other exit 2.
      if (!(reporterName === 'json' && !options.several && run.time.handlers === 0)) out.end(last);
      if (run.leaked) return 1;
      return run.failed > 0 ? 2 : 0;
    },
  };
}
