// The `warmleak` command line: each command registers itself; this file only wires them and maps errors to exit 2.
import { cac } from 'cac';
import { WarmleakError } from '../errors.js';
import { inert } from '../reporters/escape.js';
import { register as registerBench } from './bench.js';
import { register as registerCheck } from './check.js';
import { exitWhenWritten, guardRun } from './exit.js';
import { register as registerInvoke } from './invoke.js';
import { joinOutputDash } from './output.js';
import { register as registerSimulate } from './simulate.js';
import { warmleakVersion } from './version.js';

const cli = cac('warmleak');

// Command registrations (one line each).
registerCheck(cli);
registerInvoke(cli);
registerSimulate(cli);
registerBench(cli);

cli.help();
cli.version(warmleakVersion());

/** Bad usage and unloadable handlers exit 2 with one line on stderr; leaks are reported by the commands. */
async function fail(error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof WarmleakError || (error instanceof Error && error.name === 'CACError')) {
    process.stderr.write(`warmleak: ${inert(message)}\n`);
    await exitWhenWritten(2);
  }
  throw error;
}

try {
  if (process.argv.length <= 2) {
    // No command is bad usage: say what the commands are, on stderr, and exit 2 like any other usage error.
    process.stderr.write(usage());
    process.exit(2);
  }
  cli.parse(joinOutputDash(process.argv), { run: false });
  if (!cli.matchedCommand && cli.args.length > 0) {
    throw new (await import('../errors.js')).UsageError(
      `unknown command "${cli.args[0]}"; run warmleak --help`,
    );
  }
  const guarded = cli.matchedCommand !== undefined && !cli.options.help && !cli.options.version;
  if (guarded) guardRun();
  await cli.runMatchedCommand();
  // A guarded run keeps the event loop alive on purpose (see guardRun), so it ends here, once output is written.
  if (guarded) await exitWhenWritten(Number(process.exitCode ?? 0));
} catch (error) {
  await fail(error);
}

/** cac's help text (it prints with console.info), captured so that it goes to stderr. */
function usage(): string {
  const info = console.info;
  let text = '';
  console.info = (message: string) => {
    text = message;
  };
  try {
    cli.outputHelp();
  } finally {
    console.info = info;
  }
  return `${text}\n`;
}
