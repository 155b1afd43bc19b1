// The command-line options shared by check, invoke and bench: declared once, parsed once, rerun from the same list.
import type { Command } from 'cac';
import { parseEnvPairs, readEnvFile } from '../config/dotenv.js';
import { countOf } from '../count.js';
import { UsageError } from '../errors.js';
import { createEvent, EVENT_TYPES, eventType } from '../events/index.js';
import { LAMBDA_RUNTIMES } from '../runtime/environment.js';
import { readEventFile, readEventsFile } from '../runtime/event-source.js';
import type { LambdaRuntime } from '../runtime/types.js';

/** One option as cac declares it; `rerun` marks the options that change what a rerun of one handler measures. */
export interface OptionDefinition {
  flags: string;
  description: string;
  default?: unknown;
  rerun?: boolean;
}

/** Every shared option, in the order `--help` and a Reproduce line show them. */
export const OPTIONS = {
  event: {
    flags: '--event <file>',
    description: 'JSON file with the event each invocation receives (default {})',
    rerun: true,
  },
  eventType: {
    flags: '--event-type <type>',
    description: `Built-in sample event: ${EVENT_TYPES.join(', ')}`,
    rerun: true,
  },
  events: {
    flags: '--events <file>',
    description:
      'Events replayed in order and cycled: a JSON array, JSON Lines or a folder of .json; strings may hold {{uuid}}, {{seq}}, {{int 1 9}}, {{pick a b}}',
    rerun: true,
  },
  invocations: {
    flags: '--invocations <n>',
    description: 'Measured invocations per handler (default 500)',
    rerun: true,
  },
  isolation: {
    flags: '--isolation <mode>',
    description: 'inline (in this process) or process (a child process per environment, the default)',
    rerun: true,
  },
  memory: {
    flags: '--memory <mb>',
    description:
      'Memory size in MB; in process isolation it sets the V8 heap limit as Lambda does (default 128)',
    rerun: true,
  },
  timeout: {
    flags: '--timeout <ms>',
    description: 'Function timeout in ms; a hang past it kills the environment (default 3000)',
    rerun: true,
  },
  runtime: {
    flags: '--runtime <runtime>',
    description: `Lambda runtime: ${LAMBDA_RUNTIMES.join(', ')} (default: this Node's)`,
    rerun: true,
  },
  config: {
    flags: '--config <file>',
    description: 'Config file (default: warmleak.config.{ts,mts,mjs,js,json} or "warmleak" in package.json)',
    rerun: true,
  },
  env: {
    flags: '--env <KEY=VALUE>',
    description: "A variable of the function's configuration (repeatable: --env TABLE=orders --env STAGE=ci)",
    rerun: true,
  },
  envFile: {
    flags: '--env-file <file>',
    description: "The function's variables from a dotenv file (KEY=VALUE lines); --env wins over it",
    rerun: true,
  },
  setup: {
    flags: '--setup <file>',
    description:
      'A module loaded into the environment before the handler, e.g. registering aws-sdk-client-mock (repeatable)',
    rerun: true,
  },
  strict: {
    flags: '--strict',
    description: 'Also report module-scope variables still holding request data after their invocation ended',
    rerun: true,
  },
  json: { flags: '--json', description: 'Print the result as one JSON object' },
  output: {
    flags: '--output <file>',
    description: 'Write the report to this file (html: warmleak-report.html unless given; - for stdout)',
  },
} satisfies Record<string, OptionDefinition>;

export type OptionName = keyof typeof OPTIONS;

/** Adds shared options to a command; a command may word one differently (its own default, its own help text). */
export function addOptions(
  command: Command,
  names: OptionName[],
  overrides: Partial<Record<OptionName, Partial<OptionDefinition>>> = {},
): Command {
  for (const name of names) {
    const option: OptionDefinition = { ...OPTIONS[name], ...overrides[name] };
    command.option(
      option.flags,
      option.description,
      option.default === undefined ? {} : { default: option.default },
    );
  }
  return command;
}

/** The flags as cac hands them over: the camel-cased option names. */
export type SharedFlags = Partial<Record<OptionName, unknown>>;

/** Lambda's shortest function timeout: its configuration is in whole seconds, from 1 to 900. */
const LAMBDA_MIN_TIMEOUT_MS = 1000;

/**
 * `--timeout <ms>`. Lambda's own setting is in seconds, so `--timeout 1` (meant as Lambda's 1 s) would time out
 * every invocation after 1 ms: below Lambda's shortest timeout is a usage error that names the flag's unit.
 */
export function timeoutFlag(value: unknown): number | undefined {
  const ms = integerFlag('--timeout', value, 1);
  if (ms !== undefined && ms < LAMBDA_MIN_TIMEOUT_MS)
    throw new UsageError(
      `--timeout is in milliseconds and Lambda's shortest timeout is 1 second, got "${value}"; for ${countOf(ms, 'second')} use --timeout ${ms * 1000}`,
    );
  return ms;
}

/** A whole-number flag, or undefined when it was not given. */
export function integerFlag(
  flag: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value === true || !Number.isInteger(number) || number < min)
    throw new UsageError(`${flag} must be an integer >= ${min}, got "${value}"`);
  if (number > max) throw new UsageError(`${flag} must be at most ${max}, got "${value}"`);
  return number;
}

/** `--runtime`: one of Lambda's Node.js runtime identifiers. */
export function runtimeFlag(value: unknown): LambdaRuntime | undefined {
  if (value === undefined) return undefined;
  if (!LAMBDA_RUNTIMES.includes(value as LambdaRuntime)) {
    throw new UsageError(`unknown runtime "${value}"; use one of ${LAMBDA_RUNTIMES.join(', ')}`);
  }
  return value as LambdaRuntime;
}

/** `--isolation inline|process`. */
export function isolationFlag(value: unknown): 'inline' | 'process' | undefined {
  if (value === undefined) return undefined;
  if (value === 'inline' || value === 'process') return value;
  throw new UsageError(`--isolation "${value}" must be inline or process`);
}

/** The event given by `--event FILE` or `--event-type TYPE`, read once before anything runs; undefined when neither. */
export function eventFlag(flags: SharedFlags, cwd: string = process.cwd()): unknown {
  if (flags.event !== undefined && flags.eventType !== undefined)
    throw new UsageError('pass either --event FILE or --event-type TYPE, not both');
  if (flags.event !== undefined) return readEventFile(String(flags.event), cwd);
  if (flags.eventType !== undefined) return createEvent(eventType(String(flags.eventType)));
  return undefined;
}

/** `--events FILE`, read once before anything runs (a bad line is bad usage for all); undefined when not given. */
export function eventsFlag(
  flags: SharedFlags,
  cwd: string = process.cwd(),
): Array<{ value: unknown; label: string }> | undefined {
  if (flags.events === undefined) return undefined;
  if (flags.event !== undefined || flags.eventType !== undefined)
    throw new UsageError('pass either --events FILE or --event/--event-type, not both');
  return readEventsFile(String(flags.events), cwd);
}

/** The function's variables from `--env-file` then `--env` (which wins); undefined when neither was given. */
export function envFlags(
  flags: SharedFlags,
  cwd: string = process.cwd(),
): Record<string, string> | undefined {
  if (flags.env === undefined && flags.envFile === undefined) return undefined;
  const fromFile = flags.envFile === undefined ? {} : readEnvFile(String(flags.envFile), cwd);
  return { ...fromFile, ...parseEnvPairs(flags.env) };
}

/** `--setup FILE` (repeatable), relative to the working directory; undefined when not given. */
export function setupFlag(flags: SharedFlags): string[] | undefined {
  if (flags.setup === undefined) return undefined;
  return (Array.isArray(flags.setup) ? flags.setup : [flags.setup]).map(String);
}

/** The given flags that change what a rerun of one handler measures, as command-line words. */
export function rerunArgs(flags: SharedFlags): string[] {
  const args: string[] = [];
  for (const [name, option] of Object.entries(OPTIONS) as Array<[OptionName, OptionDefinition]>) {
    const value = flags[name];
    if (!option.rerun || value === undefined) continue;
    const flag = option.flags.split(' ')[0];
    if (value === true) args.push(flag);
    else for (const one of Array.isArray(value) ? value : [value]) args.push(flag, String(one));
  }
  return args;
}
