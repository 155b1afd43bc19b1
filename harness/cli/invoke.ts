// `warmleak invoke <file>`: loads a handler once and prints the Lambda log transcript of N warm invocations.
import { once } from 'node:events';
import type { CAC } from 'cac';
import { UsageError } from '../errors.js';
import { createEvent } from '../events/index.js';
import { Environment, LAMBDA_RUNTIMES } from '../runtime/environment.js';
import { readEventFile } from '../runtime/event-source.js';
import type { LambdaRuntime } from '../runtime/types.js';
import { endInlineProcesses, exitWhenWritten } from './exit.js';

interface InvokeFlags {
  event?: string;
  eventType?: string;
  invocations?: string | number;
  fresh?: boolean;
  timeout?: string | number;
  memory?: string | number;
  runtime?: string;
}

export function register(cli: CAC): void {
  cli
    .command(
      'invoke <file>',
      'Invoke a handler N times in one warm environment and print the Lambda log transcript',
    )
    .option('--event <file>', 'JSON file with the event each invocation receives (default {})')
    .option(
      '--event-type <type>',
      'Built-in sample event: apigw-rest, apigw-http, function-url, alb, sqs, sns, ...',
    )
    .option('-n, --invocations <n>', 'Number of invocations', { default: 3 })
    .option(
      '--fresh',
      'Re-create the module for every invocation, the way local emulators do (hides warm state)',
    )
    .option('--timeout <ms>', 'Function timeout in ms (Lambda default 3000)')
    .option('--memory <mb>', 'Memory size in MB (Lambda default 128)')
    .option('--runtime <runtime>', `Lambda runtime: ${LAMBDA_RUNTIMES.join(', ')} (default: this Node's)`)
    .example('warmleak invoke specs/fixtures/arrays.cjs -n 3')
    .action(async (file: string, flags: InvokeFlags) => {
      await invoke(file, flags);
    });
}

async function invoke(file: string, flags: InvokeFlags): Promise<void> {
  const invocations = positiveInteger(flags.invocations ?? 3, '--invocations');
  const timeoutMs = flags.timeout === undefined ? undefined : positiveInteger(flags.timeout, '--timeout');
  const memorySizeMB = flags.memory === undefined ? undefined : positiveInteger(flags.memory, '--memory');
  if (flags.event !== undefined && flags.eventType !== undefined) {
    throw new UsageError('pass either --event FILE or --event-type TYPE, not both');
  }
  if (flags.runtime !== undefined && !LAMBDA_RUNTIMES.includes(flags.runtime as LambdaRuntime)) {
    throw new UsageError(`unknown runtime "${flags.runtime}"; use one of ${LAMBDA_RUNTIMES.join(', ')}`);
  }
  const event =
    flags.event !== undefined
      ? readEventFile(flags.event)
      : flags.eventType !== undefined
        ? createEvent(String(flags.eventType))
        : {};
  const environment = await Environment.create(file, {
    fresh: flags.fresh === true,
    timeoutMs,
    memorySizeMB,
    runtime: flags.runtime as LambdaRuntime | undefined,
  });
  try {
    for (let index = 0; index < invocations; index += 1) {
      // Lambda hands every invocation its own deserialised copy of the event.
      const result = await environment.invoke(structuredClone(event));
      // A reader slower than the handler (a pipe) must not make the transcript pile up in memory.
      if (!process.stdout.write(`${result.logLines.join('\n')}\n`)) await once(process.stdout, 'drain');
    }
  } finally {
    await environment.dispose();
    endInlineProcesses();
  }
  // A handler may leave timers or sockets open (that is what warmleak looks for); do not wait for them.
  await exitWhenWritten(0);
}

function positiveInteger(value: string | number, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new UsageError(`${flag} must be a positive whole number, got "${value}"`);
  }
  return number;
}
