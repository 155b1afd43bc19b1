// The `warmleak` command line: each command registers itself; this file only wires them and maps errors to exit 2.
import { cac } from 'cac';
import { closestName } from '../closest-name.js';
import { WarmleakError } from '../errors.js';
import { inert } from '../reporters/escape.js';
import { register as registerBench } from './bench.js';
import { register as registerCheck } from './check.js';
import { endWhenOutputCloses, exitWhenWritten, guardRun } from './exit.js';
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
    process.stderr.write(`warmleak: ${inert(withNearestFlag(message))}\n`);
    await exitWhenWritten(2);
  }
  throw error;
}

endWhenOutputCloses();
try {
  if (process.argv.length <= 2) {
    // No command is bad usage: say what the commands are, on stderr, and exit 2 like any other usage error.
    process.stderr.write(usage());
    process.exit(2);
  }
  cli.parse(joinOutputDash(process.argv), { run: false });
  // `warmleak --verison` matches no command: name the typo rather than print nothing and exit 0. After
  // `check --help` cac has printed the command's help and unset the command, leaving its defaults (`--reporter`)
  // in the options: that is not a typo.
  const printed = Boolean(cli.options.help || cli.options.version);
  if (!cli.matchedCommand && !printed) cli.globalCommand.checkUnknownOptions();
  if (!cli.matchedCommand && !printed && cli.args.length > 0) {
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

/** cac's "Unknown option `--invocation`", finished with the fix: the command's nearest flag, or where to look. */
function withNearestFlag(message: string): string {
  // cac names the option as parsed: `--eventTyp` for `--event-typ`.
  const typo = /^Unknown option `--([\w-]+)`$/
    .exec(message)?.[1]
    ?.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  if (!typo) return message;
  const command = cli.matchedCommand;
  const options = [...(command?.options ?? []), ...cli.globalCommand.options];
  const flags = options.flatMap((option) => option.rawName.match(/--[\w-]+/g) ?? []);
  const near = closestName(`--${typo}`, flags);
  return `${message}; ${near ? `did you mean ${near}?` : `run warmleak ${command ? `${command.name} ` : ''}--help`}`;
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
