// Small wording helpers shared by the reporters, so that every output names growth the same way.
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countOf, unitNoun } from '../count.js';
import { splitHandlerSpec } from '../runtime/handler-spec.js';
import type { Finding, Report, SeriesPoint, Unit } from '../types.js';

/** Three significant digits at most, no exponent for ordinary sizes: 1, 0.25, 160, 1234. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(3)));
}

/** `1 element`, `2.5 elements`, `160 bytes`. */
export function formatAmount(value: number, unit: Unit): string {
  return `${formatNumber(value)} ${unitNoun(value, unit)}`;
}

/** `+1 element per invocation`; a carry-over is not a rate but a field that reached another request. */
export function formatGrowth(finding: Finding): string {
  if (finding.kind === 'carry-over') return `carry-over of ${finding.field ?? 'request data'}`;
  return `+${formatAmount(finding.growthPerInvocation, finding.unit)} per invocation`;
}

/**
 * `arrayB`, or the full path when the growth is below a variable: probes name a nested finding by its last
 * segment (`finished`) and give the path from the variable (`tracer.finished`). /tmp's `files` and `bytes` read
 * as `/tmp files`.
 */
export function findingLabel(finding: Finding): string {
  if (!finding.path) return finding.name;
  if (finding.kind === 'tmp') return `${finding.name} ${finding.path}`;
  // Compared as text, not by splitting on dots: an object or Map key may itself contain dots.
  const { name, path } = finding;
  const contains =
    path === name || path.startsWith(`${name}.`) || path.endsWith(`.${name}`) || path.includes(`.${name}.`);
  return contains ? path : `${name}.${path}`;
}

/** A long series shortened to its first three and last two points, so that a line stays readable. */
export function formatSeries(series: SeriesPoint[]): string {
  const shown = series.length > 6 ? [...series.slice(0, 3), null, ...series.slice(-2)] : series;
  return shown.map((point) => (point ? `${formatNumber(point[1])} @${point[0]}` : '…')).join(', ');
}

/** Splits `file:line:column` (or `file:line`, or a file URL) into its parts. */
export function parseSite(site: string): { file: string; line?: number; column?: number } {
  const match = /^(.*?):(\d+)(?::(\d+))?$/.exec(site);
  const file = match ? match[1] : site;
  return {
    file: file.startsWith('file://') ? fileURLToPath(file) : file,
    line: match ? Number(match[2]) : undefined,
    column: match?.[3] ? Number(match[3]) : undefined,
  };
}

/** Paths relative to the project, with forward slashes, as a CI annotates them. */
export function projectPath(file: string, cwd: string = process.cwd()): string {
  const path = isAbsolute(file) ? relative(cwd, file) : file;
  return path.split('\\').join('/');
}

/** The file part of a handler spec `src/handler.ts#handler`. */
export function handlerFile(handler: string): string {
  const { file } = splitHandlerSpec(handler);
  return file === '' ? handler : file;
}

/** `812 B`, `48.2 KB`, `61.3 MB`: sizes as Lambda's REPORT line and the heap messages write them. */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= 10 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (abs >= 10 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${formatNumber(bytes)} B`;
}

/**
 * `20 of 200 invocations failed (Error 20); first, at invocation 10: Error: order 10 refused`, or undefined when
 * none did. Raw handler text: each reporter escapes it for its own medium.
 */
export function errorsText(report: Report): string | undefined {
  const errors = report.errors;
  if (!errors || errors.count === 0) return undefined;
  const types = Object.entries(errors.byType)
    .map(([type, count]) => `${type} ${count}`)
    .join(', ');
  const first = errors.first
    ? `; first, at invocation ${errors.first.invocation + 1}: ${errors.first.errorType}: ${errors.first.errorMessage}`
    : '';
  return `${errors.count} of ${countOf(report.invocations, 'invocation')} failed (${types})${first}`;
}

/** How a report names what it checked: a template's function by its name there, with its handler; a file as given. */
export function handlerLabel(item: { handler: string; functionName?: string }): string {
  return item.functionName ? `${item.functionName} (${item.handler})` : item.handler;
}

/** Why a skipped template function is not checked, in the words every reporter uses. */
export const SKIPPED_REASON = 'warmleak checks Node.js functions';

/** `ReportsFunction (python3.12, template.yaml)`: a skipped function with its runtime and template. */
export function skippedLabel(fn: { name: string; runtime: string; template: string }): string {
  return `${fn.name} (${fn.runtime}, ${fn.template})`;
}

/** Leaks and dead environments first, then what passed: the reader came for the culprit. */
export function culpritsFirst<T extends Report & { error?: unknown }>(
  reports: T[],
): { failing: T[]; passing: T[] } {
  const failing = reports.filter((report) => report.verdict === 'leak' || report.error !== undefined);
  return { failing, passing: reports.filter((report) => !failing.includes(report)) };
}

/** `3 handlers checked: 1 leak, 1 passed, 1 could not be loaded`, the headline or last line of a human-facing report. */
export function checkedSummary(
  reports: Array<Report & { error?: unknown }>,
  options: { failures?: Array<{ errorType: string }>; skipped?: unknown[] },
): string {
  const leaks = culpritsFirst(reports).failing.length;
  return countedSummary({
    leaks,
    passed: reports.length - leaks,
    failureTypes: (options.failures ?? []).map((failure) => failure.errorType),
    skipped: options.skipped?.length ?? 0,
  });
}

/** The same line from counts kept as the reports streamed past. */
export function countedSummary(counts: {
  leaks: number;
  passed: number;
  failureTypes: string[];
  skipped: number;
}): string {
  const { leaks, skipped } = counts;
  const failures = counts.failureTypes.length;
  const parts = [countOf(leaks, 'leak'), `${counts.passed} passed`];
  // A handler that loaded but threw on every invocation was not "not loaded": say which happened.
  const invoked = counts.failureTypes.filter((type) => type === 'InvocationError').length;
  if (failures - invoked > 0) parts.push(`${failures - invoked} could not be loaded`);
  if (invoked > 0) parts.push(`${invoked} failed on every invocation`);
  if (skipped > 0) parts.push(`${skipped} skipped (not Node.js)`);
  const total = leaks + counts.passed + failures;
  return `${countOf(total, 'handler')} checked: ${parts.join(', ')}`;
}

/** What a rerun line checks: a template's function with its template settings, a file as given. */
export function rerunTarget(report: { handler: string; functionName?: string; template?: string }): string[] {
  return report.functionName && report.template
    ? ['--template', report.template, '--function', report.functionName]
    : [report.handler];
}
