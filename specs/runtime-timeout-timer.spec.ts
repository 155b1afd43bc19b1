// Lambda's timeout with one timer for the environment's life: it never fires while invocations come and go within
// their time (its callback would be compiled mid-check, in the heap being measured), and an invocation that runs
// past its timeout still ends as Lambda ends it, never before its time. Takes ~3 s.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Environment } from '../harness/runtime/environment.js';
import { timeoutMessage } from '../harness/runtime/lambda-error.js';

const live: Environment[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const environment of live.splice(0)) await environment.dispose();
});

async function create(handler: (event: { ms: number }) => Promise<unknown>, timeoutMs: number) {
  const environment = await Environment.create(handler, { timeoutMs });
  live.push(environment);
  return environment;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the timeout timer', () => {
  it('does not fire while invocations end within their time, for longer than the timeout', async () => {
    const fired = vi.spyOn(Environment.prototype as unknown as { onTimer(): void }, 'onTimer');
    const environment = await create((event) => sleep(event.ms), 1000);
    const start = performance.now();
    let invocations = 0;
    // 1.5 timeouts of short invocations, back to back: the timer is moved on, never reached.
    while (performance.now() - start < 1500) {
      const result = await environment.invoke({ ms: 1 });
      expect(result.error).toBeUndefined();
      invocations += 1;
    }
    expect(invocations).toBeGreaterThan(100);
    expect(fired).not.toHaveBeenCalled();
  });

  it("ends an invocation that runs past its timeout as Lambda's Task timed out, not before its time", async () => {
    const environment = await create((event) => sleep(event.ms), 400);
    for (let i = 0; i < 20; i++) await environment.invoke({ ms: 5 });
    // After a pause shorter than the timeout, then after one longer: each overrun is timed from its own start.
    for (const pause of [200, 600]) {
      await sleep(pause);
      const result = await environment.invoke({ ms: 1500 });
      expect(result.timedOut).toBe(true);
      expect(result.error?.errorType).toBe('Sandbox.Timedout');
      expect(result.error?.errorMessage).toContain('Task timed out after 0.40 seconds');
      expect(result.durationMs).toBeGreaterThanOrEqual(399);
      expect(result.durationMs).toBeLessThan(1400);
    }
    // One that ends just inside its time still succeeds.
    const inside = await environment.invoke({ ms: 300 });
    expect(inside.error).toBeUndefined();
  });
});

describe('the timeout message', () => {
  it('says the configured timeout as Lambda prints it, never rounded to another value', async () => {
    expect(timeoutMessage(3000)).toBe('Task timed out after 3.00 seconds');
    expect(timeoutMessage(1000)).toBe('Task timed out after 1.00 seconds');
    expect(timeoutMessage(250)).toBe('Task timed out after 0.25 seconds');
    // The programmatic API takes any ms: 1 ms is not "0.00 seconds".
    expect(timeoutMessage(1)).toBe('Task timed out after 0.001 seconds');
    expect(timeoutMessage(1234)).toBe('Task timed out after 1.234 seconds');
  });
});
