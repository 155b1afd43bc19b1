// Pre-started runtime processes: each waits, booted and with the worker loaded, to hold exactly one environment.
// None is ever reused for a second environment, and none starts unless a caller said more environments are coming.
import type { ForkedEnvironment } from './children.js';

interface Spare {
  /** What the process was started with (worker, Node flags, memory, directory, variables): it serves only that. */
  key: string;
  forked: ForkedEnvironment;
  /** Settles once the worker is loaded and waiting (or the process is gone). */
  ready: Promise<void>;
}

const spares: Spare[] = [];
let expected = 0;
let atOnce = 1;

/**
 * Says that about `count` more process environments will be asked for, up to `concurrency` at a time, so that
 * their processes may start while earlier environments run (at most `concurrency` spares wait at once). Spares
 * left when warmleak exits or is interrupted are killed with every other environment.
 */
export function expectEnvironments(count: number, concurrency = 1): void {
  expected = Math.max(0, Math.floor(count));
  atOnce = Math.max(1, Math.floor(concurrency));
}

/** What a spare must have been started with to serve an environment: its start's inputs and the variables. */
export function spareKey(start: unknown[]): string {
  return JSON.stringify([...start, process.env]);
}

/** One environment begins: a spare started for `key` if one waits (it is then this environment's), else none. */
export function takeSpare(key: string): ForkedEnvironment | undefined {
  expected = Math.max(0, expected - 1);
  const index = spares.findIndex((spare) => spare.key === key);
  if (index === -1) return undefined;
  const [{ forked }] = spares.splice(index, 1);
  forked.hold();
  return forked;
}

/** Starts a process for a later environment like this one (`key`), if more are expected than spares wait. */
export function startSpare(key: string, start: () => ForkedEnvironment): void {
  if (expected <= spares.length || spares.length >= atOnce) return;
  const forked = start();
  forked.idle();
  const ready = new Promise<void>((resolve) => {
    forked.child.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') resolve();
    });
    forked.child.once('exit', () => resolve());
  });
  const spare: Spare = { key, forked, ready };
  spares.push(spare);
  // A spare that dies while it waits (killed from outside) is ended and forgotten.
  forked.child.once('exit', () => {
    const index = spares.indexOf(spare);
    if (index === -1) return;
    spares.splice(index, 1);
    forked.end();
  });
}

/** Settles once every waiting spare is loaded: so that a benchmark does not time its reference during their start. */
export async function sparesReady(): Promise<void> {
  const waiting = [...spares];
  // Waited for, a spare keeps warmleak alive until it is ready.
  for (const spare of waiting) spare.forked.hold();
  await Promise.all(waiting.map((spare) => spare.ready));
  for (const spare of waiting) if (spares.includes(spare)) spare.forked.idle();
}
