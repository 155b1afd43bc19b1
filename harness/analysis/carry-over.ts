// Carry-over: one request's data in another request's response or logs (user A's data served to user B), and, in
// strict mode, request data a module-scope variable still holds after its invocation ended. Pure rules.
import { decodeCanaries, isCanarySite, type Site, siteValue } from '../events/generators.js';
import type { EventProgram } from '../events/program.js';
import type { Finding, Measurement } from '../types.js';
import type { SeriesBook } from './series-book.js';

/** Earlier invocations whose canaries are looked for by value (uuids decode from any invocation). */
export const CARRY_OVER_WINDOW = 16;

/** A canary of invocation `from` (its field and exact value). */
export interface Canary {
  field: string;
  from: number;
  value: string;
}

/** Whether `value` occurs in `text` as a whole token (`user-1` is not inside `user-15`). */
function containsToken(text: string, value: string): boolean {
  const word = /[A-Za-z0-9]/;
  for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1)) {
    const before = at > 0 ? text[at - 1] : '';
    const after = text[at + value.length] ?? '';
    if (!word.test(before) && !word.test(after)) return true;
  }
  return false;
}

function siteById(program: EventProgram, id: number): { site: Site; template: number } | undefined {
  for (let t = 0; t < program.templates.length; t++) {
    const site = program.templates[t].sites.find((s) => s.id === id);
    if (site) return { site, template: t };
  }
  return undefined;
}

/**
 * Canaries in `text` that belong to invocations other than `index` (and not to a later one), at most one per
 * field: uuids of any earlier invocation, other canaries of the last CARRY_OVER_WINDOW invocations.
 */
export function canariesIn(text: string, index: number, program: EventProgram, inclusive = false): Canary[] {
  const found = new Map<string, Canary>();
  const own = (from: number) => (inclusive ? from > index : from >= index);
  const add = (site: Site, from: number) => {
    const value = String(siteValue(site, program.salt, from));
    // A value this invocation also produced (a `{{pick}}` part, a repeated field) is not another request's data.
    if (!inclusive && value === String(siteValue(site, program.salt, index))) return;
    if (!found.has(site.field)) found.set(site.field, { field: site.field, from, value });
  };
  for (const decoded of decodeCanaries(text, program.salt)) {
    const owner = siteById(program, decoded.site);
    if (!owner || own(decoded.index)) continue;
    if (decoded.index % program.templates.length === owner.template) add(owner.site, decoded.index);
  }
  const n = program.templates.length;
  const last = inclusive ? index : index - 1;
  program.templates.forEach((template, t) => {
    for (const site of template.sites) {
      if (!isCanarySite(site) || found.has(site.field)) continue;
      for (let from = last; from >= 0 && from > index - CARRY_OVER_WINDOW; from--) {
        if (from % n !== t) continue;
        const value = String(siteValue(site, program.salt, from));
        if (containsToken(text, value)) {
          add(site, from);
          break;
        }
      }
    }
  });
  return [...found.values()];
}

/** The carry-over measurements the probe records carry their story in `note`: `served <from> <to> <where>`. */
export function servedMeasurement(
  canary: Canary,
  to: number,
  where: 'response' | 'logs',
  holder: { name: string; path?: string; module?: string } | undefined,
  count: number,
): Measurement {
  const measurement: Measurement = {
    key: `carry-over:served:${canary.field}`,
    kind: 'carry-over',
    name: holder?.name ?? canary.field,
    field: canary.field,
    unit: 'elements',
    value: count,
    note: `served ${canary.from} ${to} ${where}`,
  };
  if (holder?.path) measurement.path = holder.path;
  if (holder?.module) measurement.module = holder.module;
  return measurement;
}

/** Every carry-over series becomes one finding; the first observation tells its story. */
export function carryOverFindings(book: SeriesBook): Finding[] {
  const findings: Finding[] = [];
  for (const series of book.byKey.values()) {
    const { meta } = series;
    if (meta.kind !== 'carry-over') continue;
    const points = book.points(series).filter(([, value]) => value > 0);
    if (points.length === 0) continue;
    const { key: _key, note = '', ...rest } = meta;
    const [what, from, to, where] = note.split(' ');
    const variable = meta.path ?? meta.name;
    const holder =
      meta.field && variable !== meta.field
        ? `; ${variable}${meta.module ? ` (${meta.module})` : ''} holds it`
        : '';
    const message =
      what === 'served'
        ? `${meta.field} of invocation ${Number(from) + 1} was served to invocation ${Number(to) + 1} (in its ${where}): one request's data reached another${holder}`
        : `${variable}${meta.module ? ` (${meta.module})` : ''} still holds request data (${meta.field} of invocation ${Number(from) + 1}) after its invocation ended`;
    findings.push({ ...rest, growthPerInvocation: 0, series: points, message });
  }
  return findings;
}
