// Words of a failed (or unexpectedly passing) check, culprit first, the way fast-check prints a counterexample.
import type { Finding, Report, SeriesPoint } from '../types.js';

/** At most `max` points, always keeping the first and the last. */
function seriesText(series: SeriesPoint[], max = 6): string {
  const keep =
    series.length <= max
      ? series
      : Array.from({ length: max }, (_, k) => series[Math.round((k * (series.length - 1)) / (max - 1))]);
  return keep.map(([x, y]) => `${y} @${x}`).join(', ');
}

function findingLines(f: Finding): string[] {
  return [`  ✗ ${f.message}`, `      series (value @invocation): ${seriesText(f.series)}`];
}

function reproduce(report: Report): string {
  return report.handler.includes('#')
    ? `npx warmleak check ${report.handler} --invocations ${report.invocations}`
    : `await expectNoStateLeak(${report.handler || 'handler'}, { invocations: ${report.invocations} })`;
}

function checkedLine(report: Report): string {
  const { heap } = report;
  const heapText = `heap ${heap.bytesPerInvocation >= 0 ? '+' : ''}${heap.bytesPerInvocation} B/invocation (ci95 ${heap.ci95[0]}..${heap.ci95[1]})`;
  const probes = (report.checked ?? []).join(', ');
  return `Checked: ${report.invocations} invocations in one warm environment; probes: ${probes}; ${heapText}.`;
}

/** Message for a report whose verdict is `leak`: what grew, how to rerun it, what was checked. */
export function leakMessage(report: Report, subject = 'state'): string {
  const count = report.findings.length;
  return [
    `${report.handler} leaks ${subject} across warm invocations: ${count} ${count === 1 ? 'thing grows' : 'things grow'}.`,
    '',
    ...report.findings.flatMap(findingLines),
    '',
    `Reproduce: ${reproduce(report)}`,
    checkedLine(report),
  ].join('\n');
}

/** Message for `expect(handler).toLeakState()` when nothing grew. */
export function noLeakMessage(report: Report, subject = 'state'): string {
  return [
    `Expected ${report.handler} to leak ${subject} across warm invocations, but nothing grew.`,
    checkedLine(report),
  ].join('\n');
}
