// What every forked environment needs: its worker entry (source or built), tsx's loader, and a kill at exit.
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DIR_VARIABLE,
  makeEnvironmentDir,
  PRIVATE_TMP_VARIABLE,
  removeEnvironmentDir,
} from '../runtime/environment-dir.js';
import { environmentHeapFlags } from './memory.js';
import { privateTmpFork } from './private-tmp.js';
import { endProcessTrees, MARKER_VARIABLE, startTimeOf, type TreeIdentity } from './process-tree.js';
import { releaseWatchdog, retainWatchdog, tellWatchdog } from './watchdog.js';

interface Live {
  identity: TreeIdentity;
  dir: string;
}

const live = new Set<Live>();
let exitHookInstalled = false;
let forked = 0;

/** Ends one environment's whole process tree and removes its directory; safe to call twice. */
function end(environment: Live): void {
  if (!live.delete(environment)) return;
  const session = environment.identity.session;
  if (session !== undefined) {
    try {
      // Its own process group: the one signal that also works where /proc does not (macOS).
      process.kill(-session, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  endProcessTrees([environment.identity]);
  removeEnvironmentDir(environment.dir);
  if (session !== undefined) tellWatchdog('forget-session', session);
  tellWatchdog('forget-dir', environment.dir);
  releaseWatchdog();
}

/**
 * Ends every live environment's process tree and removes its directory, synchronously: for a signal handler and
 * for process exit. Returns how many environments were running.
 */
export function endAllEnvironments(): number {
  const count = live.size;
  for (const environment of [...live]) end(environment);
  return count;
}

/** The first of `candidates` that exists next to `fromUrl`: the `.ts` from source, the `.js` once built next to dist/cli.js. */
export function workerEntry(fromUrl: string, candidates: string[], what: string): string {
  for (const candidate of candidates) {
    const path = fileURLToPath(new URL(candidate, fromUrl));
    if (existsSync(path)) return path;
  }
  throw new Error(`warmleak: ${what} not found next to the CLI; the package build is incomplete`);
}

/** tsx's loader, resolved from warmleak's own install, so TypeScript loads in the child without a build step. */
export function tsxLoader(fromUrl: string): string {
  return pathToFileURL(createRequire(fromUrl).resolve('tsx')).href;
}

const TYPESCRIPT = /\.[cm]?tsx?$/;

export function isTypeScript(file: string): boolean {
  return TYPESCRIPT.test(file);
}

/**
 * Node flags for a worker `entry` that will load `handlerFile`: tsx's loader only when something to load is
 * TypeScript (the worker run from source, or the handler), so a JavaScript handler's environment starts as plain
 * `node` does, and a TypeScript handler's Init Duration does not include starting tsx.
 */
export function workerExecArgv(entry: string, handlerFile: string, fromUrl: string): string[] {
  return TYPESCRIPT.test(handlerFile)
    ? ['--import', tsxLoader(fromUrl)]
    : environmentExecArgv(entry, fromUrl);
}

/**
 * Node flags for a process environment's worker `entry`: tsx's loader only for the worker run from source. The
 * built worker registers tsx itself before a TypeScript handler's first load (loader.ts), so its own modules load
 * natively, not each through tsx's hooks thread (200-400 ms of a TypeScript environment's start under load).
 */
export function environmentExecArgv(entry: string, fromUrl: string): string[] {
  return TYPESCRIPT.test(entry) ? ['--import', tsxLoader(fromUrl)] : [];
}

/**
 * `WARMLEAK_CPU_PROF=<dir>` writes a CPU profile of every environment's process there (NODE_OPTIONS refuses
 * --cpu-prof): where an environment's time goes, for the bench's unmet targets.
 */
function profileFlags(): string[] {
  const dir = process.env.WARMLEAK_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

export interface ForkedEnvironment {
  child: ChildProcess;
  /** The environment's own directory: its TMPDIR, removed with it. */
  dir: string;
  /** Call once the child has exited: ends what it left running (its whole tree) and removes `dir`. */
  end(): void;
  /** Why the child could not be spawned or messaged, if it could not. */
  spawnError(): Error | undefined;
  /** The last 16 KB of the child's stderr (Node's out-of-memory report, a crash's last line). */
  stderr(): string;
  /** A spare waiting for its environment: neither the process nor its pipes keep warmleak alive. */
  idle(): void;
  /** Taken for an environment: warmleak waits for it again. */
  hold(): void;
}

/**
 * A Lambda environment's process: Lambda's heap flags and memory variable, the handler's stdout dropped (`--json`
 * must own stdout, and logs are in the transcript anyway), stderr kept for diagnosis. It leads its own session
 * and process group and carries a marker variable, so that its whole tree can be ended: when it exits, when
 * warmleak is interrupted, and by the watchdog when warmleak itself is killed.
 */
export function forkEnvironment(
  entry: string,
  execArgv: string[],
  memorySizeMB: number,
  cwd?: string,
  args: string[] = [],
): ForkedEnvironment {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', endAllEnvironments);
  }
  const dir = makeEnvironmentDir();
  forked += 1;
  const marker = `${retainWatchdog()}${forked}`;
  const nodeArgs = [...execArgv, ...environmentHeapFlags(memorySizeMB), ...profileFlags()];
  // Its own /tmp where the platform allows, as Lambda gives every environment.
  const privateTmp = privateTmpFork(entry, nodeArgs, cwd ?? process.cwd(), dir);
  const child = fork(entry, args, {
    cwd,
    execPath: privateTmp?.execPath,
    execArgv: privateTmp?.execArgv ?? nodeArgs,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
    detached: true,
    // The environment's own /tmp lives inside `dir`, so removing `dir` removes it whatever ended the environment.
    env: {
      ...process.env,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySizeMB),
      [MARKER_VARIABLE]: marker,
      [DIR_VARIABLE]: dir,
      ...(privateTmp ? { [PRIVATE_TMP_VARIABLE]: '/tmp' } : {}),
    },
  });
  // Its descendants all start after it: only those have their environment read for the marker when it ends.
  const identity = { marker, session: child.pid, startedAfter: startTimeOf(child.pid) };
  const environment: Live = { identity, dir };
  live.add(environment);
  tellWatchdog('dir', dir);
  if (child.pid !== undefined) tellWatchdog('session', child.pid);
  // A child that cannot be spawned or messaged ends in 'exit' too; without a listener 'error' would throw here.
  let spawnError: Error | undefined;
  child.on('error', (error) => {
    spawnError = error;
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-16_384);
  });
  const handles = () => [child, child.channel, child.stderr] as ({ ref?(): void; unref?(): void } | null)[];
  return {
    child,
    dir,
    end: () => end(environment),
    spawnError: () => spawnError,
    stderr: () => stderr,
    idle: () => {
      for (const handle of handles()) handle?.unref?.();
    },
    hold: () => {
      for (const handle of handles()) handle?.ref?.();
    },
  };
}
