// Where a check's time went: every report carries `time` (start-up, measurement, analysis), a process
// environment's start and exit count as start-up, one that died says where its time went up to its death, and the
// text report ends with the run's split. No timing targets.
import { describe, expect, it } from 'vitest';
import { checkCli } from './fixtures/check-cli.js';

const HANDLERS = ['specs/fixtures/arrays.cjs', 'specs/fixtures/heap-clean.cjs'];

describe('time split', () => {
  it('--json: each report says how its wall time divided; in process isolation the parts add up to it', async () => {
    // One environment dies (timed out at its third invocation): its time is split too, never left at zeros.
    const hangs = 'specs/fixtures/hangs-on-third-call.cjs';
    const run = await checkCli([...HANDLERS, hangs, '--invocations', '40', '--timeout', '1000', '--json']);
    expect(run.code).toBe(1);
    const reports = JSON.parse(run.stdout) as Array<{
      handler: string;
      error?: { errorType: string };
      durationMs: number;
      time: { startupMs: number; measurementMs: number; analysisMs: number };
    }>;
    expect(reports).toHaveLength(3);
    const died = reports.find((report) => report.handler.startsWith(hangs));
    expect(died?.error?.errorType).toBe('Sandbox.Timedout');
    // It measured for as long as its hung invocation ran: the 1 s timeout at least.
    expect(died?.time.measurementMs).toBeGreaterThan(1000);
    for (const { durationMs, time } of reports) {
      expect(time.startupMs).toBeGreaterThan(0);
      expect(time.measurementMs).toBeGreaterThan(0);
      expect(time.analysisMs).toBeGreaterThanOrEqual(0);
      const sum = time.startupMs + time.measurementMs + time.analysisMs;
      // Each part is rounded to 0.1 ms and durationMs to 1 ms.
      expect(Math.abs(sum - durationMs)).toBeLessThanOrEqual(1);
    }
  });

  it('text: the report ends with the run wall time and the split summed over environments', async () => {
    const run = await checkCli([...HANDLERS, '--invocations', '40', '--isolation', 'inline']);
    expect(run.code).toBe(1);
    const last = run.stdout.trim().split('\n').at(-1);
    expect(last).toMatch(
      /^Time: 2 handlers in \d+\.\d s, 1 at a time; summed over environments: start-up \d+\.\d s \(\d+%\), measurement \d+\.\d s \(\d+%\), analysis \d+\.\d s \(\d+%\)$/,
    );
  });
});
