// Counts the files and bytes under the environment's /tmp (Lambda gives 512 MB by default): its private one, and,
// where the literal /tmp is shared, the entries there that the handler's own fs calls created. Reads only.
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DIR_VARIABLE } from '../runtime/environment-dir.js';
import type { Measurement, Probe, ProbeTarget } from '../types.js';
import { LITERAL_TMP, recordTmpWrites } from './tmp-writes.js';

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

/** The one of `paths` (or an ancestor of it) that was recorded, nearest /tmp, so that nested entries count once. */
function recordedAncestor(path: string, paths: ReadonlySet<string>): string {
  let top = path;
  for (let at = path.lastIndexOf('/'); at > LITERAL_TMP.length; at = path.lastIndexOf('/', at - 1)) {
    const parent = path.slice(0, at);
    if (paths.has(parent)) top = parent;
  }
  return top;
}

/**
 * The entries of the shared /tmp the handler's own fs calls created, with everything under them; what others
 * write there is never counted, and none of it is ever touched.
 */
function measureCreated(paths: ReadonlySet<string>, skip: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const path of paths) {
    if (path.startsWith(skip) || HARNESS_ENTRY.test(path.slice(LITERAL_TMP.length + 1))) continue;
    if (recordedAncestor(path, paths) !== path) continue;
    try {
      const stat = lstatSync(path);
      if (stat.isDirectory()) {
        const inner = measureDirectory(path);
        files += inner.files;
        bytes += inner.bytes;
      } else {
        files += 1;
        bytes += stat.size;
      }
    } catch {
      // written and removed by the handler, or removed since
    }
  }
  return { files, bytes };
}

/** Forgets recorded paths that are gone, so that a handler that cleans up leaves nothing in the bookkeeping. */
function pruneGone(paths: Set<string>): void {
  for (const path of paths) if (!existsSync(path)) paths.delete(path);
}

/**
 * Measures `tmp:files` and `tmp:bytes`: the environment's private /tmp (in a process environment on Linux as root,
 * the literal /tmp itself), plus, where /tmp is shared, the entries the handler created in it since `start`.
 */
export function createTmpProbe(): Probe {
  let created: ReturnType<typeof recordTmpWrites> | undefined;
  return {
    name: 'tmp',
    kinds: ['tmp'],
    start(target: ProbeTarget) {
      if (target.tmpDir !== LITERAL_TMP) created = recordTmpWrites();
    },
    stop() {
      created?.stop();
      created = undefined;
    },
    compact() {
      if (created) pruneGone(created.paths);
    },
    sample(target: ProbeTarget): Measurement[] {
      if (!target.tmpDir) return [];
      const own = measureDirectory(target.tmpDir, process.env[DIR_VARIABLE]);
      const shared = created ? measureCreated(created.paths, `${target.tmpDir}/`) : { files: 0, bytes: 0 };
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
