// An inline `warmleak bench` whose handler spins in a synchronous loop ends at Lambda's 3 s timeout, in Lambda's
// words, instead of hanging the CI job: nothing in the blocked thread can run, so a worker thread ends it. ~5-8 s.
import { afterEach, expect, it } from 'vitest';
import { type FaultCase, leftovers, newCase, runCli } from './fixtures/fault-run.js';

let fault: FaultCase | undefined;
afterEach(async () => {
  if (fault) await leftovers(fault);
  fault = undefined;
});

it('a synchronous infinite loop ends with "Task timed out after 3.00 seconds" and the process exits', async () => {
  fault = newCase();
  const started = Date.now();
  const run = await runCli(fault, ['bench', 'specs/fixtures/spin-forever.mjs', '--cold-samples', '2']);
  const seconds = (Date.now() - started) / 1000;
  expect(run.stderr).toBe(
    'warmleak: specs/fixtures/spin-forever.mjs: Sandbox.Timedout: Task timed out after 3.00 seconds (a synchronous loop blocked the inline environment, which cannot be interrupted; warmleak ended the process)\n',
  );
  expect(run.signal).toBe('SIGKILL');
  expect(run.stdout).toBe('');
  // Past the 3 s timeout and its 1 s grace, well before a CI job's own limit.
  expect(seconds).toBeGreaterThan(4);
  expect(seconds).toBeLessThan(60);
  const left = await leftovers(fault);
  fault = undefined;
  expect(left).toEqual({ processes: [], dirs: [] });
}, 90_000);
