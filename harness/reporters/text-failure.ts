// The failure story in text, told once for the matchers and the text reporter: each culprit, how to rerun, what passed.
import { CHECK_POLICY } from '../check/policy.js';
import { namesFile } from '../runtime/handler-spec.js';
import type { Report } from '../types.js';
import { inert, shellCommand } from './escape.js';
import { errorsText, findingLabel, formatGrowth, formatSeries, rerunTarget } from './format.js';
import type { CheckedReport, ReporterOptions } from './types.js';

/**
 * How to run one check again: the command-line words after the handler, and in words what no flag carries (an
 * event function, an event value written in a test).
 */
export interface Reproduce {
  args: string[];
  note?: string;
}

/** The colour functions the story is drawn with; the identity when there is no colour. */
export interface StoryColors {
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const plain = (text: string) => text;
const PLAIN: StoryColors = { red: plain, yellow: plain, cyan: plain, dim: plain, bold: plain };

/**
 * The lines below a failing check's headline, indented by two: how the environment died, the errors, each
 * culprit (name, place, growth per invocation; its series; its sentence), the rerun line and what passed.
 */
export function failureLines(
  report: Report & Pick<CheckedReport, 'error' | 'functionName' | 'template'>,
  reproduce: Reproduce,
  c: StoryColors = PLAIN,
): string[] {
  const lines: string[] = [];
  if (report.error) {
    const at =
      report.error.invocation === undefined ? 'while loading' : `at invocation ${report.error.invocation}`;
    lines.push(
      `  ${c.red('✗')} ${c.bold(inert(report.error.errorType))} ${at}: ${inert(report.error.errorMessage)}`,
    );
  }
  const errors = errorsText(report);
  if (errors) lines.push(`  ${c.yellow('!')} ${inert(errors)}`);
  for (const finding of report.findings) {
    const place = finding.site ?? finding.module;
    const where = place ? ` ${c.cyan(inert(place))}` : '';
    lines.push(
      `  ${c.red('✗')} ${c.bold(inert(findingLabel(finding)))}${where} ${c.yellow(formatGrowth(finding))}`,
    );
    if (finding.series.length > 0)
      lines.push(`      ${c.dim('series (value @invocation):')} ${formatSeries(finding.series)}`);
    lines.push(`      ${inert(finding.message)}`);
  }
  lines.push(`  ${c.dim('rerun:')} ${rerunCommand(report, reproduce)}`);
  // Never the probe that just failed: `passed` leaves out every probe with a finding.
  const passed = report.passed ?? [];
  if (passed.length > 0) lines.push(`  ${c.dim('checked and passed:')} ${inert(passed.join(', '))}`);
  return lines;
}

/**
 * `npx warmleak check src/handler.ts#handler --invocations 200 --memory 256`, shell-quoted so that pasting it runs
 * nothing else; what no flag carries follows as a shell comment. A function given to a matcher has no file to
 * name: its rerun is the assertion.
 */
export function rerunCommand(
  report: Pick<CheckedReport, 'handler' | 'functionName' | 'template' | 'plan'>,
  reproduce: Reproduce,
): string {
  const note = reproduce.note ? `  # ${inert(reproduce.note)}` : '';
  if (!namesFile(report.handler) && !report.template) return `${assertionCall(report)}${note}`;
  return `${shellCommand(['npx', 'warmleak', 'check', ...rerunTarget(report), ...reproduce.args])}${note}`;
}

/** `await expectNoStateLeak(handler, { invocations: 200 })` for an imported function. */
function assertionCall(report: Pick<Report, 'handler' | 'plan'>): string {
  const name =
    /^[A-Za-z_$][\w$]*$/.test(report.handler) && report.handler !== 'anonymous' ? report.handler : 'handler';
  const invocations = report.plan?.invocations;
  return invocations === undefined || invocations === CHECK_POLICY.defaults.invocations
    ? `await expectNoStateLeak(${name})`
    : `await expectNoStateLeak(${name}, { invocations: ${invocations} })`;
}

/** A report's rerun words: the CLI's per-handler answer, else the flags given for all. */
export function reproduceOf(report: CheckedReport, options: ReporterOptions): Reproduce {
  return options.reproduce?.(report) ?? { args: options.rerunArgs ?? [] };
}
