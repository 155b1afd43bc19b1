// Lambda's memory arithmetic for a child environment: V8 heap flags from the memory size, and peak resident memory.
import { readFileSync } from 'node:fs';

/**
 * The flags Lambda's Node.js runtime bootstrap (/var/runtime/bootstrap) passes to node:
 * new space = memory / 10, semi space = new space / 2, old space = memory - new space (all MB, integer division).
 * At 128 MB that is --max-semi-space-size=6 --max-old-space-size=116.
 */
export function lambdaHeapFlags(memorySizeMB: number): string[] {
  const newSpace = Math.floor(memorySizeMB / 10);
  const semiSpace = Math.floor(newSpace / 2);
  const oldSpace = memorySizeMB - newSpace;
  return [`--max-semi-space-size=${Math.max(1, semiSpace)}`, `--max-old-space-size=${oldSpace}`];
}

/** Peak resident memory of a live process in MB (VmHWM in /proc/<pid>/status), or undefined where there is no /proc. */
export function peakResidentMB(pid: number | 'self'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Math.ceil(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
