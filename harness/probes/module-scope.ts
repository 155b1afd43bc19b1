// Module-scope probe: reads, by name and without running user code, the size of every variable in the handler's
// module and in every module it imports (through scopes, namespaces, exported functions and their statics).
import { dirname } from 'node:path';
import type { FindingKind, Measurement, Probe, ProbeTarget } from '../types.js';
import {
  describedSize,
  fileOfScriptUrl,
  InspectorSession,
  internal,
  moduleName,
  type PropertyDescriptor,
  type RemoteObject,
} from './inspector.js';

export interface StateWalkOptions {
  /** Protocol round trips allowed per checkpoint (each ~0.05 ms); the walk stops there. Default 400. */
  budget?: number;
  /** Longest property path measured below a variable (`tracer.finished` is 2). Default 6. */
  maxDepth?: number;
  /** Properties of one object followed deeper (all are counted). Default 64. */
  maxKeysPerObject?: number;
  /**
   * Told every string the walk reads, with its place; `keyed` when it sits below a Map entry (a keyed collection).
   * The carry-over probe looks for request data here.
   */
  onString?: (value: string, place: { module?: string; path: string[]; keyed: boolean }) => void;
}

/** What one checkpoint's walk cost, for `npm run bench` and for reports that say what was checked. */
export interface WalkStats {
  roundTrips: number;
  milliseconds: number;
  scopes: number;
  measured: number;
  /** True when the budget ran out before the walk finished. */
  truncated: boolean;
}

/** A value the walk starts from or reached, with the variable path that names it. */
export interface WalkRoot {
  name: string;
  value: RemoteObject;
  module?: string;
}

interface Item {
  remote: RemoteObject;
  module?: string;
  path: string[];
  /** False for getters and scope-only functions: their own properties are not the user's state. */
  statics: boolean;
  /** A class prototype visited only to reach its constructor, whose scopes are the defining module's. */
  prototypeOnly?: boolean;
  /** A small Map whose entries' values are walked. */
  entries?: boolean;
}

interface Recorded {
  measurement: Measurement;
  pathKey: string;
  depth: number;
}

/** Own properties every function has; anything else on a function or class is a static the user added. */
const FUNCTION_OWN = new Set(['length', 'name', 'prototype', 'arguments', 'caller']);
/** Wrapper parameters of CommonJS, Jest and tsx: the loader's state, not the module's. */
const LOADER_VARIABLES = new Set(['require', 'module', '__filename', '__dirname', 'jest']);
/** Vitest's module-runner variables; only the import namespaces lead to user modules. */
const VITE_INTERNAL = /^__vite_ssr_(?!import_\d+__$)/;
/** Test runners and loaders whose own state is not the handler's. */
const TOOLING =
  /[\\/]node_modules[\\/](vitest|@vitest|vite|vite-node|jest|jest-[^\\/]+|@jest|expect|tsx|esbuild)[\\/]/;
/** Modules installed as packages, as `moduleName` spells them. */
const LIBRARY = /(^|\/)node_modules\//;
/** Object subtypes with no size that can leak through the handler (weak containers never retain). */
const SIZED = new Set(['array', 'typedarray', 'map', 'set']);
/** Arrays up to this length are also walked into (a library's `[value]` box); longer ones are only counted. */
const SMALL_ARRAY = 4;

/** Compares every measured container by identity in one call, so one object reached twice is measured once. */
const IDENTITY_PASS = `function () {
  const first = new Map();
  const out = [];
  for (let i = 0; i < arguments.length; i++) {
    const seen = first.get(arguments[i]);
    if (seen === undefined) { first.set(arguments[i], i); out.push(-1); } else out.push(seen);
  }
  return out;
}`;

/**
 * One checkpoint's walk over module scopes and the objects reachable from them, breadth first by path length
 * so that a variable is named by its shortest path; every protocol call counts against the budget.
 */
export class StateWalk {
  readonly stats: WalkStats = { roundTrips: 0, milliseconds: 0, scopes: 0, measured: 0, truncated: false };
  private readonly buckets: Item[][] = [];
  private readonly libraryBuckets: Item[][] = [];
  private readonly seenScopes = new Set<string>();
  private readonly recorded: Recorded[] = [];
  private readonly keys = new Set<string>();
  private readonly containers: Array<{ objectId: string; index: number }> = [];
  private readonly budget: number;
  private readonly maxDepth: number;
  private readonly maxKeys: number;
  private readonly onString: StateWalkOptions['onString'];
  /** Maps whose entries were walked: strings below them sit in a keyed collection. */
  private readonly keyedPaths: string[] = [];

  constructor(
    private readonly inspector: InspectorSession,
    private readonly projectRoot: string,
    private readonly kind: FindingKind,
    private readonly skipFile: (file: string) => boolean,
    options: StateWalkOptions = {},
  ) {
    this.budget = options.budget ?? 400;
    this.maxDepth = options.maxDepth ?? 6;
    this.maxKeys = options.maxKeysPerObject ?? 64;
    this.onString = options.onString;
  }

  /** Walks from a function's scopes (the handler) and from named roots (globals), then returns measurements. */
  run(functionId: string | undefined, roots: WalkRoot[] = [], identityReceiver?: string): Measurement[] {
    const started = performance.now();
    const before = this.inspector.roundTrips;
    if (functionId)
      this.push(0, { remote: { type: 'function', objectId: functionId }, path: [], statics: false });
    for (const root of roots) this.value(root.value, root.module, [root.name]);
    for (let item = this.next(); item; item = this.next()) {
      if (this.inspector.roundTrips - before >= this.budget) {
        this.stats.truncated = true;
        break;
      }
      if (item.remote.type === 'function') this.visitFunction(item);
      else this.visitObject(item);
    }
    const receiver = identityReceiver ?? functionId;
    if (receiver && this.containers.length > 1) this.dropDuplicates(receiver);
    const measurements = this.recorded.map((entry) => entry.measurement);
    this.stats.roundTrips = this.inspector.roundTrips - before;
    this.stats.milliseconds = performance.now() - started;
    this.stats.measured = measurements.length;
    return measurements;
  }

  private push(depth: number, item: Item): void {
    // The project's own variables (and everything below them) are walked before the module scopes of packages:
    // a handler importing middy or an SDK client would otherwise spend the budget inside those packages before
    // reaching its own `logger.#attributes` five levels down. Packages get what remains.
    const buckets = item.module && LIBRARY.test(item.module) ? this.libraryBuckets : this.buckets;
    const bucket = buckets[depth];
    if (bucket) bucket.push(item);
    else buckets[depth] = [item];
  }

  private next(): Item | undefined {
    for (const bucket of this.buckets) if (bucket?.length) return bucket.shift();
    for (const bucket of this.libraryBuckets) if (bucket?.length) return bucket.shift();
    return undefined;
  }

  private visitFunction(item: Item): void {
    const properties = this.inspector.getProperties(item.remote.objectId!);
    const bound = internal(properties, '[[TargetFunction]]');
    if (bound?.objectId) {
      this.push(item.path.length, { remote: bound, module: item.module, path: item.path, statics: false });
      // `export const handler = service.handle.bind(service)`: the instance is the handler's state even when
      // no closure names it, so it is walked under its class name (`OrderService.processed`).
      const boundThis = internal(properties, '[[BoundThis]]');
      if (boundThis?.objectId && boundThis.type === 'object' && boundThis.description !== 'global') {
        const module = item.module ?? this.moduleOfFunction(bound.objectId);
        this.value(boundThis, module, [...item.path, boundThis.className ?? 'this']);
      }
      return;
    }
    const location = internal(properties, '[[FunctionLocation]]')?.value as { scriptId: string } | undefined;
    if (!location) return;
    const module = this.moduleOfScript(location.scriptId);
    if (!module) return;
    if (item.statics && item.path.length > 0) {
      for (const property of properties.result) {
        if (FUNCTION_OWN.has(property.name)) continue;
        this.property(property, item.module, item.path);
      }
    }
    const scopeList = internal(properties, '[[Scopes]]');
    if (!scopeList?.objectId) return;
    const scopes = this.inspector.getProperties(scopeList.objectId).result;
    const { lineNumber, columnNumber } = location as { lineNumber?: number; columnNumber?: number };
    scopes.forEach((scope, index) => {
      const type = scope.value?.description;
      if (!scope.value?.objectId || type === 'Global' || type === 'Script') return;
      // The outermost scopes of a script are the module's; inner closures are told apart by the function.
      const fromEnd = scopes.length - 1 - index;
      const key =
        fromEnd <= 1
          ? `${location.scriptId}`
          : `${location.scriptId}:${fromEnd}:${lineNumber}:${columnNumber}`;
      if (this.seenScopes.has(key)) return;
      this.seenScopes.add(key);
      this.stats.scopes++;
      const variables = this.inspector.getProperties(scope.value.objectId).result;
      for (const variable of variables) {
        if (LOADER_VARIABLES.has(variable.name) || VITE_INTERNAL.test(variable.name)) continue;
        // `__name`, `__defProp`, `__awaiter`: bundler and compiler helpers, never the module's state.
        if (variable.name.startsWith('__') && variable.value?.type === 'function') continue;
        if (variable.value) this.value(variable.value, module, [variable.name]);
      }
    });
  }

  /** The module a function was defined in, from its [[FunctionLocation]]. */
  private moduleOfFunction(objectId: string): string | undefined {
    const location = internal(this.inspector.getProperties(objectId), '[[FunctionLocation]]')?.value as
      | { scriptId: string }
      | undefined;
    return location && this.moduleOfScript(location.scriptId);
  }

  /** A script's file relative to the project, or undefined for warmleak's and the test tooling's own. */
  private moduleOfScript(scriptId: string): string | undefined {
    const file = fileOfScriptUrl(this.inspector.scriptUrl(scriptId));
    return file && !this.skipFile(file) ? moduleName(file, this.projectRoot) : undefined;
  }

  /** A small Map's values, each under its key: `sessions.default.events`. Read through [[Entries]], no method runs. */
  private visitEntries(item: Item): void {
    if (item.path.length >= this.maxDepth) return;
    if (this.onString) this.keyedPaths.push(`${item.module ?? ''}:${item.path.join('.')}`);
    const list = internal(this.inspector.getProperties(item.remote.objectId!), '[[Entries]]');
    if (!list?.objectId) return;
    for (const slot of this.inspector.getProperties(list.objectId).result) {
      if (!/^\d+$/.test(slot.name) || !slot.value?.objectId) continue;
      const entry = this.inspector.getProperties(slot.value.objectId).result;
      const key = entry.find((p) => p.name === 'key')?.value;
      const value = entry.find((p) => p.name === 'value')?.value;
      if (!value) continue;
      const label =
        key && key.type !== 'object' && key.type !== 'function' ? String(key.value) : `[${slot.name}]`;
      this.value(value, item.module, [...item.path, label]);
    }
  }

  private visitObject(item: Item): void {
    const remote = item.remote;
    if (item.entries) {
      this.visitEntries(item);
      return;
    }
    const answer = this.inspector.getProperties(remote.objectId!);
    const properties = answer.result.filter(
      (property) => property.isOwn !== false && property.name !== '__proto__',
    );
    // Libraries keep their state in `#fields` (a logger's attributes, an SDK client's caches); private methods
    // are code, not state, and their scopes are the class's module, reached through its constructor.
    for (const field of answer.privateProperties ?? []) {
      if (field.value?.type !== 'function') properties.push(field);
    }
    if (item.prototypeOnly) {
      const owner = properties.find((property) => property.name === 'constructor')?.value;
      if (owner?.type === 'function') this.push(1, { remote: owner, path: [], statics: false });
      return;
    }
    // A singleton's class leads to the module that defined it (native ESM shows imports as plain variables).
    const prototype = internal(answer, '[[Prototype]]');
    if (item.path.length === 1 && remote.className !== 'Object' && prototype?.objectId) {
      this.push(1, { remote: prototype, path: [], statics: false, prototypeOnly: true });
    }
    const namespace = remote.className === 'Module';
    const events = properties.find((property) => property.name === '_events');
    const emitter =
      events?.value?.objectId && properties.some((property) => property.name === '_eventsCount');
    if (!namespace) this.record(item.module, item.path, 'keys', properties.length, remote.objectId);
    if (emitter) this.listeners(events.value!, item.module, item.path);
    if (item.path.length >= this.maxDepth) return;
    let followed = 0;
    for (const property of properties) {
      if (followed++ >= this.maxKeys) break;
      if (emitter && (property.name === '_events' || property.name === '_eventsCount')) continue;
      this.property(property, item.module, item.path);
    }
  }

  private property(property: PropertyDescriptor, module: string | undefined, path: string[]): void {
    if (property.value) this.value(property.value, module, [...path, property.name]);
    // A getter is never called; its scopes lead to the module that owns the value (Vitest, esbuild exports).
    else if (property.get?.type === 'function' && property.get.objectId) {
      this.push(path.length + 1, {
        remote: property.get,
        module,
        path: [...path, property.name],
        statics: false,
      });
    }
  }

  private value(remote: RemoteObject, module: string | undefined, path: string[]): void {
    if (remote.type === 'string' && this.onString) {
      const pathKey = `${module ?? ''}:${path.join('.')}`;
      const keyed = this.keyedPaths.some((prefix) => pathKey.startsWith(`${prefix}.`));
      this.onString(remote.value as string, { module, path, keyed });
    }
    if (remote.type === 'string') {
      this.record(module, path, 'characters', (remote.value as string).length);
      return;
    }
    if (!remote.objectId) return;
    if (remote.type === 'function') {
      // Native functions have no scopes to read; bound ones lead to their target.
      if (!remote.description?.includes('[native code]'))
        this.push(path.length, { remote, module, path, statics: true });
      return;
    }
    if (remote.type !== 'object') return;
    if (remote.subtype && SIZED.has(remote.subtype)) {
      const size = describedSize(remote);
      if (size !== undefined) this.record(module, path, 'elements', size, remote.objectId);
      // A short array is a box or a tuple (`[value]`, `[key, entry]`) whose contents are state of their own;
      // a long one is measured by its length, which is what grows.
      if (remote.subtype === 'array' && size !== undefined && size > 0 && size <= SMALL_ARRAY) {
        this.push(path.length, { remote, module, path, statics: false });
      }
      // Likewise a Map of a few entries (sessions per tenant, clients per region): its values can grow while
      // its size stays put.
      if (remote.subtype === 'map' && size !== undefined && size > 0 && size <= SMALL_ARRAY) {
        this.push(path.length, { remote, module, path, statics: false, entries: true });
      }
      return;
    }
    // Plain objects, class instances and namespaces; the global object is the globals probe's.
    if (remote.subtype === undefined && remote.description !== 'global') {
      this.push(path.length, { remote, module, path, statics: false });
    }
  }

  /** Listener counts per event of an EventEmitter, read from its `_events` table (no method is called). */
  private listeners(events: RemoteObject, module: string | undefined, path: string[]): void {
    const table = this.inspector.getProperties(events.objectId!).result;
    const pathKey = `${module ?? ''}:${path.join('.')}`;
    for (const entry of table) {
      if (entry.name === '__proto__' || !entry.value) continue;
      const count = entry.value.type === 'function' ? 1 : (describedSize(entry.value) ?? 0);
      const name = `${path.join('.')}.on('${entry.name}')`;
      const key = `listener:${module ?? ''}:${name}`;
      if (this.keys.has(key)) continue;
      this.keys.add(key);
      const measurement: Measurement = { key, kind: 'listener', name, unit: 'listeners', value: count };
      if (module) measurement.module = module;
      this.recorded.push({ measurement, pathKey, depth: path.length });
    }
  }

  private record(
    module: string | undefined,
    path: string[],
    unit: Measurement['unit'],
    value: number,
    objectId?: string,
  ): void {
    if (path.length === 0 || path.length > this.maxDepth) return;
    const pathKey = `${module ?? ''}:${path.join('.')}`;
    const key = `${this.kind}:${pathKey}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    const measurement: Measurement = { key, kind: this.kind, name: path[path.length - 1], unit, value };
    if (path.length > 1) measurement.path = path.join('.');
    if (module) measurement.module = module;
    if (objectId) this.containers.push({ objectId, index: this.recorded.length });
    this.recorded.push({ measurement, pathKey, depth: path.length });
  }

  /** One object reached by two paths (`lib.tracer` and `tracer`) keeps its shortest name; the rest is dropped. */
  private dropDuplicates(receiver: string): void {
    const answer = this.inspector.post<{ result: { value?: number[] } }>('Runtime.callFunctionOn', {
      functionDeclaration: IDENTITY_PASS,
      objectId: receiver,
      arguments: this.containers.map((container) => ({ objectId: container.objectId })),
      returnByValue: true,
      silent: true,
    });
    const firstOf = answer.result.value ?? [];
    const groups = new Map<number, number[]>();
    firstOf.forEach((first, position) => {
      const owner = first === -1 ? position : first;
      const group = groups.get(owner) ?? [];
      group.push(this.containers[position].index);
      groups.set(owner, group);
    });
    const dropped: string[] = [];
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      // Shortest path wins; at equal length the module reached later, since values flow from the module that
      // defines them to the modules that import them (native ESM lists imports as variables of the importer).
      const keep = group.reduce((best, index) =>
        this.recorded[index].depth <= this.recorded[best].depth ? index : best,
      );
      for (const index of group) if (index !== keep) dropped.push(this.recorded[index].pathKey);
    }
    if (dropped.length === 0) return;
    const isDropped = (pathKey: string) =>
      dropped.some((prefix) => pathKey === prefix || pathKey.startsWith(`${prefix}.`));
    const kept = this.recorded.filter((entry) => !isDropped(entry.pathKey));
    this.recorded.length = 0;
    this.recorded.push(...kept);
  }
}

/** Files the walk never enters: warmleak itself and test-runner internals. */
export function toolingFilter(ownDirectory: string | undefined): (file: string) => boolean {
  return (file) => TOOLING.test(file) || (ownDirectory !== undefined && file.startsWith(`${ownDirectory}/`));
}

/** The directory holding warmleak's own code (source `harness/` or built `dist/`), found through the inspector. */
export function ownDirectory(inspector: InspectorSession, objectGroup: string): string | undefined {
  const id = inspector.objectIdOf(ownDirectory, objectGroup);
  const location = internal(inspector.getProperties(id), '[[FunctionLocation]]')?.value as
    | { scriptId: string }
    | undefined;
  const file = location && fileOfScriptUrl(inspector.scriptUrl(location.scriptId));
  if (!file) return undefined;
  const directory = dirname(file);
  return directory.endsWith('/probes') ? dirname(directory) : directory;
}

export interface ModuleScopeProbe extends Probe {
  /** Cost of the last checkpoint's walk. */
  readonly lastWalk: WalkStats | undefined;
}

const CHECKPOINT_GROUP = 'warmleak-module-scope-checkpoint';

/** A fresh module-scope probe for one run: it holds an inspector session and the handler's object id. */
export function createModuleScopeProbe(options: StateWalkOptions = {}): ModuleScopeProbe {
  let inspector: InspectorSession | undefined;
  let skipFile: (file: string) => boolean = () => false;
  let lastWalk: WalkStats | undefined;

  const start = (target: ProbeTarget) => {
    if (inspector) return;
    inspector = new InspectorSession();
    skipFile = toolingFilter(ownDirectory(inspector, CHECKPOINT_GROUP));
    // Learns the handler's script URL now, at load, rather than inside the first checkpoint.
    new StateWalk(inspector, target.projectRoot, 'state', skipFile, { budget: 3 }).run(
      inspector.objectIdOf(target.handler, CHECKPOINT_GROUP),
    );
    inspector.release(CHECKPOINT_GROUP);
  };

  return {
    name: 'module-scope',
    // Emitters met on the walk have their listeners counted, so a listener added per call there is found.
    kinds: ['state', 'listener'],
    get lastWalk() {
      return lastWalk;
    },
    start,
    sample(target) {
      start(target);
      const walk = new StateWalk(inspector!, target.projectRoot, 'state', skipFile, options);
      try {
        // Resolved per checkpoint: every object the walk reads joins this group, released right after.
        return walk.run(inspector!.objectIdOf(target.handler, CHECKPOINT_GROUP));
      } finally {
        inspector!.release(CHECKPOINT_GROUP);
        lastWalk = walk.stats;
      }
    },
    stop() {
      inspector?.disconnect();
      inspector = undefined;
    },
  };
}
