// An inline environment (`warmleak bench`, `check --isolation inline`) whose handler spins in a synchronous loop ends
// at Lambda's timeout, in Lambda's words and with warmleak's exit code (1: the environment died), its processes
// ended, instead of hanging the CI job; a slow module load has Lambda's init timeout instead. ~15-20 s.
import { afterEach, expect, it } from 'vitest';
import { caseProcesses, type FaultCase, leftovers, newCase, runCli } from './fixtures/fault-run.js';

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
  // warmleak's own exit code, not a SIGKILL (137 in a shell, as an OOM kill reads).
  expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
  expect(run.stdout).toBe('');
  // Past the 3 s timeout and its 1 s grace, well before a CI job's own limit.
  expect(seconds).toBeGreaterThan(4);
  expect(seconds).toBeLessThan(60);
  const left = await leftovers(fault);
  fault = undefined;
  expect(left).toEqual({ processes: [], dirs: [] });
}, 90_000);

it('check --isolation inline: a synchronous loop is a Sandbox.Timedout report, exit 1, and its processes are ended', async () => {
  fault = newCase();
  // Three children (one a double-forked daemon, one in its own session) on the first call, a loop on the third.
  const args = [
    'check',
    'specs/fixtures/fault-children.cjs#spins',
    '--isolation',
    'inline',
    '--timeout',
    '1000',
  ];
  const run = await runCli(fault, args);
  // Right as the CLI ends, before the watchdog (a node process of warmleak's own) sweeps: warmleak ended them.
  const running = caseProcesses(fault).filter((name) => /^(sleep|sh) /.test(name));
  expect({ code: run.code, signal: run.signal, running }).toEqual({ code: 1, signal: null, running: [] });
  expect(run.stdout).toContain(
    'LEAK specs/fixtures/fault-children.cjs#spins (3 invocations)\n  ✗ Sandbox.Timedout at invocation 3: Task timed out after 1.00 seconds (a synchronous loop blocked the inline environment, which cannot be interrupted; warmleak ended the process)\n',
  );
  expect(run.stdout).toMatch(/\n1 handler checked: 1 leak, 0 passed\nTime: 1 handler in /);
  expect(run.stderr).toBe('');
  const left = await leftovers(fault);
  fault = undefined;
  expect(left).toEqual({ processes: [], dirs: [] });
}, 90_000);

it('check --isolation inline: a module load longer than the invocation timeout is init, not a timeout', async () => {
  fault = newCase();
  const run = await runCli(fault, [
    'check',
    'specs/fixtures/slow-init.mjs',
    '--isolation',
    'inline',
    '--timeout',
    '1000',
    '--invocations',
    '100',
  ]);
  // Its 2.5 s load is longer than the 1 s timeout and its 1 s grace: Init, with Lambda's 10 s.
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  expect(run.stdout).toMatch(
    /^pass specs\/fixtures\/slow-init\.mjs#handler \(\d+ invocations, .*init \d{4,}(\.\d+)? ms\)\n/,
  );
}, 90_000);
