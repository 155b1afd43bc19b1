// Fault injection, signals: SIGINT, SIGTERM, SIGHUP and SIGKILL to the CLI while environments run children, double
// forks and synchronous loops, in both isolation modes; afterwards nothing from the case runs and no directory is left.
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  casePids,
  type FaultCase,
  leftovers,
  newCase,
  readyCount,
  runCli,
  startCli,
} from './fixtures/fault-run.js';

const FIXTURE = 'specs/fixtures/fault-children.cjs';
// Long enough that no check ends by itself before the signal; the timeout is never what stops these runs.
const LONG = ['--invocations', '100000', '--timeout', '60000'];

/** This case's environment processes: warmleak's isolation worker, started for an environment or ahead of one. */
function workerProcesses(fault: FaultCase): number {
  return casePids(fault).filter((pid) => {
    try {
      return /isolation[-/]worker/.test(readFileSync(`/proc/${pid}/cmdline`, 'latin1'));
    } catch {
      return false;
    }
  }).length;
}

async function until(condition: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not so after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

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

  it('SIGTERM while a pre-started process waits for the third handler (two at once): the spare ends too', async () => {
    const fault = newCase();
    const { cli, done } = startCli(fault, [
      'check',
      ...['waits', 'spins', 'waits2'].map((name) => `${FIXTURE}#${name}`),
      ...LONG,
      '--concurrency',
      '2',
    ]);
    await readyCount(fault, 2);
    // Two environments run, and the process of the third starts while they do.
    await until(() => workerProcesses(fault) === 3);
    cli.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(128 + constants.signals.SIGTERM);
    await expectNothingLeft(fault);
  });

  it('SIGTERM to npx, which dies without passing it on: warmleak notices and ends everything', async () => {
    const fault = newCase();
    const { cli, done } = startCli(fault, ['check', `${FIXTURE}#spins`, ...LONG], {}, true);
    await readyCount(fault, 1);
    cli.kill('SIGTERM');
    await done;
    await expectNothingLeft(fault);
  });

  it('a pre-started process no environment took does not outlive a check that ends normally', async () => {
    const fault = newCase();
    // One at a time: the JavaScript handler's run starts a process for the next environment, which is TypeScript
    // and needs one of its own; the spare waits unused until the run ends.
    const run = await runCli(fault, [
      'check',
      `${FIXTURE}#daemon`,
      'specs/fixtures/greeting.ts#hello',
      '--invocations',
      '10',
      '--concurrency',
      '1',
    ]);
    expect(run.code, run.stderr).toBe(0);
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
