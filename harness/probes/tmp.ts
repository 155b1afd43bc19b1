// Counts the files and bytes under the environment's /tmp (Lambda gives 512 MB by default): its private one, and,
// where the literal /tmp is shared, the entries there that the handler's own fs calls created. Reads only.
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { DIR_VARIABLE } from '../runtime/environment-dir.js';
import type { Measurement, Probe, ProbeTarget } from '../types.js';
import { LITERAL_TMP, recordTmpWrites, sharesLiteralTmp, type TmpWrites } from './tmp-writes.js';

/** warmleak's own directories: environments, runs, snapshots. */
const HARNESS_ENTRY = /^warmleak-/;

/**
 * Files (anything not a directory) and their bytes under `dir`, recursively; symlinks are not followed, and
 * `skip` (the harness's own directories: the run's, bound inside a private /tmp, and the recorder's) are not entered.
 */
export function measureDirectory(
  dir: string,
  skip: ReadonlyArray<string | undefined> = [],
): { files: number; bytes: number } {
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
        if (!skip.includes(path)) stack.push(path);
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

/** Whether an ancestor of `path` below /tmp is in `paths`: then `path` is counted with it, once. */
function underAnother(path: string, paths: ReadonlySet<string>): boolean {
  for (let at = path.lastIndexOf('/'); at > LITERAL_TMP.length; at = path.lastIndexOf('/', at - 1))
    if (paths.has(path.slice(0, at))) return true;
  return false;
}

/**
 * The entries of the shared /tmp the handler's own fs calls created, with everything under them; what others
 * write there is never counted, and none of it is ever touched. One pass: each recorded path is statted once,
 * and the list keeps only those still there (a handler that cleans up leaves nothing in it).
 */
function measureCreated(created: TmpWrites, skip: string): { files: number; bytes: number } {
  const live = new Map<string, Stats>();
  for (const path of created.paths()) {
    if (path.startsWith(skip) || HARNESS_ENTRY.test(path.slice(LITERAL_TMP.length + 1))) continue;
    try {
      live.set(path, lstatSync(path));
    } catch {
      // written and removed by the handler, or removed since
    }
  }
  let files = 0;
  let bytes = 0;
  const paths = new Set(live.keys());
  for (const [path, stat] of live) {
    if (underAnother(path, paths)) continue;
    const inner = stat.isDirectory() ? measureDirectory(path) : { files: 1, bytes: stat.size };
    files += inner.files;
    bytes += inner.bytes;
  }
  created.keep([...paths]);
  return { files, bytes };
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
    start() {
      if (sharesLiteralTmp()) created = recordTmpWrites();
    },
    stop() {
      created?.stop();
      created = undefined;
    },
    sample(target: ProbeTarget): Measurement[] {
      if (!target.tmpDir) return [];
      const own = measureDirectory(target.tmpDir, [process.env[DIR_VARIABLE], created?.dir]);
      const shared = created ? measureCreated(created, `${target.tmpDir}/`) : { files: 0, bytes: 0 };
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
