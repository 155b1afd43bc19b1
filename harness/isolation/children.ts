// What every forked environment needs: its worker entry (source or built), tsx's loader, and a kill at exit.
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { environmentHeapFlags } from './memory.js';

const live = new Set<ChildProcess>();
let cleanupInstalled = false;

/** Children must not outlive warmleak, whatever ends it; call `forget` once the child has exited. */
export function track(child: ChildProcess): { forget(): void } {
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.once('exit', () => {
      for (const running of live) running.kill('SIGKILL');
    });
  }
  live.add(child);
  return { forget: () => live.delete(child) };
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

export interface ForkedEnvironment {
  child: ChildProcess;
  /** Call once the child has exited. */
  forget(): void;
  /** Why the child could not be spawned or messaged, if it could not. */
  spawnError(): Error | undefined;
  /** The last 16 KB of the child's stderr (Node's out-of-memory report, a crash's last line). */
  stderr(): string;
}

/**
 * A Lambda environment's process: Lambda's heap flags and memory variable, the handler's stdout dropped (`--json`
 * must own stdout, and logs are in the transcript anyway), stderr kept for diagnosis, killed if warmleak exits.
 */
export function forkEnvironment(
  entry: string,
  execArgv: string[],
  memorySizeMB: number,
  cwd?: string,
): ForkedEnvironment {
  const child = fork(entry, [], {
    cwd,
    execArgv: [...execArgv, ...environmentHeapFlags(memorySizeMB)],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
    env: { ...process.env, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySizeMB) },
  });
  const tracked = track(child);
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
  return { child, forget: tracked.forget, spawnError: () => spawnError, stderr: () => stderr };
}
