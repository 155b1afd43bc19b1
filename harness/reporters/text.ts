// Human output: each culprit first (name, module, growth per invocation, series), then how to rerun, then what passed.
import { createColors, getDefaultColors } from 'tinyrainbow';
import { countOf } from '../count.js';
import { inert } from './escape.js';
import { countedSummary, errorsText, formatNumber, handlerLabel } from './format.js';
import { batchReporter, newTally, type StreamingReporter, tallyReport } from './stream.js';
import { failureLines, reproduceOf } from './text-failure.js';
import type { CheckedReport, Reporter, ReporterOptions } from './types.js';

/**
 * Each handler's lines as its check ends: a leak's whole story, or a pass's line; the summary last. Fed culprits
 * first (the batch form), leaks lead; streamed, handlers appear as they finish.
 */
export const textStream: StreamingReporter = (options = {}) => {
  const c = options.color ? createColors({ force: true }) : getDefaultColors();
  const tally = newTally(options.skipped?.length ?? 0);
  // Pass lines run together; a blank line closes them before the next block and before the summary.
  let afterPass = false;
  const block = (lines: string[]) => {
    const gap = afterPass ? '\n' : '';
    afterPass = false;
    return `${gap}${lines.join('\n')}\n`;
  };
  return {
    report(report) {
      if (tallyReport(tally, report)) return block(leakLines(report, c, options));
      afterPass = true;
      return `${passLines(report, c).join('\n')}\n`;
    },
    failure(failure) {
      tally.failureTypes.push(failure.errorType);
      return block([
        `${c.bold(c.magenta('ERROR'))} ${c.bold(inert(handlerLabel(failure)))}`,
        `  ${inert(failure.errorType)}: ${inert(failure.message)}`,
        '',
      ]);
    },
    end() {
      const lines = afterPass ? [''] : [];
      for (const fn of options.skipped ?? [])
        lines.push(
          `${c.dim('skip')} ${inert(fn.name)} ${c.dim(`(${inert(fn.runtime)}, ${inert(fn.template)})`)}`,
        );
      if ((options.skipped?.length ?? 0) > 0) lines.push('');
      lines.push(countedSummary(tally));
      return `${lines.join('\n')}\n`;
    },
  };
};

export const textReporter: Reporter = batchReporter(textStream, 'culprits');

/** A passing handler: its line, its invocation errors, what it checked. */
function passLines(report: CheckedReport, c: Colors): string[] {
  const lines = [`${c.green('pass')} ${inert(handlerLabel(report))} ${c.dim(`(${runSummary(report)})`)}`];
  const errors = errorsText(report);
  if (errors) lines.push(`  ${c.yellow('!')} ${inert(errors)}`);
  if (report.checked && report.checked.length > 0)
    lines.push(`  ${c.dim('checked:')} ${inert(report.checked.join(', '))}`);
  return lines;
}

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
  const parts = [countOf(report.invocations, 'invocation')];
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
