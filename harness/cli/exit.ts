// How the CLI ends: after stdout and stderr are written, and on SIGINT/SIGTERM/SIGHUP after every environment's
// process tree is ended; a watchdog ends them if the CLI is killed outright.
import { rmSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { endAllEnvironments } from '../isolation/children.js';
import { endProcessTrees, MARKER_VARIABLE } from '../isolation/process-tree.js';
import { retainWatchdog, tellWatchdog } from '../isolation/watchdog.js';
import { DIR_VARIABLE, makeEnvironmentDir } from '../runtime/environment-dir.js';

// Captured before any environment exists: inline, an environment turns `process.exit` into the handler's
// Runtime.ExitError, and warmleak's own exit must not be mistaken for one.
const exit: (code: number) => never = process.exit.bind(process);

/** Processes a handler started inside the CLI's own process (inline isolation, `invoke`) carry this marker. */
let inlineMarker: string | undefined;
let runDir: string | undefined;

/** Ends what inline handlers left running (a double-forked daemon included); spares the CLI itself. */
export function endInlineProcesses(): number {
  return inlineMarker ? endProcessTrees([{ marker: inlineMarker }]) : 0;
}

function endEverything(): void {
  endAllEnvironments();
  endInlineProcesses();
  if (runDir) rmSync(runDir, { recursive: true, force: true });
}

function interrupted(signal: NodeJS.Signals): void {
  endEverything();
  try {
    // Synchronous: the process exits right after, and a short line fits any pipe.
    writeSync(
      2,
      `warmleak: interrupted by ${signal}; every environment and every process it started was ended\n`,
    );
  } catch {
    // stderr is gone; the exit code still says why
  }
  exit(128 + constants.signals[signal]);
}

/**
 * Before a command runs handlers: a run directory that holds every environment's /tmp, the marker inline
 * handlers' processes inherit, the signal handlers, and the watchdog (it removes the directory and ends the
 * marked processes if this process dies without running any of this).
 */
export function guardRun(): void {
  runDir = makeEnvironmentDir();
  // Held for the whole run (never released): the watchdog lives exactly as long as the CLI.
  inlineMarker = `${retainWatchdog()}cli`;
  process.env[DIR_VARIABLE] = runDir;
  process.env[MARKER_VARIABLE] = inlineMarker;
  tellWatchdog('dir', runDir);
  process.once('exit', endEverything);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, interrupted);
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    // Write callbacks run in order: this one runs once everything written before it has reached the pipe.
    stream.write('', () => resolve());
  });
}

/**
 * Exits with `code` once stdout and stderr have drained. `process.exit` right after a write to a pipe drops what
 * did not fit in its 64 KiB buffer (`check --json | jq`); a handler's leftover handles must not keep the CLI alive.
 */
export async function exitWhenWritten(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  exit(code);
}
