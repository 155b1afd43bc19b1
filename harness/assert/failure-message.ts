// Words of a failed (or unexpectedly passing) check, culprit first, the way fast-check prints a counterexample.
import { roundRate } from '../analysis/growth.js';
import { CHECK_DEFAULTS } from '../check/index.js';
import { noteText } from '../check/notes.js';
import { errorsText } from '../reporters/format.js';
import { namesFile } from '../runtime/handler-spec.js';
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
  const invocations = report.plan?.invocations;
  const fromFile = namesFile(report.handler);
  if (invocations === undefined || invocations === CHECK_DEFAULTS.invocations) {
    return fromFile
      ? `npx warmleak check ${report.handler}`
      : `await expectNoStateLeak(${functionName(report)})`;
  }
  return fromFile
    ? `npx warmleak check ${report.handler} --invocations ${invocations}`
    : `await expectNoStateLeak(${functionName(report)}, { invocations: ${invocations} })`;
}

function functionName(report: Report): string {
  return /^[A-Za-z_$][\w$]*$/.test(report.handler) && report.handler !== 'anonymous'
    ? report.handler
    : 'handler';
}

function checkedLine(report: Report): string {
  const { heap } = report;
  const rate = roundRate(heap.bytesPerInvocation);
  const [low, high] = heap.ci95.map(roundRate);
  const heapText = `heap ${rate >= 0 ? '+' : ''}${rate} B/invocation (ci95 ${low}..${high})`;
  const probes = (report.checked ?? []).join(', ');
  const errors = report.errors?.count ? ` ${errorsText(report)}.` : '';
  return `Checked: ${report.invocations} invocations in one warm environment; probes: ${probes}; ${heapText}.${errors}`;
}

/** The hint that a function's shared module held state before the check began, on its own line: it changes the fix. */
function importedStateLines(report: Report): string[] {
  return (report.notes ?? [])
    .filter((note) => note.kind === 'imported-state')
    .map((note) => `Note: ${noteText(note)}`);
}

/** Message for a report whose verdict is `leak`: what grew, how to rerun it, what was checked. */
export function leakMessage(report: Report, subject = 'state'): string {
  const count = report.findings.length;
  return [
    `${report.handler} leaks ${subject} across warm invocations: ${count} ${count === 1 ? 'thing grows' : 'things grow'}.`,
    '',
    ...report.findings.flatMap(findingLines),
    '',
    ...importedStateLines(report),
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
