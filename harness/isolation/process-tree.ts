// Finds and ends every process an environment started, even ones that double-forked away from their parent.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ProcessEntry, processTree, readProcessEntry, readProcessTable } from '../probes/processes.js';

/**
 * Every environment's process carries this variable and its descendants inherit it, so a daemon reparented to init
 * (`sh -c 'node x &'`) can still be found on Linux; Node offers no subreaper (PR_SET_CHILD_SUBREAPER).
 */
export const MARKER_VARIABLE = 'WARMLEAK_ENVIRONMENT';

let host: string | undefined;

/**
 * One id per warmleak process (the CLI, a test runner's worker): its environments' markers start with it. Made on
 * first use: an environment's own process carries its marker in its environment and never makes one.
 */
export function hostMarker(): string {
  host ??= `${process.pid}-${randomUUID().slice(0, 8)}`;
  return host;
}

/** What identifies one environment's processes: its marker, and the session its process leads. */
export interface TreeIdentity {
  /** Matches the variable's value exactly, or as a prefix when it ends in `.`. */
  marker: string;
  /** The environment's pid when it runs in its own session (forked `detached`). */
  session?: number;
  /** Processes to spare: warmleak's own. */
  except?: number[];
  /**
   * When the marker was set (clock ticks since boot, as /proc/<pid>/stat's start time): a process started before
   * cannot carry it, so only later ones have their environment read (reading every process's costs 35-300 ms on a
   * busy machine). Defaults to this process's own start, before which no marker of its host existed.
   */
  startedAfter?: number;
}

/** A process's start time in clock ticks since boot, or 0 where /proc cannot tell (every process is then read). */
export function startTimeOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  return Number(readProcessEntry(pid)?.startTime) || 0;
}

let ownStart: number | undefined;

function hasMarker(pid: number, marker: string): boolean {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return false;
  }
  const prefix = `${MARKER_VARIABLE}=${marker}`;
  for (const entry of environ.split('\0')) {
    if (marker.endsWith('.') ? entry.startsWith(prefix) : entry === prefix) return true;
  }
  return false;
}

/** The live processes of one environment: its session, its process tree, and anything carrying its marker. */
export function processesOf(identity: TreeIdentity, table = readProcessTable()): ProcessEntry[] {
  const spared = new Set([process.pid, ...(identity.except ?? [])]);
  const found = new Map<number, ProcessEntry>();
  ownStart ??= startTimeOf(process.pid);
  const startedAfter = identity.startedAfter ?? ownStart;
  for (const entry of table.values()) {
    if (entry.state === 'Z' || spared.has(entry.pid)) continue;
    const inSession = identity.session !== undefined && entry.session === identity.session;
    const candidate = Number(entry.startTime) >= startedAfter;
    if (inSession || (candidate && hasMarker(entry.pid, identity.marker))) found.set(entry.pid, entry);
  }
  // A descendant that dropped both (a new session, a cleared environment) is still in the tree while its parent lives.
  for (const entry of processTree([...found.keys()], table)) {
    if (!spared.has(entry.pid)) found.set(entry.pid, entry);
  }
  return [...found.values()];
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * SIGKILLs every process of the given environments and repeats until none is left (a process may fork while it is
 * being killed). Synchronous, so a signal handler can call it before the CLI exits. Returns how many it ended.
 */
export function endProcessTrees(identities: TreeIdentity[]): number {
  if (identities.length === 0) return 0;
  const ended = new Set<string>();
  for (let round = 0; round < 40; round += 1) {
    const table = readProcessTable();
    const victims = identities.flatMap((identity) => processesOf(identity, table));
    if (victims.length === 0) break;
    for (const entry of victims) {
      ended.add(`${entry.pid}:${entry.startTime}`);
      try {
        process.kill(entry.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    Atomics.wait(pause, 0, 0, 10);
  }
  return ended.size;
}

/**
 * For an environment's own process: when its IPC channel closes before `finished()` (warmleak died or gave up),
 * end its whole tree and then itself. Captures the marker now, before a handler can change process.env.
 */
export function endWithParent(finished: () => boolean): void {
  const identity: TreeIdentity = {
    marker: process.env[MARKER_VARIABLE] ?? hostMarker(),
    session: process.pid,
    startedAfter: startTimeOf(process.pid),
  };
  process.on('disconnect', () => {
    if (finished()) return;
    endProcessTrees([identity]);
    process.kill(process.pid, 'SIGKILL');
  });
}
