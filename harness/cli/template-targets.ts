// `warmleak check --template`: the functions of the project's templates as check targets, with each one's own settings.
import type { HandlerSettings, WarmleakConfig } from '../config/index.js';
import { UsageError } from '../errors.js';
import type { LoadFailure } from '../reporters/index.js';
import { LAMBDA_RUNTIMES } from '../runtime/environment.js';
import type { LambdaRuntime } from '../runtime/types.js';
import {
  discoverTemplates,
  readTemplates,
  type SkippedFunction,
  type TemplateFunction,
  unreadableServerlessConfig,
} from '../templates/index.js';
import type { Target } from './targets.js';

export interface TemplateTargets {
  /** The templates read (given, from the config, or found at the project root). */
  templates: string[];
  targets: Target[];
  /** Templates and functions that could not be read: each one line, exit 2, the others still run. */
  failures: LoadFailure[];
  skipped: SkippedFunction[];
}

/**
 * Which templates to read: `--template`, else the config's `template`, else (when no handler is given at all) the
 * templates found at the project root. `only` keeps the functions named by `--function`.
 */
export async function templateTargets(
  flag: string | undefined,
  config: WarmleakConfig,
  handlersGiven: boolean,
  cwd: string,
  only: string[] = [],
): Promise<TemplateTargets> {
  const templates =
    flag !== undefined
      ? [flag]
      : config.template !== undefined
        ? [config.template].flat()
        : handlersGiven
          ? []
          : discoverTemplates(cwd);
  if (templates.length === 0 && !handlersGiven) {
    const reason = unreadableServerlessConfig(cwd);
    if (reason) throw new UsageError(reason);
  }
  const read = await readTemplates(templates, cwd);
  let { functions, skipped } = read;
  if (only.length > 0) {
    // A skipped function may be named too: it is then listed as skipped, with its runtime.
    const names = [...functions, ...skipped].map((fn) => fn.name);
    const unknown = only.filter((name) => !names.includes(name));
    if (unknown.length > 0)
      throw new UsageError(
        `no function ${unknown.join(', ')} in ${templates.join(', ') || 'the templates'}; use one of ${names.join(', ')}`,
      );
    functions = functions.filter((fn) => only.includes(fn.name));
    skipped = skipped.filter((fn) => only.includes(fn.name));
  }
  const failures = read.problems.map(
    (problem): LoadFailure => ({
      handler: problem.template,
      functionName: problem.name,
      errorType: 'TemplateError',
      message: problem.message,
    }),
  );
  const targets = functions.map(
    (fn): Target => ({
      file: fn.file,
      exportName: fn.exportName,
      spec: `${fn.file}#${fn.exportName}`,
      function: fn,
    }),
  );
  return { templates, targets, failures, skipped };
}

/** A function's own settings from its template; the config and the command line override them. */
export function templateSettings(fn: TemplateFunction | undefined): HandlerSettings {
  if (!fn) return {};
  const settings: HandlerSettings = {
    runtime: emulatedRuntime(fn.runtime),
    memorySizeMB: fn.memorySizeMB,
    timeoutMs: fn.timeoutMs,
    env: fn.env,
    event: fn.eventType,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

/** Lambda's runtime for a template's `nodejsNN.x`; runtimes before the oldest emulated one run as that one. */
function emulatedRuntime(runtime: string): LambdaRuntime {
  if (LAMBDA_RUNTIMES.includes(runtime as LambdaRuntime)) return runtime as LambdaRuntime;
  const major = Number(/^nodejs(\d+)\.x$/.exec(runtime)?.[1]);
  return major < 20 ? LAMBDA_RUNTIMES[0] : LAMBDA_RUNTIMES[LAMBDA_RUNTIMES.length - 1];
}

/**
 * Lines for stderr before the check: a skipped function, each note on an approximation, and one warning line per
 * runtime whose Node.js major differs from the Node running warmleak (the engine is this Node's), which also says
 * when the runtime itself is not one warmleak emulates.
 */
export function templateNotices(read: TemplateTargets): string[] {
  const lines: string[] = [];
  for (const fn of read.skipped)
    lines.push(`${fn.template}: skipped ${fn.name} (${fn.runtime}); warmleak checks Node.js functions`);
  const byRuntime = new Map<string, string[]>();
  for (const { function: fn } of read.targets) {
    if (!fn) continue;
    for (const note of fn.notes) lines.push(`${fn.template}: ${fn.name}: ${note}`);
    byRuntime.set(fn.runtime, [...(byRuntime.get(fn.runtime) ?? []), fn.name]);
  }
  const node = process.versions.node;
  for (const [runtime, names] of byRuntime) {
    const emulated = emulatedRuntime(runtime);
    const major = runtime.replace(/^nodejs|\.x$/g, '');
    const subject = `warning: ${names.join(', ')} ${names.length === 1 ? 'runs' : 'run'} on ${runtime} in Lambda`;
    if (emulated !== runtime)
      lines.push(`${subject}, which warmleak does not emulate: it is checked as ${emulated} on Node ${node}`);
    else if (major !== node.split('.')[0])
      lines.push(`${subject} but this is Node ${node}; use Node ${major} for the same engine`);
  }
  return lines;
}
