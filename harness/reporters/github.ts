// GitHub Actions workflow commands: one `::error` annotation per finding, at the culprit's file and line when known.
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
import type { Reporter } from './types.js';

export const githubReporter: Reporter = (reports, options = {}) => {
  const cwd = options.cwd ?? process.cwd();
  const lines: string[] = [];
  for (const report of reports) {
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
  }
  for (const failure of options.failures ?? []) {
    lines.push(
      command(
        { file: projectPath(handlerFile(failure.handler), cwd), title: `warmleak: ${failure.errorType}` },
        failure.functionName ? `${failure.functionName}: ${failure.message}` : failure.message,
      ),
    );
  }
  for (const fn of options.skipped ?? [])
    lines.push(
      command(
        { file: projectPath(fn.template, cwd), title: 'warmleak: skipped' },
        `${skippedLabel(fn)}: ${SKIPPED_REASON}`,
        'notice',
      ),
    );
  const leaks = reports.filter((report) => report.verdict === 'leak' || report.error).length;
  const checked = reports.length + (options.failures?.length ?? 0);
  lines.push(`warmleak: ${checked} handler${checked === 1 ? '' : 's'} checked, ${leaks} leaking`);
  return `${lines.join('\n')}\n`;
};

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
