// Fault injection, inside a test runner: a floating matcher (no `await`) cleans up only what the handler made. A
// nested Vitest run must end on its own (the check once cleared the runner's timers and the run hung), and the
// handler's process listeners are gone afterwards. Adds ~20 s (one nested Vitest run).
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('a floating check inside Vitest', () => {
  it("ends every test on time, keeps the runner's timers and listeners, and removes the handler's", async () => {
    const run = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['node_modules/vitest/vitest.mjs', 'run', '--config', 'specs/fixtures/runner/vitest.config.ts'],
        // A hang is the failure this spec looks for: end it instead of waiting for it.
        { timeout: 100_000, env: { ...process.env, CI: 'true', NO_COLOR: '1' } },
        (error, stdout, stderr) =>
          resolve({ code: child.exitCode ?? (error ? -1 : 0), output: stdout + stderr }),
      );
    });
    expect(run.output).toMatch(/Tests\s+3 passed \(3\)/);
    expect(run.code, run.output).toBe(0);
  }, 120_000);
});
