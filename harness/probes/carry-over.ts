// Carry-over probe: reads the responses and log lines of a bounded set of invocations for canaries of other
// invocations, names the module-scope variable that holds a carried value, and in strict mode walks module scope
// at checkpoints for request data left behind. The rules are in analysis/carry-over.ts.
import { type Canary, canariesIn, servedMeasurement } from '../analysis/carry-over.js';
import { canarySites, type EventProgram } from '../events/program.js';
import type { InvocationOutput, Measurement, Probe, ProbeTarget } from '../types.js';
import { InspectorSession } from './inspector.js';
import { ownDirectory, StateWalk, toolingFilter } from './module-scope.js';

/** Every invocation up to here is read (warm-up and the start of the run), then two after each checkpoint. */
const FIRST_INSPECTED = 64;
const AFTER_CHECKPOINT = 2;
/** Fields followed at most: each first sighting costs a module-scope walk. */
const MAX_FIELDS = 16;
/** Characters of a response or transcript read: a screenshot's base64 body is not where a token hides. */
const MAX_TEXT = 65_536;
const GROUP = 'warmleak-carry-over';

interface Served {
  canary: Canary;
  to: number;
  where: 'response' | 'logs';
  holder?: { name: string; path?: string; module?: string };
  count: number;
}

function responseText(response: unknown): string {
  if (typeof response === 'string') return response.slice(0, MAX_TEXT);
  if (Buffer.isBuffer(response)) return response.subarray(0, MAX_TEXT).toString('utf8');
  try {
    return (JSON.stringify(response) ?? '').slice(0, MAX_TEXT);
  } catch {
    return '';
  }
}

/** What a walk of module scope needs: a session, the handler to start from, the files that are tooling. */
interface ScopeReader {
  inspector: InspectorSession;
  target: ProbeTarget;
  skipFile: (file: string) => boolean;
}

type Place = { module?: string; path: string[]; keyed: boolean };

/** Module-scope strings, each with its place; the walk calls no getter and runs no user code. */
function walkScope(reader: ScopeReader | undefined, visit: (value: string, place: Place) => void): void {
  if (!reader) return;
  const { inspector, target, skipFile } = reader;
  try {
    new StateWalk(inspector, target.projectRoot, 'state', skipFile, { onString: visit }).run(
      inspector.objectIdOf(target.handler, GROUP),
    );
  } finally {
    inspector.release(GROUP);
  }
}

/** The module-scope variable (not a keyed collection) whose string holds `value`. */
function holderOf(reader: ScopeReader | undefined, value: string): Served['holder'] {
  let holder: Served['holder'];
  walkScope(reader, (text, place) => {
    if (holder || place.keyed || !text.includes(value)) return;
    holder = { name: place.path[0], module: place.module };
    if (place.path.length > 1) holder.path = place.path.join('.');
  });
  return holder;
}

/** Strict mode: module-scope variables still holding request data of an invocation before `lastEnded`. */
function heldMeasurements(
  reader: ScopeReader | undefined,
  program: EventProgram,
  lastEnded: number,
): Measurement[] {
  const found: Measurement[] = [];
  walkScope(reader, (text, place) => {
    if (place.keyed || found.length >= MAX_FIELDS) return;
    const [canary] = canariesIn(text, lastEnded, program, true);
    // A key made of request data (`cache[userId]`) is a keyed collection too.
    if (!canary || place.path.some((step) => canariesIn(step, lastEnded, program, true).length > 0)) return;
    const measurement: Measurement = {
      key: `carry-over:held:${place.module ?? ''}:${place.path.join('.')}`,
      kind: 'carry-over',
      name: place.path[0],
      field: canary.field,
      unit: 'elements',
      value: 1,
      note: `held ${canary.from}`,
    };
    if (place.path.length > 1) measurement.path = place.path.join('.');
    if (place.module) measurement.module = place.module;
    found.push(measurement);
  });
  return found;
}

export function createCarryOverProbe(): Probe {
  let program: EventProgram | undefined;
  let strict = false;
  let reader: ScopeReader | undefined;
  let inspectUntil = FIRST_INSPECTED;
  let lastEnded = -1;
  const served = new Map<string, Served>();

  const look = (text: string, index: number, where: Served['where']) => {
    if (!program || text === '') return;
    for (const canary of canariesIn(text, index, program)) {
      const seen = served.get(canary.field);
      if (seen) seen.count++;
      else if (served.size < MAX_FIELDS)
        served.set(canary.field, {
          canary,
          to: index,
          where,
          holder: holderOf(reader, canary.value),
          count: 1,
        });
    }
  };

  return {
    name: 'carry-over',
    kinds: ['carry-over'],
    start(target) {
      program = target.events && canarySites(target.events).length > 0 ? target.events : undefined;
      if (!program) return;
      strict = target.strict === true;
      const inspector = new InspectorSession();
      reader = { inspector, target, skipFile: toolingFilter(ownDirectory(inspector, GROUP)) };
      inspector.release(GROUP);
    },
    invocationEnded(index: number, output?: InvocationOutput) {
      lastEnded = index;
      if (!program || !output || index >= inspectUntil) return;
      look(responseText(output.response), index, 'response');
      look(output.logLines.join('\n').slice(0, MAX_TEXT), index, 'logs');
    },
    sample() {
      inspectUntil = Math.max(inspectUntil, lastEnded + 1 + AFTER_CHECKPOINT);
      const measurements = [...served.values()].map((s) =>
        servedMeasurement(s.canary, s.to, s.where, s.holder, s.count),
      );
      if (strict && program) measurements.push(...heldMeasurements(reader, program, lastEnded));
      return measurements;
    },
    stop() {
      reader?.inspector.disconnect();
      reader = undefined;
    },
  };
}
