// A count with its noun, singular for exactly one ("1 invocation", "2 invocations"), for every message and report.
import type { Unit } from './types.js';

const singularUnit: Record<Unit, string> = {
  elements: 'element',
  bytes: 'byte',
  handles: 'handle',
  files: 'file',
  listeners: 'listener',
  characters: 'character',
  keys: 'key',
};

/** A unit's noun for `value` of it: `element` for 1 (or -1), `elements` otherwise. */
export function unitNoun(value: number, unit: Unit): string {
  return Math.abs(value) === 1 ? singularUnit[unit] : unit;
}

/**
 * `1 invocation`, `2 invocations`, `0 handlers`; `shown` is how the number is written (`1,000`), `plural` the noun
 * when it does not take an s.
 */
export function countOf(n: number, noun: string, options: { plural?: string; shown?: string } = {}): string {
  const word = Math.abs(n) === 1 ? noun : (options.plural ?? `${noun}s`);
  return `${options.shown ?? String(n)} ${word}`;
}
