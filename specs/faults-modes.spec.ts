// Fault injection, isolation modes: the same fault gives the same report and exit code inline and in a process,
// and an inline check leaves the CLI's process (cwd, variables) as it found it for the next handler.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leftovers, newCase, type Run, runCli } from './fixtures/fault-run.js';

async function check(args: string[]): Promise<Run> {
  const fault = newCase();
  const run = await runCli(fault, ['check', ...args]);
  expect(await leftovers(fault)).toEqual({ processes: [], dirs: [] });
  return run;
}

const FAULTS: Array<{
  name: string;
  args: string[];
  errorType: string;
  invocation: number;
  message?: RegExp;
}> = [
  {
    name: 'a promise that never settles',
    args: ['specs/fixtures/awaits-forever-on-fourth-call.cjs', '--timeout', '1000'],
    errorType: 'Sandbox.Timedout',
    invocation: 4,
  },
  {
    name: 'process.exit(3)',
    args: ['specs/fixtures/exits-on-third-call.cjs'],
    errorType: 'Runtime.ExitError',
    invocation: 3,
  },
  {
    name: 'process.exit(0)',
    args: ['specs/fixtures/fault-modes.cjs#exitsZero'],
    errorType: 'Runtime.ExitError',
    invocation: 3,
    message: /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 0$/,
  },
  {
    name: 'a setImmediate spin that never settles',
    args: ['specs/fixtures/fault-modes.cjs#spinsImmediate', '--timeout', '1000'],
    errorType: 'Sandbox.Timedout',
    invocation: 4,
    message: /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/,
  },
  {
    name: 'process.reallyExit(0)',
    args: ['specs/fixtures/fault-modes.cjs#reallyExits'],
    errorType: 'Runtime.ExitError',
    invocation: 3,
  },
];

describe('inline mode equals process mode', () => {
  for (const fault of FAULTS) {
    it(`${fault.name}: exit 1, ${fault.errorType} at invocation ${fault.invocation}, in both modes`, async () => {
      const runs = await Promise.all(
        ['process', 'inline'].map((isolation) =>
          check([...fault.args, '--invocations', '30', '--json', '--isolation', isolation]),
        ),
      );
      for (const run of runs) {
        expect(run.code, run.stderr).toBe(1);
        const report = JSON.parse(run.stdout);
        expect(report).toMatchObject({
          verdict: 'leak',
          // The invocation it died in counts, as in Lambda: errors are `1 of N invocations failed`.
          invocations: fault.invocation,
          error: { errorType: fault.errorType, invocation: fault.invocation },
        });
        if (fault.message) expect(report.error.errorMessage).toMatch(fault.message);
      }
    });
  }

  it('a polluted Object.prototype.toJSON neither breaks the check nor rewrites the JSON report, in both modes', async () => {
    for (const isolation of ['process', 'inline']) {
      const run = await check([
        'specs/fixtures/fault-modes.cjs#pollutesToJSON',
        '--invocations',
        '30',
        '--json',
        '--isolation',
        isolation,
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        verdict: 'pass',
        handler: 'specs/fixtures/fault-modes.cjs#pollutesToJSON',
      });
    }
  });

  it("an event over Lambda's 6 MB and a 100,000-deep event are refused in one line, exit 2", async () => {
    const fault = newCase();
    const big = join(fault.tmp, 'big.json');
    const deep = join(fault.tmp, 'deep.json');
    writeFileSync(big, JSON.stringify({ body: 'x'.repeat(6_300_000) }));
    writeFileSync(deep, `${'['.repeat(100_000)}1${']'.repeat(100_000)}`);
    for (const [file, line] of [
      [
        big,
        /^warmleak: event file \S+ is 6300011 bytes: RequestEntityTooLargeException: Request must be smaller than 6291456 bytes for the InvokeFunction operation; pass a smaller event\n$/,
      ],
      [deep, /^warmleak: event file \S+ nests 100000 levels deep; .*\n$/],
    ] as const) {
      const run = await runCli(fault, [
        'check',
        'specs/fixtures/arrays.cjs',
        '--event',
        file,
        '--invocations',
        '30',
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(line);
    }
    expect(await leftovers(fault)).toEqual({ processes: [], dirs: [] });
  });

  it('--invocations 1e12 is a usage error, one line, exit 2', async () => {
    const run = await check(['specs/fixtures/arrays.cjs', '--invocations', '1e12', '--isolation', 'inline']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('warmleak: --invocations must be at most 1000000, got "1000000000000"\n');
  });

  it("one inline handler's cwd, PATH, NODE_OPTIONS and variables do not reach the next handler's check", async () => {
    const run = await check([
      'specs/fixtures/fault-modes.cjs#pollutes',
      'specs/fixtures/fault-modes.cjs#sees',
      '--invocations',
      '30',
      '--isolation',
      'inline',
      '--json',
    ]);
    expect(run.stderr).not.toContain('inherited from the previous handler');
    expect(run.code, run.stderr).toBe(0);
    const reports = JSON.parse(run.stdout);
    expect(reports.map((report: { verdict: string }) => report.verdict)).toEqual(['pass', 'pass']);
  });
});
