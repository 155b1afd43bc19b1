// `warmleak check <files...>`: checks each handler in its own environment and prints one report in the chosen format.
import { resolve } from 'node:path';
import type { CAC } from 'cac';
import { CHECK_POLICY } from '../check/policy.js';
import type { CheckOptions } from '../check-options.js';
import { type HandlerSettings, loadConfig, settingsFor, type WarmleakConfig } from '../config/index.js';
import { UsageError, WarmleakError } from '../errors.js';
import { createEvent, isEventType } from '../events/index.js';
import { compileEvents } from '../events/program.js';
import {
  checkInProcess,
  defaultConcurrency,
  expectEnvironments,
  LAMBDA_DEFAULTS,
  mapConcurrently,
} from '../isolation/index.js';
import { inert, inertLines } from '../reporters/escape.js';
import { projectPath } from '../reporters/format.js';
import { type CheckedReport, isReporterName, type LoadFailure } from '../reporters/index.js';
import { createProgress } from '../reporters/progress.js';
import { readEventFile } from '../runtime/event-source.js';
import type { TemplateFunction } from '../templates/index.js';
import { exitBlocked, exitWhenWritten } from './exit.js';
import { checkInline } from './inline.js';
import {
  addOptions,
  envFlags,
  eventFlag,
  eventsFlag,
  integerFlag,
  isolationFlag,
  type OptionName,
  rerunArgs,
  runtimeFlag,
  setupFlag,
  timeoutFlag,
} from './options.js';
import { outputFile } from './output.js';
import { runOutput } from './run-output.js';
import { parseShard, resolveTargets, shardTargets, splitExport, type Target } from './targets.js';
import { templateNotices, templateSettings, templateTargets } from './template-targets.js';

export interface CheckFlags {
  event?: string;
  eventType?: string;
  events?: string;
  env?: string | string[];
  envFile?: string;
  setup?: string | string[];
  strict?: boolean;
  invocations?: string | number;
  json?: boolean;
  reporter?: string;
  output?: string;
  isolation?: string;
  memory?: string | number;
  timeout?: string | number;
  shard?: string;
  config?: string;
  concurrency?: string | number;
  runtime?: string;
  template?: string;
  function?: string | string[];
}

/** A handler's report, and what its rerun line cannot carry (an event function of the config). */
type Checked = { report: CheckedReport; note?: string };
/** What one handler's check ended with. */
type Outcome = Checked | { failure: LoadFailure };

export function register(cli: CAC): void {
  const command = cli.command(
    'check [...handlers]',
    'Invoke each handler many times warm and report what grows between invocations',
  );
  const shared: OptionName[] = [
    'event',
    'eventType',
    'events',
    'env',
    'envFile',
    'setup',
    'strict',
    'invocations',
    'isolation',
    'memory',
    'timeout',
    'runtime',
  ];
  addOptions(command, [...shared, 'config', 'json', 'output'], {
    json: {
      description: 'Print the JSON report contract on stdout (one object, or an array for several handlers)',
    },
  })
    .option('--reporter <name>', 'Output format: text, json, junit, github, html, markdown', {
      default: 'text',
    })
    .option(
      '--template <file>',
      'Check the functions of a SAM/CloudFormation template, serverless.yml or cdk.out (found at the root when no handler is given)',
    )
    .option(
      '--function <name>',
      'Only this function of the template (logical id or Serverless key); repeatable',
    )
    .option(
      '--shard <i/n>',
      'Check only the i-th of n shards (one per CI job): the sorted files dealt out in turn, every file in one shard',
    )
    .option(
      '--concurrency <n>',
      'Environments run at the same time in process isolation (default: number of cores)',
    )
    .example('warmleak check src/handler.ts')
    .example("warmleak check 'src/**/handler.ts' --reporter junit > warmleak.xml")
    .example("warmleak check 'src/**/handler.ts#main' --shard 2/4 --json")
    .example('warmleak check src/handler.ts --reporter html --output warmleak-report.html')
    .example('warmleak check --template template.yaml --shard 1/4')
    .action(async (handlers: string[], flags: CheckFlags) => {
      const code = await check(handlers, flags);
      // Handlers checked inline may leave handles behind; once the verdict is written, nothing is left to wait for.
      await exitWhenWritten(code);
    });
}

/** What the command line says besides the handlers, read once before anything runs: a bad file is bad usage for all. */
interface CommandLine {
  settings: HandlerSettings;
  event: unknown;
  events?: Array<{ value: unknown; label: string }>;
  env?: Record<string, string>;
  setup?: string[];
  strict?: boolean;
}

/** Where the config came from and what it says. */
type Config = Awaited<ReturnType<typeof loadConfig>>;

/**
 * Runs the command and returns its exit code: 1 when any handler leaks or its environment died (out of memory,
 * timed out, exited), else 2 when any handler could not be loaded or checked, else 0. A handler that fails to
 * load never stops the others; it is reported on stderr (one line) and by every reporter that can express it.
 */
export async function check(
  patterns: string[],
  flags: CheckFlags,
  cwd: string = process.cwd(),
): Promise<number> {
  const reporterName = flags.json ? 'json' : (flags.reporter ?? 'text');
  if (!isReporterName(reporterName))
    throw new UsageError(
      `unknown reporter "${reporterName}"; use text, json, junit, github, html or markdown`,
    );
  const file = outputFile(flags.output, reporterName);
  const commandLine = readCommandLine(flags, cwd);
  const shard = flags.shard === undefined ? undefined : parseShard(String(flags.shard));

  const loaded = await loadConfig(cwd, flags.config);
  const concurrency =
    integerFlag('--concurrency', flags.concurrency, 1) ?? loaded.config.concurrency ?? defaultConcurrency();
  const { all, fromTemplates, several: many } = await allTargets(patterns, flags, loaded.config, cwd);
  const targets = shard ? shardTargets(all, shard) : all;
  // A template function's own settings first; the config (defaults and overrides) and the flags override them.
  const settingsOf = (target: Target): HandlerSettings => ({
    ...templateSettings(target.function),
    ...settingsFor(loaded.config, target.file, target.spec, target.function?.name),
    ...defined(commandLine.settings),
  });
  const started = performance.now();
  const atOnce = inlineOnly(targets, settingsOf) ? 1 : concurrency;
  // The processes of later environments start while earlier ones run, at most `atOnce` ahead.
  expectEnvironments(
    targets.filter((target) => (settingsOf(target).isolation ?? 'process') === 'process').length,
    atOnce,
  );
  const output = runOutput(reporterName, file, cwd, {
    color: reporterName === 'text' && useColor(),
    skipped: shard && shard.index > 1 ? [] : fromTemplates.skipped, // once across shards: CI merges their reports
    several: many || shard !== undefined,
    rerunArgs: rerunArgs(flags),
  });
  for (const failure of fromTemplates.failures) output.failure(failure);
  // An inline handler stuck in a synchronous loop ends the run from its blocked thread: its report is the last.
  const stuck = (report: CheckedReport): never => {
    output.report(report);
    return exitBlocked(output.end(performance.now() - started, atOnce));
  };
  const checkOne = (target: Target, settings: HandlerSettings) =>
    checkTarget(target, settings, commandLine, loaded, cwd, stuck);
  await checkAll(targets, settingsOf, atOnce, checkOne, (outcome) =>
    'failure' in outcome ? output.failure(outcome.failure) : output.report(outcome.report, outcome.note),
  );
  return output.end(performance.now() - started, atOnce);
}

function readCommandLine(flags: CheckFlags, cwd: string): CommandLine {
  return {
    settings: {
      invocations: integerFlag('--invocations', flags.invocations, 2, CHECK_POLICY.maxInvocations),
      memorySizeMB: integerFlag('--memory', flags.memory, 128),
      timeoutMs: timeoutFlag(flags.timeout),
      runtime: runtimeFlag(flags.runtime),
      isolation: isolationFlag(flags.isolation),
    },
    events: eventsFlag(flags, cwd),
    env: envFlags(flags, cwd),
    setup: setupFlag(flags)?.map((setup) => resolve(cwd, setup)),
    event: eventFlag(flags, cwd),
    strict: flags.strict,
  };
}

/**
 * Checks every target, `atOnce` at a time (see `inlineOnly`), with the progress line on a terminal, and hands each
 * outcome to `each` as soon as it is known (in the order checks end), keeping none. A target that throws is a
 * failure, never the end of the others.
 */
async function checkAll(
  targets: Target[],
  settingsOf: (target: Target) => HandlerSettings,
  atOnce: number,
  checkOne: (target: Target, settings: HandlerSettings) => Promise<Checked>,
  each: (outcome: Outcome) => void,
): Promise<void> {
  const progress = createProgress(targets.length);
  let done = 0;
  await mapConcurrently(targets, atOnce, async (target) => {
    progress.update(done, target.spec);
    let outcome: Outcome;
    try {
      outcome = await checkOne(target, settingsOf(target));
    } catch (error) {
      outcome = { failure: failureOf(target, error) };
    }
    // The progress line is erased before a piece of the report is written, and drawn again after.
    progress.clear();
    each(outcome);
    progress.update(++done, target.spec);
  });
  progress.clear();
}

/** Inline environments share this process, so a run of only those checks one at a time. */
function inlineOnly(targets: Target[], settingsOf: (target: Target) => HandlerSettings): boolean {
  return targets.every((target) => (settingsOf(target).isolation ?? 'process') === 'inline');
}

/** One target's check in the isolation its settings ask for; `note` says what its rerun line cannot carry. */
async function checkTarget(
  target: Target,
  settings: HandlerSettings,
  commandLine: CommandLine,
  loaded: Config,
  cwd: string,
  onStuck: (report: CheckedReport) => never,
): Promise<Checked> {
  const events = eventsFor(settings, commandLine.event, commandLine.events, loaded.dir);
  const options = {
    ...checkOptions(settings, cwd),
    ...events,
    ...functionConfiguration(settings, loaded.dir, commandLine.env, commandLine.setup, commandLine.strict),
    ...defined({ functionName: target.function?.lambdaName }),
  };
  const fromFunction = typeof events.event === 'function';
  const report =
    (settings.isolation ?? 'process') === 'process'
      ? await checkInProcess(target.spec, {
          ...options,
          cwd,
          configEvent:
            fromFunction && loaded.file
              ? { config: loaded.file, file: target.file, spec: target.spec }
              : undefined,
        })
      : await checkInline(target.spec, options, onStuck);
  const note =
    fromFunction && loaded.file
      ? `events came from a function in ${projectPath(loaded.file, cwd)}`
      : undefined;
  return {
    report: target.function ? { ...report, ...functionFields(target.function, options) } : report,
    note,
  };
}

/** The function's variables and setup files: the config's (relative to it), then the command line's. */
function functionConfiguration(
  settings: HandlerSettings,
  dir: string,
  cliEnv: Record<string, string> | undefined,
  cliSetup: string[] | undefined,
  strict: boolean | undefined,
): Pick<CheckOptions, 'env' | 'setupFiles' | 'strict'> {
  const env = { ...settings.env, ...settings.environment, ...cliEnv };
  const setupFiles = [
    ...(settings.setupFiles ?? []).map((setup) => resolve(dir, setup)),
    ...(cliSetup ?? []),
  ];
  return defined({
    env: Object.keys(env).length > 0 ? env : undefined,
    setupFiles: setupFiles.length > 0 ? setupFiles : undefined,
    strict: strict === true || settings.strict === true ? true : undefined,
  });
}

/**
 * Every target: the files and globs given (or the config's), then the functions of the templates (`--template`,
 * the config's, or those found at the root when nothing else is given). `several` when more than one could be.
 */
async function allTargets(patterns: string[], flags: CheckFlags, config: WarmleakConfig, cwd: string) {
  const handlerKeys = Object.keys(config.handlers ?? {});
  // From the config alone, a handlers key that names an export is a handler to check as well.
  const given =
    patterns.length > 0
      ? patterns
      : [...(config.include ?? []), ...handlerKeys.filter((key) => splitExport(key).exportName)];
  const only = flags.function === undefined ? [] : [flags.function].flat().map(String);
  const fromTemplates = await templateTargets(flags.template, config, given.length > 0, cwd, only);
  const fromTemplate = fromTemplates.templates.length > 0;
  const all = [
    ...(given.length > 0 || !fromTemplate
      ? await resolveTargets(given, cwd, { exclude: config.exclude, handlerKeys })
      : []),
    ...fromTemplates.targets,
  ];
  for (const line of templateNotices(fromTemplates)) process.stderr.write(`warmleak: ${inert(line)}\n`);
  const several = all.length > 1 || given.some((pattern) => /[*?[{]/.test(pattern)) || fromTemplate;
  return { all, fromTemplates, several };
}

function checkOptions(settings: HandlerSettings, cwd: string): CheckOptions {
  return defined({
    invocations: settings.invocations,
    memorySizeMB: settings.memorySizeMB,
    timeoutMs: settings.timeoutMs,
    allow: settings.allow,
    runtime: settings.runtime,
    projectRoot: cwd,
  });
}

/**
 * One handler's events: the command line's (`--event`, `--event-type`, `--events`) over the config's (`event`,
 * `events`); each handler gets its own compiled program, so its canaries are its own.
 */
function eventsFor(
  settings: HandlerSettings,
  cliEvent: unknown,
  cliEvents: Array<{ value: unknown; label: string }> | undefined,
  dir: string,
): Pick<CheckOptions, 'event' | 'events'> {
  if (cliEvents) return { events: compileEvents(cliEvents) };
  if (cliEvent !== undefined) return { event: cliEvent };
  if (settings.events !== undefined)
    return {
      events: typeof settings.events === 'string' ? resolve(dir, settings.events) : settings.events,
    };
  return { event: settings.event === undefined ? {} : eventFromConfig(settings.event, dir) };
}

/** The JSON report's additions for a template's function: its name there, and the memory and timeout it ran with. */
function functionFields(fn: TemplateFunction, options: CheckOptions) {
  return {
    functionName: fn.name,
    template: fn.template,
    memorySizeMB: options.memorySizeMB ?? LAMBDA_DEFAULTS.memorySizeMB,
    timeoutMs: options.timeoutMs ?? LAMBDA_DEFAULTS.timeoutMs,
  };
}

/** A config's `event`: a trigger name, a JSON file relative to the config, or the event value itself. */
function eventFromConfig(value: unknown, dir: string): unknown {
  if (typeof value !== 'string') return value;
  return isEventType(value) ? createEvent(value) : readEventFile(value, dir);
}

/** Typed errors a user can fix become one line; anything else is a bug, reported with its stack but not fatal to the others. */
function failureOf(target: Target, error: unknown): LoadFailure {
  const handler = target.exportName ? target.spec : `${target.file}#handler`;
  const named = defined({ handler, functionName: target.function?.name });
  // The check's own message already names the fix (the event, credentials): it is printed once, as it is.
  if (error instanceof WarmleakError) {
    return { ...named, errorType: error.name, message: error.message.split('\n')[0] };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  process.stderr.write(`warmleak: ${inertLines(err.stack ?? err.message)}\n`);
  return { ...named, errorType: err.name || 'Error', message: err.message.split('\n')[0] };
}

function useColor(): boolean {
  if ('NO_COLOR' in process.env) return false;
  if ('FORCE_COLOR' in process.env) return process.env.FORCE_COLOR !== '0';
  return process.stdout.isTTY === true;
}

/** Drops undefined fields so that spreading CLI flags over config settings keeps the config's values. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
