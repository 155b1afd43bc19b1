// The events of a run, compiled once: templates replayed in order and cycled, each with the sites its generators
// and varied fields fill per invocation. A program is plain data, so it crosses into an environment's process.
import { isDeepStrictEqual } from 'node:util';
import { UsageError } from '../errors.js';
import { readEventsFile } from '../runtime/event-source.js';
import { isCanarySite, newSalt, parseTemplate, type Site, siteValue } from './generators.js';
import { fieldName, variedSites } from './varied-fields.js';

export interface EventTemplate {
  value: unknown;
  sites: Site[];
}

/** What an environment needs to produce every invocation's event and recognise its canaries. */
export interface EventProgram {
  kind: 'warmleak-event-program';
  salt: string;
  templates: EventTemplate[];
}

/** Built-in events (`createEvent`) remember their type, so that a check can vary their request-unique fields. */
const builtIns = new WeakMap<object, { type: string; base: unknown }>();

/** @internal called by createEvent: `base` is the fixture without overrides, to tell overridden fields apart. */
export function rememberBuiltIn(event: object, type: string, base: unknown): void {
  builtIns.set(event, { type, base });
}

export function isEventProgram(value: unknown): value is EventProgram {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as { kind?: unknown }).kind === 'warmleak-event-program'
  );
}

/** Compiles event values (each with a label for errors: `events.jsonl line 3`) into a program. */
export function compileEvents(values: ReadonlyArray<{ value: unknown; label: string }>): EventProgram {
  let nextId = 0;
  const templates = values.map(({ value, label }) => {
    const sites: Site[] = [];
    collectSites(value, [], label, sites, () => nextId++);
    const builtIn = value !== null && typeof value === 'object' ? builtIns.get(value) : undefined;
    if (builtIn) {
      const taken = new Set(sites.map((site) => site.field));
      const renumbered = new Map<number, number>();
      for (const site of variedSites(builtIn.type, value, builtIn.base, nextId)) {
        if (taken.has(site.field)) continue;
        renumbered.set(site.id, nextId);
        // A repeated value (a header again in multiValueHeaders) follows its first site, unless that was overridden.
        const { seed, ...rest } = site;
        const first = seed === undefined ? undefined : renumbered.get(seed);
        sites.push(first === undefined ? { ...rest, id: nextId++ } : { ...rest, id: nextId++, seed: first });
      }
    }
    return { value, sites };
  });
  return { kind: 'warmleak-event-program', salt: newSalt(), templates };
}

function collectSites(
  value: unknown,
  path: Array<string | number>,
  label: string,
  sites: Site[],
  id: () => number,
): void {
  if (typeof value === 'string') {
    const where = path.length === 0 ? label : `${label} at ${fieldName(path)}`;
    const parts = parseTemplate(value, where);
    if (parts) sites.push({ id: id(), path, field: fieldName(path), parts });
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collectSites(value[i], [...path, i], label, sites, id);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return;
  for (const key of Object.keys(value))
    collectSites((value as Record<string, unknown>)[key], [...path, key], label, sites, id);
}

/** Produces invocation `index`'s event: a fresh copy of its template with every site filled for that index. */
export function eventOf(program: EventProgram, index: number): unknown {
  const template = program.templates[index % program.templates.length];
  const { value, sites } = template;
  if (sites.length > 0 && sites[0].path.length === 0) return siteValue(sites[0], program.salt, index);
  // Lambda deserialises every event anew; structuredClone keeps Dates and Buffers a spec may have put in.
  const event = value !== null && typeof value === 'object' ? structuredClone(value) : value;
  for (const site of sites) {
    let at = event as Record<string | number, unknown>;
    const last = site.path.length - 1;
    for (let k = 0; k < last; k++) at = at[site.path[k]] as Record<string | number, unknown>;
    at[site.path[last]] = siteValue(site, program.salt, index);
  }
  return event;
}

/** The sites whose values tell one invocation from another, with the template each belongs to. */
export function canarySites(program: EventProgram): Array<{ site: Site; template: number }> {
  return program.templates.flatMap((template, t) =>
    template.sites.filter(isCanarySite).map((site) => ({ site, template: t })),
  );
}

/**
 * The program of a check's events: `events` (a path to a JSON array, JSON Lines or a folder, relative to `cwd`;
 * an array; or a compiled program) or else `event` (a value). Undefined when the event is a function of the index.
 */
export function programOf(event: unknown, events: unknown, cwd: string): EventProgram | undefined {
  if (events !== undefined) {
    if (event !== undefined) throw new UsageError('give either event or events, not both');
    if (isEventProgram(events)) return events;
    if (typeof events === 'string') return compileEvents(readEventsFile(events, cwd));
    if (Array.isArray(events) && events.length > 0)
      return compileEvents(events.map((value, i) => ({ value, label: `events[${i}]` })));
    throw new UsageError('events must be a file, a folder or a non-empty array of events');
  }
  if (typeof event === 'function') return undefined;
  return compileEvents([{ value: event ?? {}, label: 'the event' }]);
}

/** The trigger name of a built-in event (`createEvent('sqs')`), and whether it is the fixture as it comes. */
export function builtInOf(value: unknown): { type: string; asItComes: boolean } | undefined {
  const builtIn = value !== null && typeof value === 'object' ? builtIns.get(value) : undefined;
  return builtIn && { type: builtIn.type, asItComes: isDeepStrictEqual(value, builtIn.base) };
}
