// Ends what a handler left running when a run ends (process trees, timers, sockets, servers, watchers,
// file handles) so a leaky handler never hangs the test run or leaves processes behind.
import { setTimeout as sleep } from 'node:timers/promises';
import { handlerScopeUsed } from '../runtime/handler-scope.js';
import type { Measurement, Probe, ProbeTarget } from '../types.js';
import {
  type ProcessLedger,
  processTree,
  readProcessTable,
  sharedLedger,
  spawnedProcesses,
} from './processes.js';
import { ownerOf, type ResourceTracker, sharedTracker } from './resource-tracker.js';

export interface CleanupOptions {
  /** How long processes get to exit after SIGTERM before SIGKILL. Default 500 ms. */
  graceMs?: number;
  projectRoot?: string;
  tracker?: ResourceTracker;
  ledger?: ProcessLedger;
}

/** What cleanup ended, for a log line or a test. */
export interface CleanupSummary {
  processes: number;
  timers: number;
  handles: number;
}

/** SIGTERM the processes and their descendants, then SIGKILL whatever is still running after `graceMs`. */
export async function killProcessTrees(roots: number[], graceMs = 500): Promise<number> {
  if (roots.length === 0) return 0;
  const table = readProcessTable();
  // Collect the whole tree before signalling: once a parent dies its children are reparented and lost.
  const victims = processTree(roots, table).filter((entry) => entry.pid !== process.pid);
  const send = (pid: number, signal: NodeJS.Signals) => {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  };
  for (const entry of victims) {
    // A detached child leads its own process group (puppeteer launches Chromium so): signal the group too.
    if (entry.pgid === entry.pid && entry.pid !== process.pid) send(-entry.pid, 'SIGTERM');
    send(entry.pid, 'SIGTERM');
  }
  const running = () => {
    const now = readProcessTable();
    return victims.filter((entry) => {
      const current = now.get(entry.pid);
      return current && current.startTime === entry.startTime && current.state !== 'Z';
    });
  };
  const deadline = Date.now() + graceMs;
  while (running().length > 0 && Date.now() < deadline) await sleep(25);
  for (const entry of running()) {
    if (entry.pgid === entry.pid) send(-entry.pid, 'SIGKILL');
    send(entry.pid, 'SIGKILL');
  }
  return victims.length;
}

/** Ends everything created since tracking began that user code (or its dependencies) left open. */
export async function cleanupLeftovers(options: CleanupOptions = {}): Promise<CleanupSummary> {
  const tracker = options.tracker ?? sharedTracker;
  const ledger = options.ledger ?? sharedLedger;
  const projectRoot = options.projectRoot ?? process.cwd();
  const summary: CleanupSummary = { processes: 0, timers: 0, handles: 0 };
  const alive = tracker.alive();
  const scoped = handlerScopeUsed();

  ledger.observe(spawnedProcesses(alive, projectRoot, tracker));
  summary.processes = await killProcessTrees(ledger.livePids(), options.graceMs);
  ledger.clear();

  for (const record of tracker.alive()) {
    // The host's (a test runner's timeout timer, a test's own work beside a floating check) is not ours to end.
    if (!record.byHandler && scoped) continue;
    if (tracker.siteOf(record, projectRoot) === undefined) continue; // warmleak's own
    const resource = record.ref.deref() as Record<string, unknown> | undefined;
    if (!resource) continue;
    if (record.type === 'Timeout') {
      clearTimeout(resource as unknown as NodeJS.Timeout);
      summary.timers += 1;
    } else if (record.type === 'Immediate') {
      clearImmediate(resource as unknown as NodeJS.Immediate);
      summary.timers += 1;
    } else if (record.type === 'FILEHANDLE') {
      (resource.close as () => Promise<void>).call(resource).catch(() => {});
      summary.handles += 1;
    } else if (record.type !== 'PROCESSWRAP' && closeOwner(ownerOf(resource) ?? resource)) {
      summary.handles += 1;
    }
  }
  return summary;
}

/** Destroys a socket, closes a server or watcher, stops a stat watcher; whichever the object offers. */
function closeOwner(owner: Record<string, unknown>): boolean {
  for (const method of ['destroy', 'close', 'stop'] as const) {
    const fn = owner[method];
    if (typeof fn === 'function') {
      try {
        fn.call(owner);
      } catch {
        // a handle closing twice is not our problem to report
      }
      return true;
    }
  }
  return false;
}

/** A probe that measures nothing and cleans up at stop, so registering it makes every run end tidy. */
export function createCleanupProbe(options: Omit<CleanupOptions, 'projectRoot'> = {}): Probe & {
  lastSummary?: CleanupSummary;
} {
  const tracker = options.tracker ?? sharedTracker;
  const ledger = options.ledger ?? sharedLedger;
  const probe: Probe & { lastSummary?: CleanupSummary } = {
    name: 'cleanup',
    kinds: [],
    start() {
      if (!tracker.active) ledger.clear();
      tracker.acquire();
    },
    compact() {
      // Records of closed handles and fired timers would otherwise pile up between prunes, as heap growth.
      tracker.prune();
    },
    sample(target: ProbeTarget): Measurement[] {
      // Learn the process trees while their roots live, so orphans can still be found at stop.
      ledger.observe(spawnedProcesses(tracker.alive(), target.projectRoot, tracker));
      return [];
    },
    async stop(target: ProbeTarget) {
      try {
        probe.lastSummary = await cleanupLeftovers({
          ...options,
          tracker,
          ledger,
          projectRoot: target.projectRoot,
        });
      } finally {
        tracker.release();
      }
    },
  };
  return probe;
}
