// JUnit XML a CI can ingest: one testsuite, one testcase per handler, a failure carrying each leak's findings.
import { inert } from './escape.js';
import {
  errorsText,
  findingLabel,
  formatGrowth,
  formatSeries,
  handlerFile,
  handlerLabel,
  SKIPPED_REASON,
} from './format.js';
import { batchReporter, newTally, type StreamingReporter, tallyReport } from './stream.js';
import type { CheckedReport, LoadFailure, Reporter } from './types.js';

/**
 * JUnit's root elements carry the run's totals, so nothing can be written before the last handler: each testcase is
 * rendered as its check ends and only its XML is kept (the report itself is not), then written whole at the end.
 */
export const junitStream: StreamingReporter = (options = {}) => {
  const skipped = options.skipped ?? [];
  const tally = newTally(skipped.length);
  const cases: string[] = [];
  const errors: string[] = [];
  return {
    report(report) {
      tallyReport(tally, report);
      cases.push(...testcase(report));
      return '';
    },
    failure(failure) {
      tally.failureTypes.push(failure.errorType);
      errors.push(...errorcase(failure));
      return '';
    },
    end() {
      const failures = tally.failureTypes.length;
      const tests = tally.leaks + tally.passed + failures + skipped.length;
      const counts = `tests="${tests}" failures="${tally.leaks}" errors="${failures}"`;
      const time = (tally.durationMs / 1000).toFixed(3);
      const lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="warmleak" ${counts} time="${time}">`,
        `  <testsuite name="warmleak" ${counts} skipped="${skipped.length}" time="${time}">`,
        ...cases,
        ...errors,
        ...skipped.flatMap((fn) => [
          `    <testcase classname="${attr(inert(fn.template))}" name="${attr(inert(fn.name))}" time="0.000">`,
          `      <skipped message="${attr(inert(`${fn.runtime}: ${SKIPPED_REASON}`))}"/>`,
          '    </testcase>',
        ]),
        '  </testsuite>',
        '</testsuites>',
      ];
      return `${lines.join('\n')}\n`;
    },
  };
};

export const junitReporter: Reporter = batchReporter(junitStream, 'given');

function testcase(report: CheckedReport): string[] {
  const open = `    <testcase classname="${attr(inert(handlerFile(report.handler)))}" name="${attr(inert(handlerLabel(report)))}" time="${((report.durationMs ?? 0) / 1000).toFixed(3)}"`;
  const errors = errorsText(report);
  // Invocation errors are outcomes, not failures of the test case: they go to its output.
  const output = errors ? [`      <system-out>${text(inert(errors))}</system-out>`] : [];
  if (report.verdict !== 'leak' && !report.error)
    return output.length > 0 ? [`${open}>`, ...output, '    </testcase>'] : [`${open}/>`];
  const messages: string[] = [];
  const details: string[] = [];
  if (report.error) {
    const at =
      report.error.invocation === undefined ? 'while loading' : `at invocation ${report.error.invocation}`;
    messages.push(`${inert(report.error.errorType)} ${at}: ${inert(report.error.errorMessage)}`);
    details.push(messages[0]);
  }
  for (const finding of report.findings) {
    messages.push(inert(finding.message));
    const where = finding.site ?? finding.module;
    details.push(
      `${inert(findingLabel(finding))}${where ? ` (${inert(where)})` : ''}: ${formatGrowth(finding)}`,
      `  series (value @invocation): ${formatSeries(finding.series)}`,
      `  ${inert(finding.message)}`,
    );
  }
  const type = report.error?.errorType ?? report.findings[0]?.kind ?? 'leak';
  return [
    `${open}>`,
    `      <failure message="${attr(messages.join(' | '))}" type="${attr(inert(type))}">${text(details.join('\n'))}</failure>`,
    ...output,
    '    </testcase>',
  ];
}

function errorcase(failure: LoadFailure): string[] {
  return [
    `    <testcase classname="${attr(inert(handlerFile(failure.handler)))}" name="${attr(inert(handlerLabel(failure)))}" time="0.000">`,
    `      <error message="${attr(inert(failure.message))}" type="${attr(inert(failure.errorType))}">${text(inert(failure.message))}</error>`,
    '    </testcase>',
  ];
}

// XML 1.0 cannot carry most control characters even escaped; handler text reaches here already inert, this is
// the last line of defence (and U+FFFE/U+FFFF, which are not controls).
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping exactly those characters is the point.
const invalidXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function text(value: string): string {
  return value.replace(invalidXml, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
