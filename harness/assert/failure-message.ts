// Words of a failed (or unexpectedly passing) assertion: the text reporter's failure story under a matcher's headline.
import { roundRate } from '../analysis/growth.js';
import { noteText } from '../check/notes.js';
import type { CheckOptions } from '../check-options.js';
import { countOf } from '../count.js';
import { errorsText } from '../reporters/format.js';
import { failureLines } from '../reporters/text-failure.js';
import type { Report } from '../types.js';
import { reproduceFromOptions } from './reproduce.js';

/** What the check covered; a leak message leaves out the errors, which its failure lines already name. */
function checkedLine(report: Report, withErrors = true): string {
  const { heap } = report;
  const rate = roundRate(heap.bytesPerInvocation);
  const [low, high] = heap.ci95.map(roundRate);
  const heapText = `heap ${rate >= 0 ? '+' : ''}${rate} B/invocation (ci95 ${low}..${high})`;
  const probes = (report.checked ?? []).join(', ');
  const errors = withErrors && report.errors?.count ? ` ${errorsText(report)}.` : '';
  return `Checked: ${countOf(report.invocations, 'invocation')} in one warm environment; probes: ${probes}; ${heapText}.${errors}`;
}

/** The hint that a function's shared module held state before the check began, on its own line: it changes the fix. */
function importedStateLines(report: Report): string[] {
  return (report.notes ?? [])
    .filter((note) => note.kind === 'imported-state')
    .map((note) => `Note: ${noteText(note)}`);
}

/**
 * Message for a report whose verdict is `leak`: what grew, how to rerun it, what was checked. `options` are the
 * assertion's, so that the rerun line carries the event, memory, timeout and isolation it ran with.
 */
export function leakMessage(report: Report, subject = 'state', options: CheckOptions = {}): string {
  const count = report.findings.length;
  return [
    `${report.handler} leaks ${subject} across warm invocations: ${countOf(count, 'thing')} ${count === 1 ? 'grows' : 'grow'}.`,
    '',
    ...failureLines(report, reproduceFromOptions(options, report)),
    ...importedStateLines(report),
    checkedLine(report, false),
  ].join('\n');
}

/** Message for `expect(handler).toLeakState()` when nothing grew. */
export function noLeakMessage(report: Report, subject = 'state'): string {
  return [
    `Expected ${report.handler} to leak ${subject} across warm invocations, but nothing grew.`,
    checkedLine(report),
  ].join('\n');
}
