// Human output: each culprit first (name, module, growth per invocation, series), then how to rerun, then what passed.
import { createColors, getDefaultColors } from 'tinyrainbow';
import { inert } from './escape.js';
import { checkedSummary, culpritsFirst, errorsText, formatNumber, handlerLabel } from './format.js';
import { failureLines, reproduceOf } from './text-failure.js';
import type { CheckedReport, Reporter, ReporterOptions } from './types.js';

export const textReporter: Reporter = (reports, options = {}) => {
  const c = options.color ? createColors({ force: true }) : getDefaultColors();
  const lines: string[] = [];
  const { failing, passing } = culpritsFirst(reports);

  for (const report of failing) lines.push(...leakLines(report, c, options));

  for (const failure of options.failures ?? []) {
    lines.push(`${c.bold(c.magenta('ERROR'))} ${c.bold(inert(handlerLabel(failure)))}`);
    lines.push(`  ${inert(failure.errorType)}: ${inert(failure.message)}`);
    lines.push('');
  }

  for (const report of passing) {
    lines.push(`${c.green('pass')} ${inert(handlerLabel(report))} ${c.dim(`(${runSummary(report)})`)}`);
    const errors = errorsText(report);
    if (errors) lines.push(`  ${c.yellow('!')} ${inert(errors)}`);
    if (report.checked && report.checked.length > 0)
      lines.push(`  ${c.dim('checked:')} ${inert(report.checked.join(', '))}`);
  }
  if (passing.length > 0) lines.push('');
  for (const fn of options.skipped ?? [])
    lines.push(
      `${c.dim('skip')} ${inert(fn.name)} ${c.dim(`(${inert(fn.runtime)}, ${inert(fn.template)})`)}`,
    );
  if ((options.skipped?.length ?? 0) > 0) lines.push('');

  lines.push(checkedSummary(reports, options));
  return `${lines.join('\n')}\n`;
};

type Colors = ReturnType<typeof getDefaultColors>;

/** One failing handler: its header and run summary, then the failure story the matchers tell too. */
function leakLines(report: CheckedReport, c: Colors, options: ReporterOptions): string[] {
  return [
    `${c.bold(c.red('LEAK'))} ${c.bold(inert(handlerLabel(report)))} ${c.dim(`(${runSummary(report)})`)}`,
    ...failureLines(report, reproduceOf(report, options), c),
    '',
  ];
}

/** `500 invocations, heap +0.4 B/invocation, warm p50 0.05 ms, init 12.1 ms, max memory 61 MB`. */
function runSummary(report: CheckedReport): string {
  const parts = [`${report.invocations} invocations`];
  if (Number.isFinite(report.heap.bytesPerInvocation) && report.heap.series.length > 0) {
    parts.push(
      `heap ${report.heap.bytesPerInvocation >= 0 ? '+' : ''}${formatNumber(report.heap.bytesPerInvocation)} B/invocation`,
    );
  }
  if (report.timing.warm.p50 > 0) parts.push(`warm p50 ${formatNumber(report.timing.warm.p50)} ms`);
  if (report.timing.initMs > 0) parts.push(`init ${formatNumber(report.timing.initMs)} ms`);
  if (report.maxMemoryUsedMB !== undefined) parts.push(`max memory ${report.maxMemoryUsedMB} MB`);
  return parts.join(', ');
}
