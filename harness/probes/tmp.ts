// Counts the files and bytes under the environment's private /tmp (Lambda gives 512 MB by default).
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Measurement, Probe, ProbeTarget } from '../types.js';

/** Files (anything not a directory) and their bytes under `dir`, recursively; symlinks are not followed. */
export function measureDirectory(dir: string): { files: number; bytes: number } {
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
        stack.push(path);
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

/** Measures `tmp:files` and `tmp:bytes` under `target.tmpDir`; nothing when the environment has no private /tmp. */
export const tmpProbe: Probe = {
  name: 'tmp',
  kinds: ['tmp'],
  sample(target: ProbeTarget): Measurement[] {
    if (!target.tmpDir) return [];
    const { files, bytes } = measureDirectory(target.tmpDir);
    return [
      { key: 'tmp:files', kind: 'tmp', name: '/tmp', path: 'files', unit: 'files', value: files },
      { key: 'tmp:bytes', kind: 'tmp', name: '/tmp', path: 'bytes', unit: 'bytes', value: bytes },
    ];
  },
};
