// A tiny process outside warmleak's own that ends every environment when warmleak dies, SIGKILL included.
import { type ChildProcess, spawn } from 'node:child_process';
import { hostMarker, MARKER_VARIABLE } from './process-tree.js';

/**
 * Runs with `node -e` in its own session, so a Ctrl-C to warmleak's process group does not reach it. It reads
 * lines from warmleak on stdin (`dir <path>`, `session <pid>`, `forget-session <pid>`) and, when stdin ends
 * (warmleak exited, however), SIGKILLs every process carrying the host's marker or in a remembered session, and
 * removes the remembered directories. An environment stuck in a synchronous loop cannot watch its parent itself;
 * this process can. Plain JavaScript, so it needs no loader and starts in milliseconds.
 */
const SOURCE = String.raw`
const fs = require('fs');
const prefix = ${JSON.stringify(`${MARKER_VARIABLE}=`)} + process.argv[1];
const dirs = new Set();
const sessions = new Set();
let pending = '';
function victims() {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const stat = fs.readFileSync('/proc/' + pid + '/stat', 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      if (sessions.has(Number(fields[3]))) { out.push(pid); continue; }
      const environ = fs.readFileSync('/proc/' + pid + '/environ', 'latin1').split('\0');
      if (environ.some((entry) => entry.startsWith(prefix))) out.push(pid);
    } catch {}
  }
  return out;
}
function sweep(round) {
  let found = [];
  try { found = victims(); } catch {}
  for (const pid of found) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  if (found.length > 0 && round < 40) return setTimeout(sweep, 10, round + 1);
  for (const dir of dirs) { try { fs.rmSync(dir, { recursive: true, force: true }); } catch {} }
  process.exit(0);
}
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop();
  for (const line of lines) {
    const space = line.indexOf(' ');
    const verb = line.slice(0, space);
    const value = line.slice(space + 1);
    if (verb === 'dir') dirs.add(value);
    else if (verb === 'forget-dir') dirs.delete(value);
    else if (verb === 'session') sessions.add(Number(value));
    else if (verb === 'forget-session') sessions.delete(Number(value));
  }
});
process.stdin.on('end', () => sweep(0));
process.stdin.on('error', () => sweep(0));
`;

let watchdog: ChildProcess | undefined;
let users = 0;
let generation = 0;
let failed = false;
/** Retained, but its process not spawned yet: it starts when first told something (after an environment's fork). */
let due = false;

function start(prefix: string): ChildProcess | undefined {
  if (failed || process.platform !== 'linux') return undefined;
  const env = { ...process.env };
  delete env[MARKER_VARIABLE];
  // No NODE_OPTIONS: a user's --require must not run (or fail) in the watchdog.
  delete env.NODE_OPTIONS;
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['-e', SOURCE, prefix], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env,
    });
  } catch {
    failed = true;
    return undefined;
  }
  child.on('error', () => {
    failed = true;
    if (watchdog === child) watchdog = undefined;
  });
  child.stdin?.on('error', () => {});
  // Neither the watchdog nor its pipe may keep warmleak alive; the pipe closes when warmleak exits.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return child;
}

/**
 * Counts one more user of the watchdog, and returns the prefix the markers of processes it guards must start with.
 * Each watchdog guards only its own prefix: one that is shutting down never touches an environment started after
 * it. A new watchdog's process starts when it is first told something: an environment tells it once its own
 * process is spawned, since spawning from a large process copies its page tables (10-30 ms under load) and the
 * environment's start should not wait behind the watchdog's.
 */
export function retainWatchdog(): string {
  if (users === 0) {
    generation += 1;
    due = true;
  }
  users += 1;
  return prefix();
}

function prefix(): string {
  return `${hostMarker()}.${generation}.`;
}

/** One user less; with none left the watchdog exits, so a test runner is left with no child of warmleak's. */
export function releaseWatchdog(): void {
  users = Math.max(0, users - 1);
  if (users > 0) return;
  due = false;
  watchdog?.stdin?.end();
  watchdog = undefined;
}

type Verb = 'dir' | 'forget-dir' | 'session' | 'forget-session';

/** Tells the watchdog (started now if it was retained since) what else to end or remove if warmleak dies. */
export function tellWatchdog(verb: Verb, value: string | number): void {
  if (due && users > 0) {
    due = false;
    watchdog = start(prefix());
  }
  watchdog?.stdin?.write(`${verb} ${value}\n`);
}
