// `warmleak bench <file>`: cold versus warm duration of one handler, with billed duration and cost per memory size.
import { writeSync } from 'node:fs';
import type { CAC } from 'cac';
import { benchWarmCold, formatWarmCold } from '../bench/warm-cold.js';
import { UsageError } from '../errors.js';
import { benchHtml } from '../reporters/bench-html.js';
import { inert } from '../reporters/escape.js';
import { exitBlocked, exitWhenWritten } from './exit.js';
import { addOptions, eventFlag, integerFlag, isolationFlag } from './options.js';
import { outputFile, writeOutput } from './output.js';
import { endIfStuck } from './stuck-loop.js';

/** Lambda's default function timeout; `warmleak bench` runs with it. */
const LAMBDA_TIMEOUT_MS = 3000;

interface BenchFlags {
  memory?: unknown;
  event?: string;
  eventType?: string;
  coldSamples?: unknown;
  warmTime?: unknown;
  isolation?: unknown;
  json?: boolean;
  reporter?: string;
  output?: string;
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

export function register(cli: CAC): void {
  const command = cli.command(
    'bench <file>',
    'Cold versus warm duration, Billed Duration and cost per million invocations',
  );
  addOptions(command, ['memory', 'event', 'eventType'], {
    memory: { flags: '--memory <sizes>', description: 'Memory sizes to price, in MB (default 128,512,1024)' },
  })
    .option('--cold-samples <n>', 'Fresh environments to time (default 10)')
    .option('--warm-time <ms>', 'Minimum time spent on warm invocations (default 500)');
  addOptions(command, ['isolation', 'json', 'output'], {
    isolation: {
      description:
        'inline (default): a fresh module instance per cold start; process: a fresh Node.js process per cold start',
    },
  })
    .option('--reporter <name>', 'Output format: text, json or html (charts of cold against warm and cost)', {
      default: 'text',
    })
    .example('warmleak bench src/handler.ts#main --memory 128,1024 --event-type apigw-http')
    .example('warmleak bench src/handler.ts --isolation process --cold-samples 5')
    .example('warmleak bench src/handler.ts --reporter html --output bench-report.html')
    .action(async (file: string, flags: BenchFlags) => {
      const reporter = flags.json ? 'json' : String(flags.reporter ?? 'text');
      if (!['text', 'json', 'html'].includes(reporter))
        throw new UsageError(`unknown reporter "${reporter}"; use text, json or html`);
      const isolation = isolationFlag(flags.isolation);
      // Inline, a handler's synchronous loop blocks this very thread: a watcher ends it at Lambda's default timeout.
      const watching =
        isolation === 'process'
          ? undefined
          : endIfStuck(LAMBDA_TIMEOUT_MS, (failure) => {
              writeSync(
                2,
                `warmleak: ${inert(String(file))}: ${failure.errorType}: ${failure.errorMessage}\n`,
              );
              return exitBlocked(1);
            });
      const result = await benchWarmCold(String(file), {
        event: eventFlag(flags) ?? {},
        memorySizesMB: flags.memory === undefined ? undefined : parseMemorySizes(flags.memory),
        coldSamples: integerFlag('--cold-samples', flags.coldSamples, 1),
        warmTimeMs: integerFlag('--warm-time', flags.warmTime, 0),
        isolation,
      }).finally(watching);
      const text =
        reporter === 'json'
          ? `${JSON.stringify(result)}\n`
          : reporter === 'html'
            ? benchHtml(result)
            : formatWarmCold(result);
      writeOutput(text, outputFile(flags.output, reporter));
      // Inline cold starts may leave a handler's timers or sockets behind; they must not keep the CLI running.
      await exitWhenWritten(0);
    });
}
