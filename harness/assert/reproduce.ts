// An assertion's options as the command line that reruns its check, and in words what no flag can carry.
import { relative, resolve } from 'node:path';
import { CHECK_POLICY } from '../check/policy.js';
import type { CheckOptions } from '../check-options.js';
import { rerunArgs, type SharedFlags } from '../cli/options.js';
import { builtInOf, isEventProgram } from '../events/program.js';
import type { Reproduce } from '../reporters/text-failure.js';
import type { Report } from '../types.js';

/** Options no flag sets (a config can set `allow`); a rerun names them so that a reader knows the run differs. */
const NO_FLAG = ['allow', 'warmup', 'checkpoints', 'maxBytesPerInvocation'] as const;

/**
 * The rerun of an assertion: `--isolation inline` always (a matcher measures in the test's own process), then the
 * invocations, memory, timeout, runtime, variables and setup files it was given, and the event when a flag can say
 * it (a built-in event type, an events file); an event function or a value written in the test is named instead.
 */
export function reproduceFromOptions(options: CheckOptions, report: Pick<Report, 'plan'>): Reproduce {
  const cwd = process.cwd();
  const fromRoot = (file: string) => relative(cwd, resolve(options.projectRoot ?? cwd, file)) || '.';
  const invocations = report.plan?.invocations ?? options.invocations;
  const event = eventFlags(options, fromRoot);
  const flags: SharedFlags = {
    ...event.flags,
    invocations: invocations === CHECK_POLICY.defaults.invocations ? undefined : invocations,
    isolation: 'inline',
    memory: options.memorySizeMB,
    timeout: options.timeoutMs,
    runtime: options.runtime,
    env: options.env && Object.entries(options.env).map(([key, value]) => `${key}=${value}`),
    setup: options.setupFiles?.map((file) => relative(cwd, file)),
    strict: options.strict || undefined,
  };
  const unflagged = NO_FLAG.filter((name) => options[name] !== undefined);
  const notes = [
    event.note,
    unflagged.length > 0 ? `${unflagged.join(', ')} came from the test` : undefined,
  ].filter((note): note is string => note !== undefined);
  return { args: rerunArgs(flags), note: notes.length > 0 ? notes.join('; ') : undefined };
}

/** The event as flags when one can say it, or a note saying where it came from. */
function eventFlags(
  options: CheckOptions,
  fromRoot: (file: string) => string,
): { flags: SharedFlags; note?: string } {
  const { event, events } = options;
  if (typeof events === 'string') return { flags: { events: fromRoot(events) } };
  if (events !== undefined)
    return {
      flags: {},
      note: isEventProgram(events)
        ? 'events came from a compiled program'
        : 'events came from an array in the test; save it as JSON for --events FILE',
    };
  if (typeof event === 'function') return { flags: {}, note: 'events came from a function in the test' };
  if (event === undefined || isEmptyObject(event)) return { flags: {} };
  const builtIn = builtInOf(event);
  if (builtIn?.asItComes) return { flags: { eventType: builtIn.type } };
  return {
    flags: {},
    note: builtIn
      ? `the event is a ${builtIn.type} event with the test's overrides; save it as JSON for --event FILE`
      : 'the event came from the test; save it as JSON for --event FILE',
  };
}

function isEmptyObject(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype &&
    Reflect.ownKeys(value).length === 0
  );
}
