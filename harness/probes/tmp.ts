// Counts the files and bytes under the environment's /tmp (Lambda gives 512 MB by default): its private one, and,
// where the literal /tmp is shared, the entries that appeared there after the environment started. Reads only.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DIR_VARIABLE } from '../runtime/environment-dir.js';
import type { Measurement, Probe, ProbeTarget } from '../types.js';

/** The literal /tmp, which AWS documents and handlers write to by name (`/tmp/${key}`). */
const LITERAL_TMP = '/tmp';
/** warmleak's own directories: environments, runs, snapshots. */
const HARNESS_ENTRY = /^warmleak-/;

/**
 * Files (anything not a directory) and their bytes under `dir`, recursively; symlinks are not followed, and
 * `skip` (the harness's own directory, bound inside a private /tmp) is not entered.
 */
export function measureDirectory(dir: string, skip?: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue; // removed while we walked, or unreadable
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (path !== skip) stack.push(path);
        continue;
      }
      files += 1;
      try {
        bytes += lstatSync(path).size;
      } catch {
        files -= 1;
      }
    }
  }
  return { files, bytes };
}

/**
 * Entries of the shared /tmp the environment may have created: absent when it started, and not warmleak's. Nothing
 * tells who created a file, so a process writing there at the same time counts too; none of it is ever touched.
 */
function measureNewEntries(existing: ReadonlySet<string>): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  let names: string[];
  try {
    names = readdirSync(LITERAL_TMP);
  } catch {
    return { files, bytes };
  }
  for (const name of names) {
    if (existing.has(name) || HARNESS_ENTRY.test(name)) continue;
    const path = join(LITERAL_TMP, name);
    try {
      if (lstatSync(path).isDirectory()) {
        const inner = measureDirectory(path);
        files += inner.files;
        bytes += inner.bytes;
      } else {
        files += 1;
        bytes += lstatSync(path).size;
      }
    } catch {
      // removed while we looked
    }
  }
  return { files, bytes };
}

/**
 * Measures `tmp:files` and `tmp:bytes`: the environment's private /tmp (in a process environment on Linux as root,
 * the literal /tmp itself), plus, where /tmp is shared, what appeared in it since `start`.
 */
export function createTmpProbe(): Probe {
  let existing: Set<string> | undefined;
  return {
    name: 'tmp',
    kinds: ['tmp'],
    start(target: ProbeTarget) {
      if (target.tmpDir === LITERAL_TMP) return;
      try {
        existing = new Set(readdirSync(LITERAL_TMP));
      } catch {
        existing = undefined;
      }
    },
    sample(target: ProbeTarget): Measurement[] {
      if (!target.tmpDir) return [];
      const own = measureDirectory(target.tmpDir, process.env[DIR_VARIABLE]);
      const shared = existing ? measureNewEntries(existing) : { files: 0, bytes: 0 };
      return [
        {
          key: 'tmp:files',
          kind: 'tmp',
          name: '/tmp',
          path: 'files',
          unit: 'files',
          value: own.files + shared.files,
        },
        {
          key: 'tmp:bytes',
          kind: 'tmp',
          name: '/tmp',
          path: 'bytes',
          unit: 'bytes',
          value: own.bytes + shared.bytes,
        },
      ];
    },
  };
}
