// `warmleak invoke <file>`: loads a handler once and prints the Lambda log transcript of N warm invocations.
import type { CAC } from 'cac';
import { UsageError } from '../errors.js';
import { createEvent, EVENT_TYPES, eventType } from '../events/index.js';
import { Environment, LAMBDA_RUNTIMES } from '../runtime/environment.js';
import { readEventFile } from '../runtime/event-source.js';
import type { LambdaRuntime } from '../runtime/types.js';

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
    .option('--event-type <type>', `Built-in sample event: ${EVENT_TYPES.join(', ')}`)
    .option('-n, --invocations <n>', 'Number of invocations', { default: 3 })
    .option(
      '--fresh',
      'Re-create the module for every invocation, the way local emulators do (hides warm state)',
    )
    .option('--timeout <ms>', 'Function timeout in ms (Lambda default 3000)')
    .option('--memory <mb>', 'Memory size in MB (Lambda default 128)')
    .option('--runtime <runtime>', `Lambda runtime: ${LAMBDA_RUNTIMES.join(', ')} (default: this Node's)`)
    .example('warmleak invoke src/handler.ts -n 3')
    .example('warmleak invoke src/orders.ts#main --event-type sqs --fresh')
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
        ? createEvent(eventType(String(flags.eventType)))
        : {};
  const environment = await Environment.create(file, {
    fresh: flags.fresh === true,
    timeoutMs,
    memorySizeMB,
    runtime: flags.runtime as LambdaRuntime | undefined,
  });
  let failed = 0;
  try {
    for (let index = 0; index < invocations; index += 1) {
      // Lambda hands every invocation its own deserialised copy of the event.
      const result = await environment.invoke(structuredClone(event));
      if (result.error) failed += 1;
      // The payload Lambda would return: the response, or the error object of a failed invocation.
      const payload = result.error ?? result.response ?? null;
      process.stdout.write(`${result.logLines.join('\n')}\nResponse: ${responseText(payload)}\n`);
    }
  } finally {
    await environment.dispose();
  }
  if (failed === invocations)
    process.stderr.write(
      `warmleak: all ${invocations} invocations failed (each error is in the transcript); pass the event the handler expects with --event or --event-type\n`,
    );
  // A handler may leave timers or sockets open (that is what warmleak looks for); do not wait for them.
  process.exit(failed === invocations ? 1 : 0);
}

/** One line of JSON (which escapes C0 controls); C1 controls and line separators are escaped too, so a response cannot drive the terminal. */
function responseText(payload: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(payload) ?? 'null';
  } catch (error) {
    text = `(not serialisable: ${error instanceof Error ? error.message : String(error)})`;
  }
  return text.replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function positiveInteger(value: string | number, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new UsageError(`${flag} must be a positive whole number, got "${value}"`);
  }
  return number;
}
