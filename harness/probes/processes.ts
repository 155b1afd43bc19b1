// Counts the child processes the handler started and left running, with their whole process tree, per spawn site.
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Measurement, Probe, ProbeTarget } from '../types.js';
import { ownerOf, type ResourceTracker, sharedTracker, type TrackedResource } from './resource-tracker.js';

/** One line of /proc/<pid>/stat, the fields a process tree needs. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
  /** Session id: a process started in its own session (`detached`) leads one; its descendants stay in it. */
  session: number;
  command: string;
  state: string;
  /** Clock ticks since boot; with the pid it names a process even after its pid is reused. */
  startTime: string;
}

/** One process's /proc/<pid>/stat entry, or undefined when it has exited (or /proc cannot tell). */
export function readProcessEntry(pid: number): ProcessEntry | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command sits in parentheses and may itself contain spaces or parentheses.
  const close = stat.lastIndexOf(')');
  const command = stat.slice(stat.indexOf('(') + 1, close);
  const fields = stat.slice(close + 2).split(' ');
  return {
    pid,
    state: fields[0],
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    session: Number(fields[3]),
    command,
    startTime: fields[19],
  };
}

/** Every process on the machine, read from /proc (Linux); empty elsewhere. */
export function readProcessTable(): Map<number, ProcessEntry> {
  const table = new Map<number, ProcessEntry>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const entry = readProcessEntry(pid); // undefined: exited while we read
    if (entry) table.set(pid, entry);
  }
  return table;
}

/** The given processes and all their descendants that are running (zombies excluded). */
export function processTree(roots: Iterable<number>, table = readProcessTable()): ProcessEntry[] {
  const children = new Map<number, number[]>();
  for (const entry of table.values()) {
    const list = children.get(entry.ppid);
    if (list) list.push(entry.pid);
    else children.set(entry.ppid, [entry.pid]);
  }
  const seen = new Set<number>();
  const queue = [...roots];
  const out: ProcessEntry[] = [];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const entry = table.get(pid);
    if (!entry) continue;
    if (entry.state !== 'Z') out.push(entry);
    for (const child of children.get(pid) ?? []) queue.push(child);
  }
  return out;
}

/** A child process the handler spawned, as Node sees it. */
export interface SpawnedProcess {
  pid: number;
  /** `chromium`, `sleep`: the basename of the file that was spawned. */
  command: string;
  site: string;
}

/** Live child processes spawned since tracking began (the native Process handle closes when the child exits). */
export function spawnedProcesses(
  records: TrackedResource[],
  projectRoot: string,
  tracker: ResourceTracker = sharedTracker,
): SpawnedProcess[] {
  const out: SpawnedProcess[] = [];
  for (const record of records) {
    if (record.type !== 'PROCESSWRAP') continue;
    const resource = record.ref.deref();
    if (!resource) continue;
    const child = ownerOf(resource);
    const pid = (child?.pid ?? (resource as { pid?: unknown }).pid) as number | undefined;
    if (typeof pid !== 'number') continue;
    const file = typeof child?.spawnfile === 'string' ? child.spawnfile : 'process';
    out.push({ pid, command: basename(file), site: tracker.siteOf(record, projectRoot) ?? 'unknown' });
  }
  return out;
}

const identity = (entry: ProcessEntry) => `${entry.pid}:${entry.startTime}`;

/**
 * Remembers every descendant seen per spawn site, so a grandchild orphaned when its parent exits
 * (reparented to init) still counts against the site that started it.
 */
export class ProcessLedger {
  private readonly seenBySite = new Map<string, Map<string, number>>();

  /** Records the current trees and returns, per `command:site`, the live roots and the live tree size. */
  observe(
    spawned: SpawnedProcess[],
  ): Map<string, { command: string; site: string; roots: number; tree: number }> {
    const result = new Map<string, { command: string; site: string; roots: number; tree: number }>();
    // Nothing spawned, now or ever: no tree to read (reading every process on a busy CI machine costs ~10-40 ms).
    if (spawned.length === 0 && this.seenBySite.size === 0) return result;
    const table = readProcessTable();
    for (const child of spawned) {
      const key = `${child.command}:${child.site}`;
      const seen = this.seenBySite.get(key) ?? new Map<string, number>();
      this.seenBySite.set(key, seen);
      for (const entry of processTree([child.pid], table)) seen.set(identity(entry), entry.pid);
      const row = result.get(key) ?? { command: child.command, site: child.site, roots: 0, tree: 0 };
      row.roots += 1;
      result.set(key, row);
    }
    for (const [key, seen] of this.seenBySite) {
      let tree = 0;
      for (const [id, pid] of seen) {
        const entry = table.get(pid);
        if (entry && entry.state !== 'Z' && identity(entry) === id) tree += 1;
        else seen.delete(id);
      }
      const [command] = key.split(':', 1);
      const row = result.get(key) ?? { command, site: key.slice(command.length + 1), roots: 0, tree: 0 };
      row.tree = tree;
      result.set(key, row);
    }
    return result;
  }

  /** Every live process seen under any site: what cleanup must end. */
  livePids(): number[] {
    const table = readProcessTable();
    const pids: number[] = [];
    for (const seen of this.seenBySite.values()) {
      for (const [id, pid] of seen) {
        const entry = table.get(pid);
        if (entry && entry.state !== 'Z' && identity(entry) === id) pids.push(pid);
      }
    }
    return pids;
  }

  clear(): void {
    this.seenBySite.clear();
  }
}

/** Shared with the cleanup probe so that orphaned grandchildren are ended too. */
export const sharedLedger = new ProcessLedger();

/** Measures `process:<command>:<site>` (live children) and `process-tree:<command>:<site>` (with descendants). */
export function createProcessesProbe(tracker = sharedTracker, ledger = sharedLedger): Probe {
  return {
    name: 'processes',
    kinds: ['process'],
    start() {
      // A new run starts from an empty ledger; a run already tracking (cleanup started first) keeps its own.
      if (!tracker.active) ledger.clear();
      tracker.acquire();
    },
    sample(target: ProbeTarget): Measurement[] {
      const rows = ledger.observe(spawnedProcesses(tracker.alive(), target.projectRoot, tracker));
      const out: Measurement[] = [];
      for (const [key, row] of rows) {
        const site = row.site === 'unknown' ? undefined : row.site;
        out.push({
          key: `process:${key}`,
          kind: 'process',
          name: row.command,
          site,
          unit: 'handles',
          value: row.roots,
        });
        out.push({
          key: `process-tree:${key}`,
          kind: 'process',
          name: `${row.command} process tree`,
          site,
          unit: 'handles',
          value: row.tree,
        });
      }
      return out;
    },
    stop() {
      tracker.release();
    },
  };
}
