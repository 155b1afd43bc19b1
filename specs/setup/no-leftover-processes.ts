// Vitest globalSetup: after the whole suite, no process started by it may still be running (each one is killed and named).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { killProcessTrees } from '../../harness/probes/cleanup.js';
import { type ProcessEntry, readProcessTable } from '../../harness/probes/processes.js';

const MARKER = 'WARMLEAK_SUITE_RUN';

/** Processes that inherited this run's marker: everything the suite's workers started, at any depth. */
function startedBySuite(run: string): ProcessEntry[] {
  const table = readProcessTable();
  const out: ProcessEntry[] = [];
  for (const entry of table.values()) {
    if (entry.pid === process.pid || entry.state === 'Z') continue;
    // Vitest's own workers are forks of this process; they leave as the pool closes.
    if (entry.ppid === process.pid && entry.command.startsWith('node')) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry.pid}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (environ.split('\0').includes(`${MARKER}=${run}`)) out.push(entry);
  }
  return out;
}

export function setup(): void {
  // Set before the workers fork, so every child and grandchild of a spec inherits it.
  process.env[MARKER] = randomUUID();
}

export async function teardown(): Promise<void> {
  const run = process.env[MARKER];
  if (!run) return;
  // A worker may still be shutting its children down; give them a moment before judging.
  let leftovers = startedBySuite(run);
  for (let i = 0; i < 20 && leftovers.length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    leftovers = startedBySuite(run);
  }
  if (leftovers.length === 0) return;
  await killProcessTrees(
    leftovers.map((entry) => entry.pid),
    500,
  );
  const names = leftovers.map((entry) => `${entry.command} (pid ${entry.pid})`).join(', ');
  // Vitest reports an error thrown here but still exits 0, so fail the run explicitly as well.
  process.exitCode = 1;
  throw new Error(
    `${leftovers.length} process(es) started by the test suite were still running and have been killed: ${names}`,
  );
}
