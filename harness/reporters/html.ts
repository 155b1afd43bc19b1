// `--reporter html`: one self-contained page per run, culprits first, every series drawn as an inline SVG chart.

import { noteText } from '../check/notes.js';
import { countOf } from '../count.js';
import type { Finding } from '../types.js';

import {
  countedSummary,
  errorsText,
  findingLabel,
  formatGrowth,
  formatNumber,
  handlerLabel,
  SKIPPED_REASON,
  skippedLabel,
} from './format.js';
import { findingChart, forecastChart, heapChart, resourcesChart, warmChart } from './html-charts.js';
import { escapeHtml, jsonForHtml } from './html-escape.js';
import { htmlPage } from './html-page.js';
import { batchReporter, newTally, type StreamingReporter, tallyReport } from './stream.js';
import { reproduceOf, rerunCommand } from './text-failure.js';
import type { CheckedReport, LoadFailure, Reporter, ReporterOptions, SkippedFunctionEntry } from './types.js';

const failed = (report: CheckedReport) => report.verdict === 'leak' || report.error !== undefined;

/**
 * The page's title and header name the run's totals, so it is written whole at the end: each handler is rendered as
 * its check ends (its section, its summary row, its JSON) and only that text is kept, not the report. Culprits lead;
 * a section's id is its arrival order, which the summary's links follow.
 */
export const htmlStream: StreamingReporter = (options = {}) => {
  const tally = newTally(options.skipped?.length ?? 0);
  const failing = { sections: [] as string[], rows: [] as string[], json: [] as string[] };
  const passing = { sections: [] as string[], rows: [] as string[], json: [] as string[] };
  const failureSections: string[] = [];
  const failureRows: string[] = [];
  return {
    report(report) {
      const index = tally.leaks + tally.passed;
      const into = tallyReport(tally, report) ? failing : passing;
      into.sections.push(handlerSection(report, index, options));
      into.rows.push(summaryRow(report, index));
      into.json.push(jsonForHtml(report));
      return '';
    },
    failure(failure) {
      const index = tally.failureTypes.length;
      tally.failureTypes.push(failure.errorType);
      failureSections.push(failureSection(failure, index));
      failureRows.push(failureSummaryRow(failure, index));
      return '';
    },
    end() {
      const total = tally.leaks + tally.passed + tally.failureTypes.length;
      const headline = countedSummary(tally);
      const body = [
        `<header><h1>warmleak report</h1><p class="run">${escapeHtml(headline)}</p></header>`,
        total > 1 ? summaryTable([...failing.rows, ...passing.rows, ...failureRows]) : '',
        ...failing.sections,
        ...passing.sections,
        ...failureSections,
        skippedSection(options.skipped ?? []),
        // The reports themselves, as `--json` prints them, for anyone who wants the numbers behind a chart.
        `<script type="application/json" id="warmleak-reports">[${[...failing.json, ...passing.json].join(',')}]</script>`,
      ].join('\n');
      return htmlPage(`warmleak: ${headline}`, body);
    },
  };
};

export const htmlReporter: Reporter = batchReporter(htmlStream, 'culprits');

function verdictBadge(report: CheckedReport): string {
  if (report.error) return '<span class="verdict error">DIED</span>';
  return report.verdict === 'leak'
    ? '<span class="verdict leak">LEAK</span>'
    : '<span class="verdict pass">pass</span>';
}

/** One row per handler; a click on a column header sorts (a few lines of inline script), the links need none. */
function summaryTable(rows: string[]): string {
  const header = [
    ['handler', 'text'],
    ['verdict', 'text'],
    ['findings', 'number'],
    ['heap B/invocation', 'number'],
    ['warm p50 ms', 'number'],
    ['init ms', 'number'],
  ]
    .map(
      ([name, type]) =>
        `<th data-sort="${type}"${type === 'number' ? ' class="num"' : ''}><button type="button">${name}</button></th>`,
    )
    .join('');
  return `<table class="summary"><thead><tr>${header}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function summaryRow(report: CheckedReport, index: number): string {
  const verdict = report.error ? 'died' : report.verdict;
  const num = (value: number) =>
    `<td class="num" data-value="${value}">${escapeHtml(formatNumber(value))}</td>`;
  return `<tr><td><a href="#handler-${index}"><code>${escapeHtml(handlerLabel(report))}</code></a></td><td>${verdictBadge(report)}<span hidden>${verdict}</span></td>${num(report.findings.length)}${num(report.heap.bytesPerInvocation)}${num(report.timing.warm.p50)}${num(report.timing.initMs)}</tr>`;
}

function failureSummaryRow(failure: LoadFailure, index: number): string {
  return `<tr><td><a href="#load-failure-${index}"><code>${escapeHtml(handlerLabel(failure))}</code></a></td><td><span class="verdict error">ERROR</span><span hidden>error</span></td><td class="num" data-value="0">${escapeHtml(failure.errorType)}</td><td class="num"></td><td class="num"></td><td class="num"></td></tr>`;
}

/** Verdict, culprits with their charts, how to rerun, then the heap, forecast, handles and timing charts. */
function handlerSection(report: CheckedReport, index: number, options: ReporterOptions): string {
  const tone = report.error ? 'error' : report.verdict;
  const parts = [
    `<section class="handler ${tone}" id="handler-${index}">`,
    `<h2>${verdictBadge(report)}<code>${escapeHtml(handlerLabel(report))}</code></h2>`,
    `<p class="run">${escapeHtml(runFacts(report))}</p>`,
  ];
  if (report.error) {
    const at =
      report.error.invocation === undefined ? 'while loading' : `at invocation ${report.error.invocation}`;
    parts.push(
      `<p class="message"><strong>${escapeHtml(report.error.errorType)}</strong> ${escapeHtml(at)}: ${escapeHtml(report.error.errorMessage)}</p>`,
    );
  }
  const errors = errorsText(report);
  if (errors) parts.push(`<p class="message"><strong>Invocation errors:</strong> ${escapeHtml(errors)}</p>`);
  if (report.findings.length > 0) {
    parts.push(`<h3>What grew (${report.findings.length})</h3>`);
    parts.push(...report.findings.map((finding) => findingArticle(finding)));
  }
  if (failed(report)) {
    const rerun = rerunCommand(report, reproduceOf(report, options));
    parts.push(`<p><span class="muted">rerun:</span> <code>${escapeHtml(rerun)}</code></p>`);
  }
  parts.push(
    '<h3>Heap, handles and timing</h3><div class="charts">',
    heapChart(report.heap),
    forecastChart(report),
    resourcesChart(report),
    warmChart(report.timing),
    '</div>',
  );
  // As the text story says it: after a failure, only the probes that passed (never the one that just failed).
  const [label, probes] = failed(report)
    ? ['checked and passed', report.passed ?? []]
    : ['checked', report.checked ?? []];
  if (probes.length > 0)
    parts.push(`<p class="muted checked">${label}: ${escapeHtml(probes.join(', '))}</p>`);
  // A pass words its notes in `checked`; a failure's probes that passed do not, so its notes follow on their own.
  if (failed(report))
    for (const note of report.notes ?? [])
      parts.push(`<p class="muted note">${escapeHtml(noteText(note))}</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

/** The culprit first: name, place, growth per invocation, the sentence to act on, then its series. */
function findingArticle(finding: Finding): string {
  const where = finding.site ?? finding.module;
  const growth = formatGrowth(finding);
  const parts = [
    '<article class="finding">',
    `<h4>✗ <code>${escapeHtml(findingLabel(finding))}</code>${where ? ` <code class="where">${escapeHtml(where)}</code>` : ''} <span class="growth">${escapeHtml(growth)}</span></h4>`,
    `<p class="message">${escapeHtml(finding.message)}</p>`,
    findingChart(finding),
  ];
  if (finding.constructors && finding.constructors.length > 0) {
    const rows = finding.constructors.map(
      (c) =>
        `<tr><td><code>${escapeHtml(c.name)}</code></td><td class="num">${escapeHtml(formatNumber(c.countPerInvocation))}</td><td class="num">${escapeHtml(formatNumber(c.bytesPerInvocation))}</td></tr>`,
    );
    parts.push(
      `<table><thead><tr><th>constructor</th><th class="num">+count/invocation</th><th class="num">+B/invocation</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    );
  }
  if (finding.retainers && finding.retainers.length > 0) {
    const items = finding.retainers.map((path) => `<li><code>${escapeHtml(path)}</code></li>`);
    parts.push(`<p class="muted">held by:</p><ul class="retainers">${items.join('')}</ul>`);
  }
  parts.push('</article>');
  return parts.join('\n');
}

function failureSection(failure: LoadFailure, index: number): string {
  return [
    `<section class="handler error" id="load-failure-${index}">`,
    `<h2><span class="verdict error">ERROR</span><code>${escapeHtml(handlerLabel(failure))}</code></h2>`,
    `<p class="message"><strong>${escapeHtml(failure.errorType)}</strong>: ${escapeHtml(failure.message)}</p>`,
    '</section>',
  ].join('\n');
}

/** Template functions that are not Node.js, each with its runtime; nothing when there are none. */
function skippedSection(skipped: SkippedFunctionEntry[]): string {
  if (skipped.length === 0) return '';
  const items = skipped.map((fn) => `<li><code>${escapeHtml(skippedLabel(fn))}</code></li>`);
  return `<section class="handler skipped" id="skipped"><h2>Skipped: ${escapeHtml(SKIPPED_REASON)}</h2><ul>${items.join('')}</ul></section>`;
}

/** `500 invocations · init 12.1 ms · max memory 61 MB · checked in 1.6 s`. */
function runFacts(report: CheckedReport): string {
  const facts = [
    countOf(report.invocations, 'invocation', { shown: report.invocations.toLocaleString('en-US') }),
  ];
  if (report.timing.initMs > 0) facts.push(`init ${formatNumber(report.timing.initMs)} ms`);
  if (report.maxMemoryUsedMB !== undefined) facts.push(`max memory ${report.maxMemoryUsedMB} MB`);
  if (report.forecast) facts.push(`memory size ${report.forecast.memorySizeMB} MB`);
  if (report.durationMs !== undefined) facts.push(`checked in ${formatNumber(report.durationMs / 1000)} s`);
  return facts.join(' · ');
}
