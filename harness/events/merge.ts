// Deep-merges a partial override into a fixture event, so a spec names only the fields it cares about.

/** Every field optional, all the way down; arrays take partial elements too. */
export type DeepPartial<T> = T extends (...args: any[]) => unknown
  ? T
  : T extends ReadonlyArray<infer E>
    ? ReadonlyArray<DeepPartial<E>>
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Returns a new value: `base` with `override` merged in. Plain objects merge key by key; an override
 * array replaces the base array, each object element completed from the base element at the same index
 * (or the base's first element, the record template), so `{ Records: [{ body: 'a' }, { body: 'b' }] }`
 * yields two complete SQS records. `undefined` in an override keeps the base value; `null` sets null.
 */
export function deepMerge<T>(base: T, override?: DeepPartial<T> | unknown): T {
  return mergeValue(base, override) as T;
}

function mergeValue(base: unknown, override: unknown): unknown {
  if (override === undefined) return clone(base);
  if (Array.isArray(override)) {
    const template = Array.isArray(base) ? base : [];
    return override.map((element, i) => {
      const baseElement = i < template.length ? template[i] : template[0];
      return isPlainObject(element) && isPlainObject(baseElement)
        ? mergeValue(baseElement, element)
        : clone(element);
    });
  }
  if (isPlainObject(override) && isPlainObject(base)) {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(base)) result[key] = clone(base[key]);
    for (const key of Object.keys(override)) result[key] = mergeValue(base[key], override[key]);
    return result;
  }
  return clone(override);
}

/** JSON-shaped copy: fixtures are JSON, and each event must be a fresh object as Lambda deserialises anew. */
function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value)) result[key] = clone(value[key]);
    return result;
  }
  return value;
}
