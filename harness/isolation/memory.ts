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

/**
 * What Lambda's own runtime takes before a handler loads, as Max Memory Used counts it: a bare `node` process with
 * Lambda's heap flags, measured on Node 20 (39 MB resident, 3 MB of heap). warmleak's environment process also
 * holds tsx and the harness (~80 MB resident), which is not the function's: Max Memory Used is this baseline
 * plus what the process gained from the moment the handler began to load.
 */
export const RUNTIME_BASELINE_MB = 40;

/** Max Memory Used as REPORT shows it: the runtime's baseline plus the peak above the memory held at the handler's load. */
export function aboveBaselineMB(peakBytes: number, atLoadBytes: number): number {
  return RUNTIME_BASELINE_MB + Math.ceil(Math.max(0, peakBytes - atLoadBytes) / 1048576);
}

/**
 * The heap the harness keeps in an environment's process beyond what Lambda's runtime keeps (measured: 6.3 MB
 * after loading against 3.0 MB for a bare node, ~8 MB while its probes run). It is added to the old space, so
 * Runtime.OutOfMemory comes when the handler's own heap reaches what Lambda would allow it.
 */
export const HARNESS_HEAP_MB = 8;

/** Lambda's flags with the old space raised by the harness's own heap: the flags an environment process gets. */
export function environmentHeapFlags(memorySizeMB: number): string[] {
  const [semiSpace, oldSpace] = lambdaHeapFlags(memorySizeMB);
  const oldSpaceMB = Number(oldSpace.slice(oldSpace.indexOf('=') + 1)) + HARNESS_HEAP_MB;
  return [semiSpace, `--max-old-space-size=${oldSpaceMB}`];
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

/** Peak resident memory (VmHWM, kB) when the harness's own work began, fixed at its first start. */
let peakBeforeHarnessKB: number | undefined;

/**
 * Runs harness work whose memory is not the function's: a heap snapshot takes native memory of several times the
 * heap (measured: a 128 MB environment with the AWS SDK peaks at ~380 MB resident while writing one), and the
 * allocator keeps it after. So Max Memory Used is the peak when that work first began: the measured
 * invocations come before it, only the snapshot phase's own invocations after.
 */
export function outsideMaxMemory<T>(work: () => T): T {
  peakBeforeHarnessKB ??= ownStatusKB('VmHWM');
  return work();
}

/** Resident memory (kB) when the handler began to load; what the process held before is the harness's. */
let residentAtLoadKB: number | undefined;

/** Call just before the environment loads the handler. */
export function markHandlerLoad(): void {
  residentAtLoadKB = ownStatusKB('VmRSS');
}

/**
 * Max Memory Used of this process in MB, as Lambda's REPORT line would show it: the runtime's baseline plus the
 * peak the process reached above its memory when the handler began to load, leaving out the harness's own work.
 */
export function maxMemoryUsedMB(): number | undefined {
  const peak = peakBeforeHarnessKB ?? ownStatusKB('VmHWM');
  if (peak === undefined) return undefined;
  if (residentAtLoadKB === undefined) return Math.ceil(peak / 1024);
  return aboveBaselineMB(peak * 1024, residentAtLoadKB * 1024);
}

/** A memory field of this process's /proc status in kB (VmHWM: peak resident, VmRSS: resident now). */
function ownStatusKB(field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(
      readFileSync('/proc/self/status', 'utf8'),
    );
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
