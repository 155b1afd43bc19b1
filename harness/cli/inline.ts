// `--isolation inline`: one check in the CLI's own process, reported as process isolation reports the same fault,
// and leaving the process (cwd, environment variables, processes) as it found it for the next handler.
import { runCheck } from '../check/index.js';
import type { CheckOptions } from '../check-options.js';
import { InvocationError } from '../errors.js';
import { eventAt } from '../events/index.js';
import { failedReport } from '../isolation/failed-report.js';
import { failureFromError, LAMBDA_DEFAULTS } from '../isolation/process.js';
import type { CheckedReport, EnvironmentFailure } from '../reporters/types.js';
import { endInlineProcesses } from './exit.js';
import { endIfStuck } from './stuck-loop.js';

// Prototypes the CLI's own formatting relies on: `Object.prototype.toJSON = ...` would rewrite the JSON report.
const PROTOTYPES = [
  Object.prototype,
  Array.prototype,
  String.prototype,
  Number.prototype,
  Function.prototype,
];

/** Puts back the descriptors of `target` as they are now, deleting what is added later. */
function snapshotProperties(target: object): () => void {
  const saved = Object.getOwnPropertyDescriptors(target) as Record<PropertyKey, PropertyDescriptor>;
  return () => {
    for (const key of Reflect.ownKeys(target))
      if (!Object.hasOwn(saved, key)) Reflect.deleteProperty(target, key);
    for (const key of Reflect.ownKeys(saved)) {
      const now = Object.getOwnPropertyDescriptor(target, key);
      const then = saved[key];
      if (now?.value !== then.value || now?.get !== then.get || now?.set !== then.set)
        Reflect.defineProperty(target, key, then);
    }
  };
}

/**
 * Puts back the working directory, every environment variable (PATH, NODE_OPTIONS, ...) and the built-in
 * prototypes a handler changed: in a process they die with the environment; inline, the CLI's report and the next
 * handler's check would inherit them.
 */
function snapshotProcess(): () => void {
  const cwd = process.cwd();
  const env = { ...process.env };
  const prototypes = PROTOTYPES.map(snapshotProperties);
  return () => {
    for (const restore of prototypes) restore();
    if (process.cwd() !== cwd) process.chdir(cwd);
    for (const name of Object.keys(process.env)) if (!(name in env)) delete process.env[name];
    for (const [name, value] of Object.entries(env))
      if (process.env[name] !== value) process.env[name] = value;
  };
}

/**
 * Runs the check here. Anything the handler writes to stdout goes to stderr, so stdout stays the report's. A
 * timeout, `process.exit` or crash is a report with `error` (exit 1), exactly as when the environment is a process.
 */
export async function checkInline(
  spec: string,
  options: CheckOptions,
  onStuck?: (report: CheckedReport) => never,
): Promise<CheckedReport> {
  const restore = snapshotProcess();
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const started = performance.now();
  // The invocation whose event was last requested: where the environment died, as the progress file says in a process.
  let invocation = 0;
  let startupMs: number | undefined;
  const { event = {} } = options;
  const counted: CheckOptions = {
    ...options,
    event: (index: number) => {
      if (index === 0) startupMs = performance.now() - started;
      invocation = index + 1;
      return eventAt(event, index);
    },
  };
  // The report of an environment that died (a timeout, an exit, a crash, a loop the watcher ended), as of now.
  const died = (error: EnvironmentFailure) =>
    failedReport({
      source: spec,
      invocation,
      error,
      maxMemoryUsedMB: undefined,
      durationMs: Math.round(performance.now() - started),
      startupMs,
    });
  // A synchronous loop blocks this very thread, timeout timer included: a watcher ends it with this report.
  const stopWatching =
    onStuck &&
    endIfStuck(options.timeoutMs ?? LAMBDA_DEFAULTS.timeoutMs, (failure) => {
      process.stdout.write = write;
      return onStuck(died({ ...failure, ...(invocation > 0 && { invocation }) }));
    });
  try {
    const report = await runCheck(spec, counted);
    return { ...report, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    if (!(error instanceof InvocationError)) throw error;
    const response = {
      type: 'error' as const,
      name: error.name,
      message: error.message,
      lambdaError: error.lambdaError,
    };
    const failure = failureFromError(response, invocation);
    if (!failure) throw error;
    return died(failure);
  } finally {
    stopWatching?.();
    process.stdout.write = write;
    endInlineProcesses();
    restore();
  }
}
