// Turns probe series into findings: which measurements grew, by how much per invocation, in a sentence.
import { countOf, unitNoun } from '../count.js';
import type { Finding, SeriesPoint, Unit } from '../types.js';
import { assessGrowth, roundRate, stillGrowing } from './growth.js';
import type { MeasuredSeries, SeriesBook } from './series-book.js';

function amount(rate: number, unit: Unit): string {
  const r = roundRate(rate);
  return `${r} ${unitNoun(r, unit)}`;
}

function label(meta: MeasuredSeries['meta']): string {
  return meta.path ?? meta.name;
}

/** One sentence a person can act on, culprit first. */
export function describe(meta: MeasuredSeries['meta'], rate: number, points: SeriesPoint[]): string {
  const first = points[0][1];
  const [lastX, last] = points[points.length - 1];
  const where = meta.module ? ` (${meta.module})` : '';
  const at = meta.site ? ` at ${meta.site}` : '';
  const per = `${amount(rate, meta.unit)} per invocation`;
  switch (meta.kind) {
    case 'state':
      return `${label(meta)}${where} grew by ${per}: ${first} -> ${last}`;
    case 'global':
      return `global ${label(meta)}${where}${meta.note ? ` (${meta.note})` : ''} grew by ${per}: ${first} -> ${last}`;
    case 'listener':
      return `${label(meta)}${where || at} gained ${per}: ${first} -> ${last} listeners`;
    case 'handle':
    case 'process':
      return `${label(meta)}${at}: ${last} alive after ${countOf(lastX, 'invocation')} (+${per})`;
    case 'tmp':
      return `${label(meta)} in /tmp grew by ${per}: ${first} -> ${last}`;
    case 'pending':
      return `${label(meta)}${at} outlived its invocation: +${per}, ${last} still pending`;
    default:
      return `${label(meta)}${where} grew by ${per}: ${first} -> ${last}`;
  }
}

function allowed(meta: MeasuredSeries['meta'], allow: Array<string | RegExp>): boolean {
  const names = [meta.name, meta.path, meta.module && `${meta.module}:${meta.name}`].filter(
    Boolean,
  ) as string[];
  return allow.some((rule) =>
    names.some((n) => (typeof rule === 'string' ? n === rule || n.startsWith(`${rule}.`) : rule.test(n))),
  );
}

/**
 * Findings from every non-heap series (heap has its own analysis). When several paths of one variable grow,
 * the deepest growing container is the culprit and its ancestors are not repeated.
 */
export function growthFindings(
  book: SeriesBook,
  options: {
    allow?: Array<string | RegExp>;
    confirmationStartX?: number;
    untilX?: number;
    /** Only checkpoints from here on, and only these kinds (the series a heap phase also samples). */
    fromX?: number;
    kinds?: readonly Finding['kind'][];
  },
): { findings: Finding[]; allowed: Finding[] } {
  // Checkpoints after `untilX` sampled only the heap: other series are absent there, not zero.
  const untilX = options.untilX ?? Number.POSITIVE_INFINITY;
  const findings: Finding[] = [];
  const allowedGrowth: Finding[] = [];
  for (const series of book.byKey.values()) {
    // The heap and carry-over have rules of their own (heap-verdict.ts, carry-over.ts).
    if (series.meta.kind === 'heap' || series.meta.kind === 'carry-over') continue;
    if (options.kinds && !options.kinds.includes(series.meta.kind)) continue;
    const points = book.points(series, options.fromX).filter(([x]) => x <= untilX);
    const mainPhase =
      options.confirmationStartX === undefined
        ? points
        : points.filter(([x]) => x <= (options.confirmationStartX as number));
    const growth = assessGrowth(mainPhase);
    if (!growth.growing) continue;
    if (
      options.confirmationStartX !== undefined &&
      !stillGrowing(points, options.confirmationStartX, growth.perInvocation)
    )
      continue;
    const rate = assessGrowth(points).perInvocation || growth.perInvocation;
    const { key: _key, ...meta } = series.meta;
    const finding = {
      ...meta,
      growthPerInvocation: roundRate(rate),
      series: points,
      message: describe(series.meta, rate, points),
    };
    // Allowed growth is not a finding, but it still explains the heap growth it causes.
    (options.allow && allowed(series.meta, options.allow) ? allowedGrowth : findings).push(finding);
  }
  return { findings: dropAncestors(findings), allowed: allowedGrowth };
}

/** `tracer` grows because `tracer.finished` grows: report the latter only. */
function dropAncestors(findings: Finding[]): Finding[] {
  return findings.filter((f) => {
    const own = f.path ?? f.name;
    return !findings.some(
      (other) =>
        other !== f &&
        other.kind === f.kind &&
        other.module === f.module &&
        (other.path ?? other.name).startsWith(`${own}.`),
    );
  });
}

/** Whether any series in the book is growing so far (decides if a confirmation phase is worth running). */
export function anyGrowing(book: SeriesBook, kinds: ReadonlySet<string>): boolean {
  for (const series of book.byKey.values()) {
    if (kinds.has(series.meta.kind) && assessGrowth(book.points(series)).growing) return true;
  }
  return false;
}
