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

export function createCarryOverProbe(): Probe {
  let program: EventProgram | undefined;
  let strict = false;
  let target: ProbeTarget | undefined;
  let inspector: InspectorSession | undefined;
  let skipFile: (file: string) => boolean = () => false;
  let inspectUntil = FIRST_INSPECTED;
  let lastEnded = -1;
  const served = new Map<string, Served>();

  /** Module-scope strings, each with its place; the walk calls no getter and runs no user code. */
  const walk = (
    visit: (value: string, place: { module?: string; path: string[]; keyed: boolean }) => void,
  ) => {
    if (!inspector || !target) return;
    const session = inspector;
    try {
      new StateWalk(session, target.projectRoot, 'state', skipFile, { onString: visit }).run(
        session.objectIdOf(target.handler, GROUP),
      );
    } finally {
      session.release(GROUP);
    }
  };

  const holderOf = (value: string): Served['holder'] => {
    let holder: Served['holder'];
    walk((text, place) => {
      if (holder || place.keyed || !text.includes(value)) return;
      holder = { name: place.path[0], module: place.module };
      if (place.path.length > 1) holder.path = place.path.join('.');
    });
    return holder;
  };

  const look = (text: string, index: number, where: Served['where']) => {
    if (!program || text === '') return;
    for (const canary of canariesIn(text, index, program)) {
      const seen = served.get(canary.field);
      if (seen) seen.count++;
      else if (served.size < MAX_FIELDS)
        served.set(canary.field, { canary, to: index, where, holder: holderOf(canary.value), count: 1 });
    }
  };

  const held = (): Measurement[] => {
    const found: Measurement[] = [];
    walk((text, place) => {
      if (!program || place.keyed || found.length >= MAX_FIELDS) return;
      const [canary] = canariesIn(text, lastEnded, program, true);
      // A key made of request data (`cache[userId]`) is a keyed collection too.
      if (!canary || place.path.some((step) => canariesIn(step, lastEnded, program!, true).length > 0))
        return;
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
  };

  return {
    name: 'carry-over',
    kinds: ['carry-over'],
    start(t) {
      program = t.events && canarySites(t.events).length > 0 ? t.events : undefined;
      if (!program) return;
      target = t;
      strict = t.strict === true;
      inspector = new InspectorSession();
      skipFile = toolingFilter(ownDirectory(inspector, GROUP));
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
      if (strict && program) measurements.push(...held());
      return measurements;
    },
    stop() {
      inspector?.disconnect();
      inspector = undefined;
    },
  };
}
