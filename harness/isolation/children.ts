// What every forked environment needs: its worker entry (source or built), tsx's loader, and a kill at exit.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
