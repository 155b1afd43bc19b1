// How the CLI ends: after stdout and stderr are written, and on SIGINT/SIGTERM/SIGHUP after every environment's
// process tree is ended; a watchdog ends them if the CLI is killed outright.
import { closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { endAllEnvironments } from '../isolation/children.js';
import { endProcessTrees, MARKER_VARIABLE } from '../isolation/process-tree.js';
import { retainWatchdog, tellWatchdog } from '../isolation/watchdog.js';
import { readProcessTable } from '../probes/processes.js';
import { DIR_VARIABLE, makeEnvironmentDir } from '../runtime/environment-dir.js';

// Captured before any environment exists: inline, an environment turns `process.exit` into the handler's
// Runtime.ExitError, and warmleak's own exit must not be mistaken for one.
const originalExit = process.exit;
let exiting = false;
function exit(code: number): never {
  exiting = true;
  return originalExit.call(process, code);
}

type ReallyExit = (code?: number) => never;
const host = process as unknown as { reallyExit: ReallyExit };
const reallyExit = host.reallyExit;
let redirecting = false;

/**
 * `process.reallyExit` is what `process.exit` calls after the 'exit' event; a handler calling it directly would
 * skip the environment's `process.exit` hook and end the CLI with its code (0: a pass). While an inline
 * environment lives, it goes through `process.exit` instead, which reports Runtime.ExitError as in a process.
 */
function guardReallyExit(): void {
  host.reallyExit = (code?: number): never => {
    if (exiting || redirecting || process.exit === originalExit) return reallyExit.call(process, code);
    redirecting = true;
    try {
      return process.exit(code);
    } finally {
      redirecting = false;
    }
  };
}

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
 * `npx warmleak` runs warmleak under `npm exec` (through `sh`, or tsx in development), and npm dies on SIGTERM
 * without passing it on: warmleak would keep running, reparented. When the npm that launched it is gone, act as on
 * SIGTERM. Only npm: a user who starts warmleak with `nohup` or `&` and leaves means it to keep running.
 */
function endWithLauncher(): void {
  const table = readProcessTable();
  let pid = process.ppid;
  for (let depth = 0; depth < 4 && pid > 1; depth += 1) {
    const entry = table.get(pid);
    if (!entry) return;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      return;
    }
    if (/^(npm exec|npx)\b|\/np[mx]-cli\.js exec\b/.test(cmdline)) {
      const { startTime } = entry;
      const launcher = pid;
      setInterval(() => {
        if (readProcessTable().get(launcher)?.startTime !== startTime) interrupted('SIGTERM');
      }, 250).unref();
      return;
    }
    pid = entry.ppid;
  }
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
  endWithLauncher();
  guardReallyExit();
  // Lambda's runtime keeps polling for the next event: inline, a handler's promise that never settles must reach
  // its (unref'd) timeout, not let Node end the CLI with exit 13 and no output.
  setInterval(() => {}, 2 ** 31 - 1);
}

/**
 * Ends the process from a thread a handler's synchronous loop blocked (stuck-loop.ts): what it had to say is
 * written; the 'exit' handlers end every environment and every process the handlers started.
 */
export function exitBlocked(code: number): never {
  // The inspector session that interrupted the thread is still connected, and Node would add "Waiting for the
  // debugger to disconnect..." to stderr as it exits: nothing else is written there from here on.
  try {
    closeSync(2);
  } catch {
    // already closed
  }
  return exit(code);
}

/**
 * `warmleak check | head -1`: the reader is gone, and the next write fails with EPIPE. Node ignores SIGPIPE, so
 * without this the CLI would die on an unhandled 'error' event with a stack trace, or, for stderr, lose its
 * voice mid-run. Do what a Unix tool does on SIGPIPE instead: stop, and exit 128 + SIGPIPE (141); the 'exit'
 * handlers end every environment and everything it started. stderr gone alone is not a reason to stop.
 */
export function endWhenOutputCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    exit(128 + constants.signals.SIGPIPE);
  });
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
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
