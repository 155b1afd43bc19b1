// `warmleak bench <file>`: cold versus warm duration of one handler, with billed duration and cost per memory size.
import type { CAC } from 'cac';
import { type BenchIsolation, benchWarmCold, formatWarmCold } from '../bench/warm-cold.js';
import { UsageError } from '../errors.js';
import { createEvent } from '../events/index.js';
import { readEventFile } from '../runtime/event-source.js';
import { exitWhenWritten } from './exit.js';

interface BenchFlags {
  memory?: unknown;
  event?: string;
  eventType?: string;
  coldSamples?: unknown;
  warmTime?: unknown;
  isolation?: unknown;
  json?: boolean;
}

/** `--memory 128,512,1024` -> [128, 512, 1024]; each must be a Lambda memory size. */
export function parseMemorySizes(value: unknown): number[] {
  const sizes = String(value)
    .split(',')
    .map((part) => Number(part.trim()));
  if (sizes.some((mb) => !Number.isInteger(mb) || mb < 128 || mb > 10_240)) {
    throw new UsageError(
      `--memory "${value}" must be whole MB between 128 and 10240, comma-separated: 128,512,1024`,
    );
  }
  return sizes;
}

function whole(flag: string, value: unknown, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${flag} needs a whole number >= ${min}, got "${value}"`);
  return n;
}

/** `--isolation inline|process`. */
export function parseIsolation(value: unknown): BenchIsolation | undefined {
  if (value === undefined) return undefined;
  if (value === 'inline' || value === 'process') return value;
  throw new UsageError(`--isolation "${value}" must be inline or process`);
}

export function register(cli: CAC): void {
  cli
    .command('bench <file>', 'Cold versus warm duration, Billed Duration and cost per million invocations')
    .option('--memory <sizes>', 'Memory sizes to price, in MB (default 128,512,1024)')
    .option('--event <file>', 'JSON file with the event each invocation receives (default {})')
    .option('--event-type <type>', 'Built-in sample event: apigw-rest, apigw-http, sqs, ...')
    .option('--cold-samples <n>', 'Fresh environments to time (default 10)')
    .option('--warm-time <ms>', 'Minimum time spent on warm invocations (default 500)')
    .option(
      '--isolation <mode>',
      'inline (default): a fresh module instance per cold start; process: a fresh Node.js process per cold start',
    )
    .option('--json', 'Print the result as one JSON object')
    .example('warmleak bench src/handler.ts#main --memory 128,1024 --event-type apigw-http')
    .example('warmleak bench src/handler.ts --isolation process --cold-samples 5')
    .action(async (file: string, flags: BenchFlags) => {
      if (flags.event !== undefined && flags.eventType !== undefined) {
        throw new UsageError('pass either --event FILE or --event-type TYPE, not both');
      }
      const event =
        flags.event !== undefined
          ? readEventFile(String(flags.event))
          : flags.eventType !== undefined
            ? createEvent(String(flags.eventType))
            : {};
      const result = await benchWarmCold(String(file), {
        event,
        memorySizesMB: flags.memory === undefined ? undefined : parseMemorySizes(flags.memory),
        coldSamples:
          flags.coldSamples === undefined ? undefined : whole('cold-samples', flags.coldSamples, 1),
        warmTimeMs: flags.warmTime === undefined ? undefined : whole('warm-time', flags.warmTime, 0),
        isolation: parseIsolation(flags.isolation),
      });
      process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : formatWarmCold(result));
      // Inline cold starts may leave a handler's timers or sockets behind; they must not keep the CLI running.
      await exitWhenWritten(0);
    });
}
