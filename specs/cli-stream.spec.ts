// `warmleak check` streams its report: a handler's part is on stdout as soon as its environment ends, not once the
// whole run is over, and a streamed JSON array through a pipe arrives whole (more than 64 KiB, every handler once).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFleet } from './bench/fleet.js';

const scratch = mkdtempSync(join(tmpdir(), 'warmleak-stream-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The CLI from source, its stdout read as it comes; `onStdout` sees everything so far after each chunk. */
function check(args: string[], cwd: string, onStdout: (stdout: string) => void = () => {}) {
  // bin/warmleak.js runs the source through tsx from any folder (npx would look for tsx in `cwd`).
  const child = spawn(process.execPath, [join(process.cwd(), 'bin/warmleak.js'), 'check', ...args], {
    cwd,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    onStdout(stdout);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('check streams its report', () => {
  it('--json: the first handler is on stdout before the second has loaded (its init waits for that)', {
    timeout: 120_000,
  }, async () => {
    const gate = join(scratch, 'gate');
    const root = process.cwd();
    const run = await check(
      [
        'specs/fixtures/arrays.cjs',
        'specs/fixtures/stream-gate.cjs',
        '--concurrency',
        '1',
        '--invocations',
        '20',
        '--env',
        `STREAM_GATE=${gate}`,
        '--json',
      ],
      root,
      // The first element is whole once its closing brace, at the array's indentation, has arrived.
      (stdout) => {
        if (stdout.includes('\n  }')) writeFileSync(gate, '');
      },
    );
    const reports = JSON.parse(run.stdout) as Array<{ handler: string; verdict: string; error?: unknown }>;
    expect(reports.map((r) => r.handler)).toEqual([
      'specs/fixtures/arrays.cjs#handler',
      'specs/fixtures/stream-gate.cjs#handler',
    ]);
    expect(reports[0].verdict).toBe('leak');
    // Without streaming the gate never opens: init outlives Lambda's 10 s and the environment is killed
    // (Sandbox.Timedout). The gated handler's verdict is the heap's business, not this spec's.
    expect(reports[1].error, run.stdout.slice(-2000)).toBeUndefined();
    expect(run.code).toBe(1);
  });

  it('--json through a pipe: 14 handlers, more than 64 KiB, a whole array with each handler once', {
    timeout: 180_000,
  }, async () => {
    const dir = join(scratch, 'fleet');
    const fleet = writeFleet(dir, 14, ['state']);
    const run = await check(['src/*.cjs', '--invocations', '20', '--isolation', 'inline', '--json'], dir);
    expect(run.code).toBe(1);
    expect(Buffer.byteLength(run.stdout)).toBeGreaterThan(65_536);
    const reports = JSON.parse(run.stdout) as Array<{ handler: string; verdict: string }>;
    expect(reports.map((r) => r.handler).sort()).toEqual(fleet.files.map((f) => `${f.path}#handler`).sort());
    expect(new Set(reports.map((r) => r.verdict))).toEqual(new Set(['leak']));
  });
});
