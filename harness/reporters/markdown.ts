// `--reporter markdown`: a GitHub job summary. One table of handlers, then per leak its findings table (a Unicode
// sparkline per series) and each culprit line with its series as a Mermaid chart: GitHub strips inline <svg> and
// data: images from a summary but draws ```mermaid blocks.
import type { Finding } from '../types.js';
import { shellCommand } from './escape.js';
import {
  checkedSummary,
  culpritsFirst,
  errorsText,
  findingLabel,
  formatAmount,
  formatGrowth,
  formatNumber,
  handlerLabel,
  rerunTarget,
  SKIPPED_REASON,
  skippedLabel,
} from './format.js';
import { mermaidChart } from './markdown-chart.js';
import { markdownCode, markdownText } from './markdown-escape.js';
import { sparkline } from './sparkline.js';
import type { CheckedReport, LoadFailure, Reporter, ReporterOptions } from './types.js';

export const markdownReporter: Reporter = (reports, options = {}) => {
  const { failing, passing } = culpritsFirst(reports);
  const failures = options.failures ?? [];
  const headline = checkedSummary(reports, options);
  const blocks = [
    `## warmleak: ${headline}`,
    summaryTable([...failing, ...passing], failures),
    ...failing.map((report) => leakBlock(report, options)),
  ];
  if (failures.length > 0) {
    const items = failures.map(
      (f) =>
        `- ${markdownCode(handlerLabel(f), false)}: **${markdownText(f.errorType)}** ${markdownText(f.message)}`,
    );
    blocks.push(`### ⚠️ Not checked\n\n${items.join('\n')}`);
  }
  const skipped = (options.skipped ?? []).map((fn) => `- ${markdownCode(skippedLabel(fn), false)}`);
  if (skipped.length > 0) blocks.push(`### Skipped: ${SKIPPED_REASON}\n\n${skipped.join('\n')}`);
  return `${blocks.join('\n\n')}\n`;
};

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function verdictOf(report: CheckedReport): string {
  if (report.error) return `❌ died (${markdownText(report.error.errorType)})`;
  return report.verdict === 'leak' ? '❌ leak' : '✅ pass';
}

function summaryTable(reports: CheckedReport[], failures: LoadFailure[]): string {
  const lines = [
    row(['Handler', 'Verdict', 'Findings', 'Heap (B/invocation)', 'Warm p50 (ms)', 'Init (ms)']),
    row(['---', '---', '---:', '---:', '---:', '---:']),
    ...reports.map((report) =>
      row([
        markdownCode(handlerLabel(report), true),
        verdictOf(report),
        String(report.findings.length),
        formatNumber(report.heap.bytesPerInvocation),
        formatNumber(report.timing.warm.p50),
        formatNumber(report.timing.initMs),
      ]),
    ),
    ...failures.map((failure) =>
      row([
        markdownCode(handlerLabel(failure), true),
        `⚠️ ${markdownText(failure.errorType)}`,
        '',
        '',
        '',
        '',
      ]),
    ),
  ];
  return lines.join('\n');
}

/** The culprit first: a table of what grew, then each finding's sentence, then how to rerun. */
function leakBlock(report: CheckedReport, options: ReporterOptions): string {
  const parts = [`### ❌ ${markdownCode(handlerLabel(report), false)}`];
  if (report.error) {
    const at =
      report.error.invocation === undefined ? 'while loading' : `at invocation ${report.error.invocation}`;
    parts.push(
      `**${markdownText(report.error.errorType)}** ${at}: ${markdownText(report.error.errorMessage)}`,
    );
  }
  const errors = errorsText(report);
  if (errors) parts.push(`Invocation errors: ${markdownText(errors)}`);
  if (report.findings.length > 0) {
    parts.push(findingsTable(report.findings));
    for (const finding of report.findings) {
      parts.push(`**${markdownCode(findingLabel(finding), false)}**: ${markdownText(finding.message)}`);
      const chart = mermaidChart(finding);
      if (chart) parts.push(chart);
    }
  }
  const rerun = `npx warmleak check ${shellCommand([...rerunTarget(report), ...(options.rerunArgs ?? [])])}`;
  parts.push(`Rerun: ${markdownCode(rerun, false)}`);
  return parts.join('\n\n');
}

function findingsTable(findings: Finding[]): string {
  return [
    row(['What grew', 'Where', 'Per invocation', 'Series']),
    row(['---', '---', '---:', '---']),
    ...findings.map((finding) => {
      const where = finding.site ?? finding.module;
      const first = finding.series[0];
      const last = finding.series[finding.series.length - 1];
      const span = first && last ? ` ${formatNumber(first[1])} → ${formatNumber(last[1])}` : '';
      return row([
        markdownCode(findingLabel(finding), true),
        where ? markdownCode(where, true) : '',
        markdownText(perInvocation(finding)),
        `${sparkline(finding.series)}${span}`,
      ]);
    }),
  ].join('\n');
}

/** `+1 element`; a carry-over is no rate (its series counts sightings) but a field that reached another request. */
function perInvocation(finding: Finding): string {
  if (finding.kind === 'carry-over') return formatGrowth(finding);
  return `+${formatAmount(finding.growthPerInvocation, finding.unit)}`;
}
