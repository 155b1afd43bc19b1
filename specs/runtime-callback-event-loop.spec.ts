import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Environment } from '../harness/runtime/environment.js';

let env: Environment | undefined;
afterEach(async () => {
  await env?.dispose();
  env = undefined;
});

/** Async work started outside any invocation that keeps opening files for a while (like a loader's cache). */
async function backgroundWrites(rounds: number): Promise<void> {
  const file = join(tmpdir(), `warmleak-background-${process.pid}.txt`);
  for (let i = 0; i < rounds; i++) {
    const handle = await open(file, 'w');
    await handle.write(`round ${i}`);
    await handle.close();
  }
}

// Callback handlers exist up to nodejs22.x; nodejs24.x refuses them at load.
describe('callback handlers wait only for the work they started', () => {
  it('a file write chain begun before the invocation does not hold its callback response', async () => {
    env = await Environment.create(
      (_event: unknown, _context: unknown, callback: (e: null, r: string) => void) => {
        callback(null, 'done');
      },
      { timeoutMs: 1000, runtime: 'nodejs22.x' },
    );
    const background = backgroundWrites(200);
    const result = await env.invoke({});
    await background;
    expect(result.timedOut).toBe(false);
    expect(result.response).toBe('done');
  });

  it('a timer the handler itself left running still holds the response until the timeout', async () => {
    env = await Environment.create(
      (_event: unknown, _context: unknown, callback: (e: null, r: string) => void) => {
        setTimeout(() => {}, 5000);
        callback(null, 'done');
      },
      { timeoutMs: 300, runtime: 'nodejs22.x' },
    );
    const result = await env.invoke({});
    expect(result.timedOut).toBe(true);
    expect(result.error?.errorMessage).toMatch(/Task timed out after 0\.30 seconds/);
  });
});
