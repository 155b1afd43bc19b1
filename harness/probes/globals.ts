// Globals probe: properties that appear on the handler's global object after load (an undeclared assignment in
// sloppy mode, `globalThis.x = ...`), the size of every user-added global, read through the inspector, and the
// number of process.env keys.
import { runInNewContext } from 'node:vm';
import type { Measurement, Probe, ProbeTarget } from '../types.js';
import { InspectorSession, internal, type RemoteObject } from './inspector.js';
import {
  ownDirectory,
  StateWalk,
  type StateWalkOptions,
  toolingFilter,
  type WalkStats,
} from './module-scope.js';

/** Node's own enumerable globals: they are the platform's, not the function's state. */
const NODE_GLOBALS = [
  'global',
  'clearImmediate',
  'setImmediate',
  'clearInterval',
  'clearTimeout',
  'setInterval',
  'setTimeout',
  'queueMicrotask',
  'structuredClone',
  'atob',
  'btoa',
  'performance',
  'fetch',
  'crypto',
  'navigator',
  'process',
  'Buffer',
  'console',
];
/** Globals test runners install in the test's context. */
const RUNNER_GLOBALS = [
  'describe',
  'fdescribe',
  'xdescribe',
  'it',
  'fit',
  'xit',
  'test',
  'xtest',
  'expect',
  'jest',
  'vi',
  'vitest',
  'suite',
  'bench',
  'beforeAll',
  'afterAll',
  'beforeEach',
  'afterEach',
  'pending',
  'fail',
  'spyOn',
  'onTestFailed',
  'onTestFinished',
  'chai',
  'assert',
];
const RUNNER_PREFIX = /^(__vitest|__VITEST|__vite|__jest|__coverage__|__warmleak|__tinypool)/;

/** Names a fresh V8 context already has (Object, Array, globalThis...): never user state. */
function builtinNames(): Set<string> {
  const names = runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[];
  return new Set([...names, ...NODE_GLOBALS, ...RUNNER_GLOBALS]);
}

export interface GlobalsProbe extends Probe {
  readonly lastWalk: WalkStats | undefined;
}

const CHECKPOINT_GROUP = 'warmleak-globals-checkpoint';

/** How many distinct key shapes a process.env finding names. */
const ENV_SHAPES = 3;

/**
 * The shapes of the process.env keys added since load, numbers and ids folded (`SEEN_1`, `SEEN_2` -> `SEEN_<n>`),
 * so that a key per invocation reads as one pattern. Reporters escape the text like any handler-derived name.
 */
function envKeyShapes(baseline: Set<string>): string | undefined {
  const shapes = new Set<string>();
  for (const key of Object.keys(process.env)) {
    if (baseline.has(key)) continue;
    shapes.add(key.replace(/[0-9a-f]{8,}|[0-9a-f-]{36}/gi, '<id>').replace(/\d+/g, '<n>'));
    if (shapes.size === ENV_SHAPES) break;
  }
  return shapes.size > 0 ? [...shapes].join(', ') : undefined;
}

/** process.env keys: a handler that adds one per invocation grows the environment block of its process. */
function envMeasurement(baseline: Set<string>): Measurement {
  const measurement: Measurement = {
    key: 'global:process.env',
    kind: 'global',
    name: 'process.env',
    unit: 'keys',
    value: Object.keys(process.env).length,
  };
  const shapes = envKeyShapes(baseline);
  if (shapes) measurement.note = `new keys ${shapes}`;
  return measurement;
}

/** The handler's own global object: Jest runs it in a vm context whose global is not this module's. */
function globalObjectId(inspector: InspectorSession, handler: Function): string {
  const handlerId = inspector.objectIdOf(handler, CHECKPOINT_GROUP);
  const scopeList = internal(inspector.getProperties(handlerId), '[[Scopes]]');
  const scopes = scopeList?.objectId ? inspector.getProperties(scopeList.objectId).result : [];
  // The scope object of the Global scope is the global object itself.
  const globalScope = scopes.find((scope) => scope.value?.description === 'Global')?.value;
  return globalScope?.objectId ?? inspector.objectIdOf(globalThis, CHECKPOINT_GROUP);
}

/** The global object's own properties that neither Node nor a test runner put there. */
function userGlobals(
  inspector: InspectorSession,
  builtins: Set<string>,
  globalId: string,
): Array<{ name: string; value: RemoteObject }> {
  return inspector
    .getProperties(globalId)
    .result.filter(
      (property) =>
        property.value !== undefined &&
        property.symbol === undefined &&
        !builtins.has(property.name) &&
        !RUNNER_PREFIX.test(property.name),
    )
    .map((property) => ({ name: property.name, value: property.value! }));
}

/**
 * A fresh globals probe for one run. The baseline taken at start() separates globals that appeared after load
 * (counted as `globalThis` keys); every non-built-in global is then sized and walked like a module variable.
 */
export function createGlobalsProbe(options: StateWalkOptions = {}): GlobalsProbe {
  const builtins = builtinNames();
  let inspector: InspectorSession | undefined;
  let skipFile: (file: string) => boolean = () => false;
  let baseline = new Set<string>();
  let envBaseline = new Set<string>();
  let lastWalk: WalkStats | undefined;

  const start = (target: ProbeTarget) => {
    if (inspector) return;
    inspector = new InspectorSession();
    skipFile = toolingFilter(ownDirectory(inspector, CHECKPOINT_GROUP));
    baseline = new Set(
      userGlobals(inspector, builtins, globalObjectId(inspector, target.handler)).map((entry) => entry.name),
    );
    envBaseline = new Set(Object.keys(process.env));
    inspector.release(CHECKPOINT_GROUP);
  };

  return {
    name: 'globals',
    kinds: ['global'],
    get lastWalk() {
      return lastWalk;
    },
    start,
    sample(target) {
      start(target);
      try {
        const globalId = globalObjectId(inspector!, target.handler);
        const globals = userGlobals(inspector!, builtins, globalId);
        const added = globals.filter((entry) => !baseline.has(entry.name)).length;
        const roots = globals.filter((entry) => entry.value.type !== 'function');
        const walk = new StateWalk(inspector!, target.projectRoot, 'global', skipFile, options);
        const measurements: Measurement[] = walk.run(undefined, roots, globalId);
        lastWalk = walk.stats;
        measurements.push({
          key: 'global:(added)',
          kind: 'global',
          name: 'globalThis',
          unit: 'keys',
          value: added,
        });
        measurements.push(envMeasurement(envBaseline));
        return measurements;
      } finally {
        inspector!.release(CHECKPOINT_GROUP);
      }
    },
    stop() {
      inspector?.disconnect();
      inspector = undefined;
    },
  };
}
