// Where an environment keeps its /tmp: inside the directory of the warmleak run that owns it, else the OS temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { callerVariable } from './lambda-env.js';

/**
 * Set by the warmleak process that owns the environments (the CLI, a forked environment's parent) to a directory it
 * removes however it ends, so that no `warmleak-env-*` directory outlives a killed environment.
 */
export const DIR_VARIABLE = 'WARMLEAK_TMPDIR';

/**
 * Set in a process environment whose /tmp is its own (a private mount namespace, isolation/private-tmp.ts): the
 * environment then uses /tmp itself, as Lambda does, and leaves it to vanish with the process.
 */
export const PRIVATE_TMP_VARIABLE = 'WARMLEAK_PRIVATE_TMP';

/**
 * The caller's temp directory as os.tmpdir() reads it (TMPDIR, TMP, TEMP, else /tmp), but from the caller's variables:
 * a live inline environment's TMPDIR is its own /tmp, which goes when that environment does.
 */
function callerTmpdir(): string {
  const dir = callerVariable('TMPDIR') || callerVariable('TMP') || callerVariable('TEMP') || '/tmp';
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

/** A new, empty `warmleak-env-*` directory. A missing or read-only TMPDIR is one line naming the fix. */
export function makeEnvironmentDir(): string {
  const root = callerVariable(DIR_VARIABLE) || callerTmpdir();
  try {
    return mkdtempSync(join(root, 'warmleak-env-'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(
      `cannot create a directory in ${root} (${code}); set TMPDIR to an existing, writable directory`,
    );
  }
}

/**
 * Removes an environment's directory. A process the handler left (Chromium writing its org.chromium.Chromium.*
 * profile as it is killed) can add entries while rm runs: rm retries on ENOTEMPTY and friends, and what still
 * cannot go is left to the run directory's removal and the watchdog rather than thrown into a dispose.
 */
export function removeEnvironmentDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  } catch {
    // the owner's sweep takes it
  }
}
