// `warmleak simulate`: runs the environment-pool model and prints how many environments a traffic pattern creates.
import type { CAC } from 'cac';
import { type SimulationOptions, type SimulationResult, simulatePool } from '../bench/simulate.js';
import { type HandlerSimulationResult, simulateHandler } from '../bench/simulate-handler.js';
import { UsageError } from '../errors.js';
import { eventFlag, isolationFlag } from './options.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** Parses `500ms`, `30s`, `10m`, `1.5h` into milliseconds; `never` (for lifetimes) is Infinity. */
export function parseDuration(flag: string, value: unknown, { allowNever = false } = {}): number {
  const text = String(value).trim().toLowerCase();
  if (allowNever && (text === 'never' || text === 'infinity')) return Number.POSITIVE_INFINITY;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)$/.exec(text);
  if (!match || !(Number(match[1]) > 0)) {
    throw new UsageError(`--${flag} "${value}" is not a duration; write it with a unit: 500ms, 30s, 10m, 2h`);
  }
  return Number(match[1]) * UNITS[match[2]];
}

function positiveNumber(flag: string, value: unknown): number {
  const n = Number(value);
  if (value === undefined || value === true || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${flag} needs a positive number, got "${value}"`);
  }
  return n;
}

/** `--handler-ms 500` or measured samples `--handler-ms 480,510,530`. */
function parseHandlerMs(value: unknown): number | number[] {
  if (value === undefined)
    throw new UsageError(
      '--handler-ms or --handler is required: the handler duration in ms (e.g. 500), or a handler file to measure',
    );
  const parts = String(value)
    .split(',')
    .map((part) => Number(part.trim()));
  if (parts.length === 0 || parts.some((ms) => !Number.isFinite(ms) || ms < 0)) {
    throw new UsageError(`--handler-ms "${value}" must be milliseconds, or a comma-separated list of them`);
  }
  return parts.length === 1 ? parts[0] : parts;
}

interface SimulateFlags {
  rps?: unknown;
  duration?: unknown;
  requests?: unknown;
  handlerMs?: unknown;
  initMs?: unknown;
  idleTimeout?: unknown;
  maxLifetime?: unknown;
  lifetimeJitter?: unknown;
  poisson?: boolean;
  seed?: unknown;
  leakBytesPerInvocation?: unknown;
  memory?: unknown;
  baselineMemory?: unknown;
  handler?: unknown;
  event?: unknown;
  eventType?: unknown;
  isolation?: unknown;
  json?: boolean;
}

/** --rps, exactly one of --duration and --requests, at most one of --handler and --handler-ms. */
function requireOneOfEach(flags: SimulateFlags): void {
  if (flags.rps === undefined) throw new UsageError('--rps is required: requests per second, e.g. --rps 10');
  if ((flags.duration === undefined) === (flags.requests === undefined)) {
    throw new UsageError('give one of --duration (e.g. 1h) or --requests (e.g. 600000)');
  }
  if (flags.handler !== undefined && flags.handlerMs !== undefined) {
    throw new UsageError('pass either --handler FILE (measured durations) or --handler-ms MS, not both');
  }
}

/** Turns CLI flags into simulation options; every bad value is a UsageError naming the flag. */
export function optionsFromFlags(flags: SimulateFlags): SimulationOptions {
  requireOneOfEach(flags);
  const options: SimulationOptions = {
    rps: positiveNumber('rps', flags.rps),
    // With --handler the durations are measured later; 0 is a placeholder simulateHandler replaces.
    handlerMs: flags.handler === undefined ? parseHandlerMs(flags.handlerMs) : 0,
    arrival: flags.poisson ? 'poisson' : 'fixed',
  };
  if (flags.duration !== undefined) options.durationMs = parseDuration('duration', flags.duration);
  if (flags.requests !== undefined) {
    const requests = Number(flags.requests);
    if (!Number.isInteger(requests) || requests < 0) {
      throw new UsageError(`--requests needs a whole number, got "${flags.requests}"`);
    }
    options.requests = requests;
  }
  if (flags.initMs !== undefined) {
    const initMs = Number(flags.initMs);
    if (!Number.isFinite(initMs) || initMs < 0)
      throw new UsageError(`--init-ms needs milliseconds >= 0, got "${flags.initMs}"`);
    options.initMs = initMs;
  }
  if (flags.idleTimeout !== undefined)
    options.idleTimeoutMs = parseDuration('idle-timeout', flags.idleTimeout);
  if (flags.maxLifetime !== undefined) {
    options.maxLifetimeMs = parseDuration('max-lifetime', flags.maxLifetime, { allowNever: true });
  }
  if (flags.lifetimeJitter !== undefined) {
    const jitter = Number(flags.lifetimeJitter);
    if (!(jitter >= 0 && jitter < 1))
      throw new UsageError(`--lifetime-jitter needs a fraction in [0, 1), got "${flags.lifetimeJitter}"`);
    options.lifetimeJitter = jitter;
  }
  if (flags.seed !== undefined) {
    const seed = Number(flags.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed needs a whole number, got "${flags.seed}"`);
    options.seed = seed;
  }
  if (flags.leakBytesPerInvocation !== undefined) {
    options.leakBytesPerInvocation = positiveNumber(
      'leak-bytes-per-invocation',
      flags.leakBytesPerInvocation,
    );
  }
  if (flags.memory !== undefined) options.memoryMB = positiveNumber('memory', flags.memory);
  if (flags.baselineMemory !== undefined)
    options.baselineMemoryMB = positiveNumber('baseline-memory', flags.baselineMemory);
  if (
    options.leakBytesPerInvocation !== undefined &&
    (options.baselineMemoryMB ?? 70) >= (options.memoryMB ?? 128)
  ) {
    throw new UsageError('--baseline-memory must be below --memory (both in MB)');
  }
  return options;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
const lifetime = (ms: number) => (ms === Number.POSITIVE_INFINITY ? 'never' : minutes(ms));

const ms = (value: number) => (value >= 10 ? `${value.toFixed(0)} ms` : `${value.toFixed(3)} ms`);

/** The text report: the answer first (environments, cold starts), then the model it came from. */
export function formatSimulation(
  result:
    | SimulationResult
    | HandlerSimulationResult
    | (SimulationResult & { handlerDuration: { source: 'given' } }),
): string {
  const s = result.settings;
  const measured =
    'handlerDuration' in result && result.handlerDuration.source === 'measured'
      ? result.handlerDuration
      : undefined;
  const handler = measured
    ? `${measured.handler} (measured)`
    : typeof s.handlerMs === 'number'
      ? `${s.handlerMs} ms`
      : `${s.handlerMs.length} sampled durations`;
  const per = result.invocationsPerEnvironment;
  const life = result.lifetimeMs;
  const ends = result.endReasons;
  const lines = [
    `${count(result.requests)} requests at ${s.rps ?? '-'} req/s (${s.arrival} arrivals), handler ${handler}, over ${minutes(result.spanMs)}`,
    `  environments created    ${count(result.environmentsCreated)}`,
    `  cold starts             ${count(result.coldStarts)} (${(result.coldStartRate * 100).toFixed(3)}% of requests)`,
    `  peak concurrency        ${count(result.peakConcurrency)}`,
    `  invocations per env     mean ${count(per.mean)}, median ${count(per.median)}, min ${count(per.min)}, max ${count(per.max)}`,
    `  lifetime                mean ${minutes(life.mean)}, median ${minutes(life.median)}, max ${minutes(life.max)}`,
    `  ended by                idle timeout ${ends.idle}, max lifetime ${ends.maxLifetime}, out of memory ${ends.outOfMemory}, still running ${ends.endOfRun}`,
  ];
  const memory = result.memory;
  if (memory) {
    lines.push(
      `Memory: ${memory.memoryMB} MB limit, ${memory.baselineMemoryMB} MB baseline, ${count(memory.leakBytesPerInvocation)} B leaked per invocation -> limit reached after ${count(memory.invocationsToLimit)} invocations`,
      memory.environmentsHittingLimit === 0
        ? '  no environment lives long enough to reach its memory limit'
        : `  ${memory.environmentsHittingLimit} of ${result.environmentsCreated} environments hit their memory limit (first after ${minutes(memory.firstHitMs ?? 0)}); ${memory.failedInvocations} invocations failed with Runtime.OutOfMemory`,
    );
  }
  if (measured) {
    const { warm, initDurationMs, firstInvocationMs } = measured;
    lines.push(
      `Measured (${measured.isolation}, ${measured.runtime}): warm mean ${ms(warm.mean)}, p50 ${ms(warm.p50)}, p99 ${ms(warm.p99)} over ${count(measured.warmSamples)} invocations; Init Duration ${ms(initDurationMs.mean)}, first invocation ${ms(firstInvocationMs.mean)} (mean of ${initDurationMs.sampleCount} cold starts)`,
      `  used: ${count(measured.handlerMsSamples)} warm-duration quantiles drawn at random per request; cold start adds ${ms(measured.initMsUsed)}${measured.initMsUsed === measured.measuredInitMs ? ' (Init Duration + first invocation over warm)' : ' (--init-ms)'}`,
    );
    if (measured.errors.cold + measured.errors.warm > 0) {
      lines.push(
        `  ${measured.errors.cold} cold and ${measured.errors.warm} warm invocations returned a Lambda error while measuring; their durations still count`,
      );
    }
  }
  lines.push(
    `Model: init ${+s.initMs.toFixed(3)} ms, idle timeout ${minutes(s.idleTimeoutMs)}, max lifetime ${lifetime(s.maxLifetimeMs)}${s.lifetimeJitter ? ` (-${s.lifetimeJitter * 100}% jitter)` : ''}, most-recently-used reuse. Assumptions and sources: README, "Simulating the environment pool".`,
  );
  return `${lines.join('\n')}\n`;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function register(cli: CAC): void {
  cli
    .command(
      'simulate',
      "Model Lambda's environment pool: environments created, cold starts, invocations per environment",
    )
    .option('--rps <n>', 'Requests per second')
    .option('--duration <time>', 'How long the traffic lasts: 30s, 10m, 1h')
    .option('--requests <n>', 'Number of requests (instead of --duration)')
    .option('--handler-ms <ms>', 'Handler duration in ms, or measured samples: 480,510,530')
    .option(
      '--handler <file>',
      'Measure this handler (file[#export]) and use its warm durations and Init Duration',
    )
    .option('--event <file>', 'With --handler: JSON file with the event each measured invocation receives')
    .option('--event-type <type>', 'With --handler: built-in sample event: apigw-rest, apigw-http, sqs, ...')
    .option('--isolation <mode>', 'With --handler: measure inline (default) or in a process per environment')
    .option('--init-ms <ms>', 'Init Duration a cold start adds (default 100)')
    .option('--idle-timeout <time>', 'Idle shutdown after (default 10m)')
    .option('--max-lifetime <time>', 'Retire environments after (default 90m; "never" to disable)')
    .option('--lifetime-jitter <fraction>', 'Draw each lifetime from [max x (1 - f), max] (default 0)')
    .option('--poisson', 'Poisson arrivals instead of a fixed interval')
    .option('--seed <n>', 'PRNG seed for Poisson arrivals, sampled durations and jitter (default 1)')
    .option('--leak-bytes-per-invocation <bytes>', 'Heap growth per invocation, from `warmleak check`')
    .option('--memory <mb>', 'Function memory size in MB (default 128)')
    .option('--baseline-memory <mb>', 'Memory used before any leak, in MB (default 70)')
    .option('--json', 'Print the result as one JSON object')
    .example('warmleak simulate --rps 10 --duration 1h --handler-ms 500')
    .example(
      'warmleak simulate --rps 10 --requests 600000 --handler-ms 500 --leak-bytes-per-invocation 2000 --memory 128',
    )
    .example('warmleak simulate --rps 10 --duration 1h --handler src/handler.ts#main --event event.json')
    .action(async (flags: SimulateFlags) => {
      let result: (SimulationResult & { handlerDuration: { source: 'given' } }) | HandlerSimulationResult;
      try {
        const options = optionsFromFlags(flags);
        if (flags.handler === undefined) {
          for (const flag of ['event', 'eventType', 'isolation'] as const) {
            if (flags[flag] !== undefined) throw new UsageError(`--${kebab(flag)} needs --handler FILE`);
          }
          // Named in the JSON too, so a consumer can tell a given duration from a measured one.
          result = { ...simulatePool(options), handlerDuration: { source: 'given' } };
        } else {
          const { handlerMs: _placeholder, ...rest } = options;
          result = await simulateHandler(String(flags.handler), rest, {
            event: eventFlag(flags) ?? {},
            isolation: isolationFlag(flags.isolation),
          });
        }
      } catch (error) {
        // The model's own range checks are usage errors when they come from the command line.
        if (error instanceof RangeError) throw new UsageError(error.message);
        throw error;
      }
      process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : formatSimulation(result));
    });
}
