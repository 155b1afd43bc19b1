// Generators in event strings (`{{uuid}}`, `{{seq}}`, `{{int 1 100000}}`, `{{pick gold silver bronze}}`): parsing
// them once, and producing each invocation's value as a pure function of the run's salt, the site and the index.
import { InvalidEventError } from '../errors.js';

/** One piece of a generated string: literal text, or a generator. */
export type Part =
  | string
  | { gen: 'uuid' }
  | { gen: 'hex'; length?: number; upper?: boolean }
  | { gen: 'b64id' }
  | { gen: 'b64'; length: number }
  | { gen: 'digits'; length: number }
  | { gen: 'seq' }
  | { gen: 'int'; min: number; max: number }
  | { gen: 'pick'; options: string[] }
  | { gen: 'time'; baseMs: number; format: TimeFormat };

/** Epoch ms or s, ISO 8601 with or without ms, API Gateway's `12/Mar/2024:17:04:23 +0000`, X-Ray's 8 hex digits. */
export type TimeFormat = 'ms' | 's' | 'iso' | 'iso-ms' | 'clf' | 'hex-s';

/** A generated field of an event: where it sits and how its value is made. Plain data (it crosses IPC). */
export interface Site {
  /** Stable number of the site within the run; encoded into its canaries. */
  id: number;
  /** Property path from the event's root: `['pathParameters', 'id']`. */
  path: Array<string | number>;
  /** The path as a person reads it: `pathParameters.id`, `Records[0].messageId`. */
  field: string;
  parts: Part[];
  /** The field is a number in the event (a timestamp), not a string. */
  numeric?: boolean;
  /** Another site whose values this one repeats (a header also listed in `multiValueHeaders`); default `id`. */
  seed?: number;
}

const GENERATOR = /\{\{\s*([a-z]+)((?:\s+[^\s{}]+)*)\s*\}\}/g;
const NAMES = '{{uuid}}, {{seq}}, {{int MIN MAX}} or {{pick A B ...}}';

/** The parts of a string, or undefined when it holds no generator. `where` names it in errors. */
export function parseTemplate(text: string, where: string): Part[] | undefined {
  if (!text.includes('{{')) return undefined;
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(GENERATOR)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(generator(match[1], match[2].trim().split(/\s+/).filter(Boolean), match[0], where));
    last = match.index + match[0].length;
  }
  if (parts.length === 0) return undefined;
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function generator(name: string, args: string[], written: string, where: string): Part {
  const bad = (why: string) => new InvalidEventError(`${written} at ${where}: ${why}; use ${NAMES}`);
  switch (name) {
    case 'uuid':
    case 'seq':
      if (args.length > 0) throw bad(`{{${name}}} takes no arguments`);
      return { gen: name };
    case 'int': {
      const [min, max] = args.map(Number);
      if (args.length !== 2 || !Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max)
        throw bad('{{int MIN MAX}} needs two integers with MIN <= MAX');
      return { gen: 'int', min, max };
    }
    case 'pick':
      if (args.length === 0) throw bad('{{pick}} needs at least one value');
      return { gen: 'pick', options: args };
    default:
      throw bad(`unknown generator "${name}"`);
  }
}

/** A new salt for one run: 8 hex digits that mark this run's canaries in any text. */
export function newSalt(): string {
  return Math.floor(Math.random() * 0xffffffff)
    .toString(16)
    .padStart(8, '0');
}

/** 32-bit mix of (site, index, n): deterministic, so a value is regenerated from its index, never stored. */
function mix(site: number, index: number, n: number): number {
  let h =
    Math.imul(site ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35) ^ Math.imul(n, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/** 32 hex digits: salt (8), site (4), a version nibble, noise, then the invocation index (12). */
function canaryHex(salt: string, site: number, index: number): string {
  const noise = mix(site, index, 0).toString(16).padStart(8, '0');
  const variant = '89ab'[mix(site, index, 1) & 3];
  return `${salt}${(site & 0xffff).toString(16).padStart(4, '0')}4${noise.slice(0, 3)}${variant}${noise.slice(3, 6)}${index.toString(16).padStart(12, '0')}`;
}

/** `length` hex digits of noise (format-bound ids such as S3's x-amz-request-id, which carry no canary). */
function noiseHex(site: number, index: number, length: number): string {
  let text = '';
  for (let n = 0; text.length < length; n++)
    text += mix(site, index, n + 2)
      .toString(16)
      .padStart(8, '0');
  return text.slice(0, length);
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${ALNUM}+/`;

/** `length` characters of `alphabet`, as noise of (site, index). */
function noiseOf(alphabet: string, site: number, index: number, length: number): string {
  let text = '';
  for (let n = 0; n < length; n++) text += alphabet[mix(site, index, n + 2) % alphabet.length];
  return text;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** One instant, one second per invocation after the fixture's time, in the format the field uses. */
function timeValue(ms: number, format: TimeFormat): string | number {
  if (format === 'ms') return ms;
  if (format === 's') return Math.floor(ms / 1000);
  if (format === 'hex-s') return Math.floor(ms / 1000).toString(16);
  const iso = new Date(ms).toISOString();
  if (format === 'clf') {
    const d = new Date(ms);
    return `${iso.slice(8, 10)}/${MONTHS[d.getUTCMonth()]}/${iso.slice(0, 4)}:${iso.slice(11, 19)} +0000`;
  }
  return format === 'iso-ms' ? iso : `${iso.slice(0, 19)}Z`;
}

/** The value of one part at invocation `index` of site `site`. */
function partValue(part: Part, salt: string, site: number, index: number, n: number): string | number {
  if (typeof part === 'string') return part;
  switch (part.gen) {
    case 'seq':
      return String(index);
    case 'uuid': {
      const h = canaryHex(salt, site, index);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }
    case 'hex': {
      const h = part.length === undefined ? canaryHex(salt, site, index) : noiseHex(site, index, part.length);
      return part.upper ? h.toUpperCase() : h;
    }
    case 'b64id':
      // API Gateway's request id shape: 15 letters and digits and a `=` (`JKJaXmPLvHcESHA=`).
      return `${noiseOf(ALNUM, site, index, 15)}=`;
    case 'b64':
      return noiseOf(B64, site, index, part.length);
    case 'digits':
      return `${1 + (mix(site, index, 1) % 9)}${noiseOf('0123456789', site, index, part.length - 1)}`;
    case 'int':
      return part.min + (mix(site, index, n) % (part.max - part.min + 1));
    case 'pick':
      return part.options[mix(site, index, n) % part.options.length];
    case 'time':
      return timeValue(part.baseMs + index * 1000, part.format);
  }
}

/** The site's value at invocation `index`: a string, or a number for a numeric site. */
export function siteValue(site: Site, salt: string, index: number): string | number {
  if (site.parts.length === 1) {
    const only = partValue(site.parts[0], salt, site.seed ?? site.id, index, 0);
    return site.numeric ? Number(only) : String(only);
  }
  let text = '';
  for (let n = 0; n < site.parts.length; n++)
    text += partValue(site.parts[n], salt, site.seed ?? site.id, index, n);
  return site.numeric ? Number(text) : text;
}

/** Whether a site's values tell its invocation apart from every other one (so it can mark carried-over data). */
export function isCanarySite(site: Site): boolean {
  if (site.numeric) return false;
  const unique = site.parts.some(
    (p) => typeof p !== 'string' && (p.gen === 'uuid' || p.gen === 'hex' || p.gen === 'b64id'),
  );
  if (unique) return true;
  // `user-{{seq}}` is distinctive; a bare `{{seq}}` ("7") appears in any text by chance.
  const literal = site.parts.reduce((n, p) => n + (typeof p === 'string' ? p.length : 0), 0);
  return literal >= 3 && site.parts.some((p) => typeof p !== 'string' && p.gen === 'seq');
}

/** Canaries of this run found in `text`, decoded from uuid/hex values: which site, which invocation. */
export function decodeCanaries(text: string, salt: string): Array<{ site: number; index: number }> {
  const found: Array<{ site: number; index: number }> = [];
  for (let at = text.indexOf(salt); at !== -1; at = text.indexOf(salt, at + 8)) {
    const tail = text.slice(at, at + 36);
    const hex = /^[0-9a-f]{8}-?([0-9a-f]{4})-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?([0-9a-f]{12})/.exec(tail);
    if (hex) found.push({ site: Number.parseInt(hex[1], 16), index: Number.parseInt(hex[2], 16) });
  }
  return found;
}
