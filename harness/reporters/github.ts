// GitHub Actions workflow commands: one `::error` annotation per finding, at the culprit's file and line when known.

import { countOf } from '../count.js';
import { inert } from './escape.js';
import {
  errorsText,
  findingLabel,
  formatGrowth,
  handlerFile,
  handlerLabel,
  parseSite,
  projectPath,
  SKIPPED_REASON,
  skippedLabel,
} from './format.js';
import { batchReporter, newTally, type StreamingReporter, tallyReport } from './stream.js';
import type { CheckedReport, Reporter } from './types.js';

export const githubStream: StreamingReporter = (options = {}) => {
  const cwd = options.cwd ?? process.cwd();
  const tally = newTally();
  const text = (lines: string[]) => (lines.length > 0 ? `${lines.join('\n')}\n` : '');
  return {
    report(report) {
      tallyReport(tally, report);
      return text(reportLines(report, cwd));
    },
    failure(failure) {
      tally.failureTypes.push(failure.errorType);
      return text([
        command(
          { file: projectPath(handlerFile(failure.handler), cwd), title: `warmleak: ${failure.errorType}` },
          failure.functionName ? `${failure.functionName}: ${failure.message}` : failure.message,
        ),
      ]);
    },
    end() {
      const lines = (options.skipped ?? []).map((fn) =>
        command(
          { file: projectPath(fn.template, cwd), title: 'warmleak: skipped' },
          `${skippedLabel(fn)}: ${SKIPPED_REASON}`,
          'notice',
        ),
      );
      const checked = tally.leaks + tally.passed + tally.failureTypes.length;
      lines.push(`warmleak: ${countOf(checked, 'handler')} checked, ${tally.leaks} leaking`);
      return text(lines);
    },
  };
};

export const githubReporter: Reporter = batchReporter(githubStream, 'given');

/** One handler's annotations: how its environment died, its invocation errors, each finding at its site. */
function reportLines(report: CheckedReport, cwd: string): string[] {
  const lines: string[] = [];
  const file = projectPath(handlerFile(report.handler), cwd);
  if (report.error) {
    const at =
      report.error.invocation === undefined ? 'while loading' : `at invocation ${report.error.invocation}`;
    lines.push(
      command(
        { file, title: `warmleak: ${report.error.errorType}` },
        `${handlerLabel(report)}: ${report.error.errorType} ${at}: ${report.error.errorMessage}`,
      ),
    );
  }
  const errors = errorsText(report);
  if (errors) {
    lines.push(
      command({ file, title: 'warmleak: invocation errors' }, `${report.handler}: ${errors}`, 'warning'),
    );
  }
  for (const finding of report.findings) {
    const site = finding.site ? parseSite(finding.site) : undefined;
    const where = site ?? (finding.module ? { file: finding.module } : { file });
    const title = `warmleak: ${findingLabel(finding)} ${formatGrowth(finding)}`;
    lines.push(
      command(
        { file: projectPath(where.file, cwd), line: site?.line, col: site?.column, title },
        `${finding.message} (handler ${handlerLabel(report)})`,
      ),
    );
  }
  return lines;
}

type Properties = { file: string; line?: number; col?: number; title: string };

function command(
  properties: Properties,
  message: string,
  level: 'error' | 'warning' | 'notice' = 'error',
): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${level} ${props}::${escapeData(message)}`;
}

// The escapes of @actions/core's command.ts (data escapes %, CR, LF; properties also escape : and ,), after every
// other control character is made inert: an ESC in a handler's message must not colour or rewrite the CI log.
function escapeData(value: string): string {
  return inert(value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
