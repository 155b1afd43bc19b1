// `warmleak invoke <file>`: loads a handler once and prints the Lambda log transcript of N warm invocations.
import { once } from 'node:events';
import type { CAC } from 'cac';
import { inert, inertJson, inertLines } from '../reporters/escape.js';
import { Environment } from '../runtime/environment.js';
import { loadFirstHandlerNatively } from '../runtime/loader.js';
import { endInlineProcesses, exitWhenWritten } from './exit.js';
import { addOptions, eventFlag, integerFlag, runtimeFlag, timeoutFlag } from './options.js';

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
  const command = cli.command(
    'invoke <file>',
    'Invoke a handler N times in one warm environment and print the Lambda log transcript',
  );
  addOptions(command, ['event', 'eventType', 'invocations', 'timeout', 'memory', 'runtime'], {
    invocations: { flags: '-n, --invocations <n>', description: 'Number of invocations', default: 3 },
    timeout: { description: 'Function timeout in ms (Lambda default 3000)' },
    memory: { description: 'Memory size in MB (Lambda default 128)' },
  })
    .option(
      '--fresh',
      'Re-create the module for every invocation, the way local emulators do (hides warm state)',
    )
    .example('warmleak invoke src/handler.ts -n 3')
    .example('warmleak invoke src/orders.ts#main --event-type sqs --fresh')
    .action(async (file: string, flags: InvokeFlags) => {
      await invoke(file, flags);
    });
}

async function invoke(file: string, flags: InvokeFlags): Promise<void> {
  const invocations = integerFlag('--invocations', flags.invocations ?? 3, 1) ?? 3;
  const event = eventFlag(flags) ?? {};
  // This process holds one environment: a JavaScript handler loads as Lambda loads it, without tsx.
  loadFirstHandlerNatively();
  const environment = await Environment.create(file, {
    fresh: flags.fresh === true,
    timeoutMs: timeoutFlag(flags.timeout),
    memorySizeMB: integerFlag('--memory', flags.memory, 1),
    runtime: runtimeFlag(flags.runtime),
  });
  let failed = 0;
  try {
    for (let index = 0; index < invocations; index += 1) {
      // Lambda hands every invocation its own deserialised copy of the event.
      const result = await environment.invoke(structuredClone(event));
      if (result.error) failed += 1;
      // The payload Lambda would return: the response, or the error object of a failed invocation.
      const payload = result.error ?? result.response ?? null;
      // The handler's lines are its own, but not its terminal's or CI's: escaped, continuation lines indented.
      const lines = result.logLines.map((line) => inertLines(line, '    '));
      const text = `${lines.join('\n')}\nResponse: ${responseText(payload)}\n`;
      // A reader slower than the handler (a pipe) must not make the transcript pile up in memory.
      if (!process.stdout.write(text)) await once(process.stdout, 'drain');
    }
  } finally {
    await environment.dispose();
    endInlineProcesses();
  }
  if (failed === invocations)
    process.stderr.write(
      `warmleak: all ${invocations} invocations failed (each error is in the transcript); pass the event the handler expects with --event or --event-type\n`,
    );
  // A handler may leave timers or sockets open (that is what warmleak looks for); do not wait for them.
  await exitWhenWritten(failed === invocations ? 1 : 0);
}

/** One line of JSON (which escapes C0 controls), with the characters it leaves raw escaped too. */
function responseText(payload: unknown): string {
  try {
    return inertJson(JSON.stringify(payload) ?? 'null');
  } catch (error) {
    return inert(`(not serialisable: ${error instanceof Error ? error.message : String(error)})`);
  }
}
