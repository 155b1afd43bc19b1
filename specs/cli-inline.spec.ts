// `warmleak check` in this process: inline isolation keeps stdout for the report, and bad usage is a UsageError.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { check } from '../harness/cli/check.js';
import { UsageError } from '../harness/errors.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('warmleak check (in process)', () => {
  it('inline isolation keeps the handler’s own stdout out of the one JSON report', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(
      (chunk: string | Uint8Array) => stdout.push(String(chunk)) > 0,
    );
    vi.spyOn(process.stderr, 'write').mockImplementation(
      (chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0,
    );
    const code = await check(['specs/fixtures/cli-audit-log.ts'], {
      json: true,
      isolation: 'inline',
      invocations: 30,
    });
    vi.restoreAllMocks();
    expect(code).toBe(1);
    expect(stdout).toHaveLength(1);
    const report = JSON.parse(stdout[0]);
    expect(report.findings.map((finding: { name: string }) => finding.name)).toContain('auditLog');
    // The handler's own writes go to its invocations' transcripts (as Lambda sends them to CloudWatch), never to
    // the report's stdout.
    expect(stdout.join('').includes('audit ')).toBe(false);
  });

  it('rejects bad usage before running anything', async () => {
    await expect(check(['specs/fixtures/cli-*.ts'], { shard: '5/4' })).rejects.toThrow(
      new UsageError('--shard must be i/n with 1 <= i <= n (e.g. --shard 1/4), got "5/4"'),
    );
    await expect(check(['specs/fixtures/cli-audit-log.ts'], { reporter: 'xml' })).rejects.toThrow(
      'unknown reporter "xml"; use text, json, junit, github, html or markdown',
    );
    await expect(check(['specs/fixtures/cli-audit-log.ts'], { memory: '64' })).rejects.toThrow(
      '--memory must be an integer >= 128, got "64"',
    );
    // Lambda's timeout is in seconds; `--timeout 1` would have timed every invocation out after 1 ms.
    await expect(check(['specs/fixtures/cli-audit-log.ts'], { timeout: '1' })).rejects.toThrow(
      new UsageError(
        `--timeout is in milliseconds and Lambda's shortest timeout is 1 second, got "1"; for 1 second use --timeout 1000`,
      ),
    );
    await expect(check(['specs/fixtures/no-such-*.ts'], {})).rejects.toThrow(
      'no file matches "specs/fixtures/no-such-*.ts"',
    );
  });
});
