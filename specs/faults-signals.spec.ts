// Fault injection, signals: SIGINT, SIGTERM, SIGHUP and SIGKILL to the CLI while environments run children, double
// forks and synchronous loops, in both isolation modes; afterwards nothing from the case runs and no directory is left.
import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { type FaultCase, leftovers, newCase, readyCount, runCli, startCli } from './fixtures/fault-run.js';

const FIXTURE = 'specs/fixtures/fault-children.cjs';
// Long enough that no check ends by itself before the signal; the timeout is never what stops these runs.
const LONG = ['--invocations', '100000', '--timeout', '60000'];

async function expectNothingLeft(fault: FaultCase): Promise<void> {
  expect(await leftovers(fault)).toEqual({ processes: [], dirs: [] });
}

interface Interruption {
  signal: NodeJS.Signals;
  handlers: string[];
  isolation: 'process' | 'inline';
}

const cases: Interruption[] = [
  { signal: 'SIGINT', handlers: ['waits'], isolation: 'process' },
  { signal: 'SIGTERM', handlers: ['spins'], isolation: 'process' },
  { signal: 'SIGHUP', handlers: ['waits'], isolation: 'inline' },
  { signal: 'SIGTERM', handlers: ['waits', 'spins', 'spins2'], isolation: 'process' },
  { signal: 'SIGKILL', handlers: ['spins'], isolation: 'process' },
  { signal: 'SIGKILL', handlers: ['waits', 'spins', 'waits2'], isolation: 'process' },
  { signal: 'SIGKILL', handlers: ['waits'], isolation: 'inline' },
];

describe('an interrupted warmleak check leaves nothing running', () => {
  for (const { signal, handlers, isolation } of cases) {
    const what = `${handlers.length === 1 ? 'one handler' : `${handlers.length} parallel handlers`} (${handlers.join(', ')}, ${isolation})`;
    it(`${signal} during ${what}`, async () => {
      const fault = newCase();
      const { cli, done } = startCli(fault, [
        'check',
        ...handlers.map((name) => `${FIXTURE}#${name}`),
        ...LONG,
        '--isolation',
        isolation,
        '--concurrency',
        String(handlers.length),
      ]);
      await readyCount(fault, handlers.length);
      cli.kill(signal);
      const run = await done;
      if (signal === 'SIGKILL') {
        expect(run.signal).toBe('SIGKILL');
      } else {
        expect(run.code).toBe(128 + constants.signals[signal]);
        expect(run.stderr).toContain(
          `warmleak: interrupted by ${signal}; every environment and every process it started was ended\n`,
        );
      }
      await expectNothingLeft(fault);
    });
  }

  it('SIGTERM to npx, which dies without passing it on: warmleak notices and ends everything', async () => {
    const fault = newCase();
    const { cli, done } = startCli(fault, ['check', `${FIXTURE}#spins`, ...LONG], {}, true);
    await readyCount(fault, 1);
    cli.kill('SIGTERM');
    await done;
    await expectNothingLeft(fault);
  });

  it('a double-forked daemon does not outlive a check that ends normally, in either isolation mode', async () => {
    for (const isolation of ['process', 'inline']) {
      const fault = newCase();
      const run = await runCli(fault, [
        'check',
        `${FIXTURE}#daemon`,
        '--invocations',
        '10',
        '--isolation',
        isolation,
      ]);
      expect(run.code, run.stderr).toBe(0);
      await expectNothingLeft(fault);
    }
  });
});
