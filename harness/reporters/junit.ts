// JUnit XML a CI can ingest: one testsuite, one testcase per handler, a failure carrying each leak's findings.
import { findingLabel, formatAmount, formatSeries, handlerFile, handlerLabel } from './format.js';
import type { CheckedReport, LoadFailure, Reporter } from './types.js';

export const junitReporter: Reporter = (reports, options = {}) => {
  const failures = options.failures ?? [];
  const failed = reports.filter((report) => report.verdict === 'leak' || report.error).length;
  const seconds = reports.reduce((sum, report) => sum + (report.durationMs ?? 0), 0) / 1000;
  const skipped = options.skipped ?? [];
  const counts = `tests="${reports.length + failures.length + skipped.length}" failures="${failed}" errors="${failures.length}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="warmleak" ${counts} time="${seconds.toFixed(3)}">`,
    `  <testsuite name="warmleak" ${counts} skipped="${skipped.length}" time="${seconds.toFixed(3)}">`,
    ...reports.flatMap(testcase),
    ...failures.flatMap(errorcase),
    ...skipped.flatMap((fn) => [
      `    <testcase classname="${attr(fn.template)}" name="${attr(fn.name)}" time="0.000">`,
      `      <skipped message="${attr(`${fn.runtime}: warmleak checks Node.js functions`)}"/>`,
      '    </testcase>',
    ]),
    '  </testsuite>',
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
};

function testcase(report: CheckedReport): string[] {
  const open = `    <testcase classname="${attr(handlerFile(report.handler))}" name="${attr(handlerLabel(report))}" time="${((report.durationMs ?? 0) / 1000).toFixed(3)}"`;
  if (report.verdict !== 'leak' && !report.error) return [`${open}/>`];
  const messages: string[] = [];
  const details: string[] = [];
  if (report.error) {
    const at =
      report.error.invocation === undefined ? 'while loading' : `at invocation ${report.error.invocation}`;
    messages.push(`${report.error.errorType} ${at}: ${report.error.errorMessage}`);
    details.push(messages[0]);
  }
  for (const finding of report.findings) {
    messages.push(finding.message);
    const where = finding.site ?? finding.module;
    details.push(
      `${findingLabel(finding)}${where ? ` (${where})` : ''}: +${formatAmount(finding.growthPerInvocation, finding.unit)} per invocation`,
      `  series (value @invocation): ${formatSeries(finding.series)}`,
      `  ${finding.message}`,
    );
  }
  const type = report.error?.errorType ?? report.findings[0]?.kind ?? 'leak';
  return [
    `${open}>`,
    `      <failure message="${attr(messages.join(' | '))}" type="${attr(type)}">${text(details.join('\n'))}</failure>`,
    '    </testcase>',
  ];
}

function errorcase(failure: LoadFailure): string[] {
  return [
    `    <testcase classname="${attr(handlerFile(failure.handler))}" name="${attr(handlerLabel(failure))}" time="0.000">`,
    `      <error message="${attr(failure.message)}" type="${attr(failure.errorType)}">${text(failure.message)}</error>`,
    '    </testcase>',
  ];
}

// XML 1.0 cannot carry most control characters even escaped; handler messages may contain anything.
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
