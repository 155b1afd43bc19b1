// Fault injection, environment directories: a library (inline) check on a handler that leaves headless Chromium running (its
// org.chromium.Chromium.* entries still being written at dispose) leaves no warmleak-env-* directory, and a missing
// TMPDIR is one line naming the fix. Adds ~40 s (a Chromium check).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HANDLE_KINDS } from '../harness/assert/matchers.js';
import { expectNoStateLeak, runCheck } from '../harness/index.js';
import { CHROMIUM } from './fixtures/chromium-options.js';

let dir: string;
let previous: string | undefined;
beforeEach(() => {
  // Short: Chromium's socket (TMPDIR/warmleak-env-*/org.chromium.Chromium.*/SingletonSocket) must fit a Unix
  // socket path's 108 bytes under the suite's own TMPDIR.
  dir = mkdtempSync(join(tmpdir(), 'f'));
  previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
});
afterEach(() => {
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  rmSync(dir, { recursive: true, force: true });
});

describe('environment directories', () => {
  it.skipIf(!existsSync(CHROMIUM))(
    'a library (inline) check on a handler that never closes Chromium leaves no warmleak-env-* directory',
    async () => {
      const report = await runCheck('specs/fixtures/screenshot-browser-leak.ts', {
        kinds: HANDLE_KINDS,
        // Chromium's launch on a loaded 2-core machine takes seconds.
        timeoutMs: 20_000,
      });
      expect(report.verdict).toBe('leak');
      expect(readdirSync(dir).filter((name) => name.startsWith('warmleak-env-'))).toEqual([]);
    },
    120_000,
  );

  it('a missing TMPDIR is one line naming the fix', async () => {
    const missing = join(dir, 'missing');
    process.env.TMPDIR = missing;
    await expect(expectNoStateLeak('specs/fixtures/arrays.cjs')).rejects.toThrow(
      new RegExp(
        `^cannot create a directory in ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(ENOENT\\); set TMPDIR to an existing, writable directory$`,
      ),
    );
    expect(existsSync(missing)).toBe(false);
  });
});
