// `warmleak check | head -1`: when the reader of stdout goes away, the CLI stops as a Unix tool does on SIGPIPE
// (exit 141), with no stack trace, and leaves no environment or worker process behind.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProcessTable } from '../harness/probes/processes.js';

const descendantsOf = (pid: number): number[] => {
  const table = readProcessTable();
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const entry of table.values())
      if (entry.ppid === parent && entry.state !== 'Z') {
        found.push(entry.pid);
        walk(entry.pid);
      }
  };
  walk(pid);
  return found;
};

describe('stdout closed by its reader', () => {
  it('ends the check with exit 141, no stack trace, and nothing it started left running', {
    timeout: 120_000,
  }, async () => {
    // The first handler's report arrives; the reader closes; the second handler's report then has nowhere to go.
    const child = spawn(
      process.execPath,
      [
        join(process.cwd(), 'bin/warmleak.js'),
        'check',
        'specs/fixtures/arrays.cjs',
        'specs/fixtures/noop.cjs',
        '--concurrency',
        '1',
        '--invocations',
        '50',
      ],
      { env: { ...process.env, CI: 'true', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let firstLine = '';
    let runningAtClose: number[] = [];
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.setEncoding('utf8').once('data', (chunk: string) => {
      firstLine = chunk.split('\n')[0];
      runningAtClose = descendantsOf(child.pid as number);
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(firstLine).toMatch(/^LEAK specs\/fixtures\/arrays\.cjs#handler/);
    expect(code).toBe(141);
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at \w+ \(/);
    // What ran under the CLI when its reader left (tsx, a worker, the watchdog) is gone with it.
    expect(runningAtClose.length).toBeGreaterThan(0);
    // The watchdog notices its CLI is gone within its poll; nothing else should need that long.
    const alive = () => {
      const table = readProcessTable();
      return runningAtClose
        .filter((pid) => table.has(pid) && table.get(pid)?.state !== 'Z')
        .map((pid) => table.get(pid)?.command);
    };
    const deadline = Date.now() + 5000;
    while (alive().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toEqual([]);
  });
});
