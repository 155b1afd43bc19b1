// `--reporter markdown`: a GitHub job summary. One table of handlers, then per leak its findings table (a Unicode
// sparkline per series) and each culprit line with its series as a Mermaid chart: GitHub strips inline <svg> and
// data: images from a summary but draws ```mermaid blocks.
import type { Finding } from '../types.js';
import { shellCommand } from './escape.js';
import {
  countedSummary,
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
import { batchReporter, newTally, type StreamingReporter, tallyReport } from './stream.js';
import type { CheckedReport, LoadFailure, Reporter, ReporterOptions } from './types.js';

/**
 * A job summary opens with its headline and the table of every handler, so it is written whole at the end: each
 * handler is rendered as its check ends (its table row, a leak's block) and only that text is kept, not the report.
 */
export const markdownStream: StreamingReporter = (options = {}) => {
  const tally = newTally(options.skipped?.length ?? 0);
  // Culprits lead the table whatever order the checks end in.
  const failingRows: string[] = [];
  const passingRows: string[] = [];
  const failureRows: string[] = [];
  const leakBlocks: string[] = [];
  const notChecked: string[] = [];
  return {
    report(report) {
      if (tallyReport(tally, report)) {
        failingRows.push(reportRow(report));
        leakBlocks.push(leakBlock(report, options));
      } else passingRows.push(reportRow(report));
      return '';
    },
    failure(f) {
      tally.failureTypes.push(f.errorType);
      failureRows.push(failureRow(f));
      notChecked.push(
        `- ${markdownCode(handlerLabel(f), false)}: **${markdownText(f.errorType)}** ${markdownText(f.message)}`,
      );
      return '';
    },
    end() {
      const blocks = [
        `## warmleak: ${countedSummary(tally)}`,
        [...TABLE_HEAD, ...failingRows, ...passingRows, ...failureRows].join('\n'),
        ...leakBlocks,
      ];
      if (notChecked.length > 0) blocks.push(`### ⚠️ Not checked\n\n${notChecked.join('\n')}`);
      const skipped = (options.skipped ?? []).map((fn) => `- ${markdownCode(skippedLabel(fn), false)}`);
      if (skipped.length > 0) blocks.push(`### Skipped: ${SKIPPED_REASON}\n\n${skipped.join('\n')}`);
      return `${blocks.join('\n\n')}\n`;
    },
  };
};

export const markdownReporter: Reporter = batchReporter(markdownStream, 'culprits');

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function verdictOf(report: CheckedReport): string {
  if (report.error) return `❌ died (${markdownText(report.error.errorType)})`;
  return report.verdict === 'leak' ? '❌ leak' : '✅ pass';
}

const TABLE_HEAD = [
  row(['Handler', 'Verdict', 'Findings', 'Heap (B/invocation)', 'Warm p50 (ms)', 'Init (ms)']),
  row(['---', '---', '---:', '---:', '---:', '---:']),
];

function reportRow(report: CheckedReport): string {
  return row([
    markdownCode(handlerLabel(report), true),
    verdictOf(report),
    String(report.findings.length),
    formatNumber(report.heap.bytesPerInvocation),
    formatNumber(report.timing.warm.p50),
    formatNumber(report.timing.initMs),
  ]);
}

function failureRow(failure: LoadFailure): string {
  return row([
    markdownCode(handlerLabel(failure), true),
    `⚠️ ${markdownText(failure.errorType)}`,
    '',
    '',
    '',
    '',
  ]);
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
