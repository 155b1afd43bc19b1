// `warmleak check` end to end: exit codes, the --json contract on a clean stdout, several files with one broken, JUnit and GitHub output.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseXml } from './fixtures/strict-xml.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A guard against a hang, not a limit on speed: one CLI costs 2-5 s of CPU, so only a stuck one (or a machine
 * slower by 20x) reaches it. The CLI is killed first, so nothing it started outlives the test.
 */
const HANG_GUARD_MS = 110_000;

/**
 * Runs the CLI from source as a user would in CI (quiet: CI=true, no colour), bounded in time. Straight through
 * tsx's loader, without npx (whose own start costs ~1.4 s of CPU per run).
 */
function warmleak(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'harness/cli/main.ts', 'check', ...args],
      { env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: undefined }, timeout: HANG_GUARD_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

// One CLI at a time: five at once (each forking its environments) made every case wait on the others, and at a
// machine load of 17-28 all five reached their time limit together.
describe('warmleak check', { timeout: HANG_GUARD_MS + 10_000 }, () => {
  it('--json prints exactly one report object on stdout and exits 1 on a leak, even when the handler writes to stdout', async () => {
    const run = await warmleak('specs/fixtures/cli-audit-log.ts', '--invocations', '30', '--json');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(Array.isArray(report)).toBe(false);
    for (const field of ['verdict', 'handler', 'invocations', 'findings', 'heap', 'timing'])
      expect(report).toHaveProperty(field);
    expect(report).toMatchObject({ verdict: 'leak', handler: 'specs/fixtures/cli-audit-log.ts#handler' });
    expect(report.findings[0]).toMatchObject({
      kind: 'state',
      name: 'auditLog',
      module: 'specs/fixtures/cli-audit-log.ts',
      growthPerInvocation: 1,
      unit: 'elements',
    });
    expect(report.heap.ci95).toHaveLength(2);
    expect(Object.keys(report.timing.warm).sort()).toEqual(['mean', 'p50', 'p99']);
  });

  it('checks every file when one has a syntax error and another exits, and writes JUnit a CI can parse', async () => {
    const run = await warmleak(
      'specs/fixtures/cli-orders-handler.ts',
      'specs/fixtures/cli-broken-handler.cjs',
      'specs/fixtures/exits-on-third-call.cjs',
      '--invocations',
      '30',
      '--reporter',
      'junit',
    );
    // A leak (the exiting environment) outranks the load failure: exit 1; the load failure is one stderr line.
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^warmleak: specs\/fixtures\/cli-broken-handler\.cjs#handler: syntax error in specs\/fixtures\/cli-broken-handler\.cjs:4/,
      ),
    ]);
    const suite = parseXml(run.stdout).children[0];
    const byName = Object.fromEntries(suite.children.map((testcase) => [testcase.attributes.name, testcase]));
    expect(Object.keys(byName)).toHaveLength(3);
    // The counts agree with the testcases (the orders handler's verdict is the analysis's business, not the reporter's).
    const failed = suite.children.filter((testcase) => testcase.children[0]?.name === 'failure').length;
    expect(suite.attributes).toMatchObject({ tests: '3', failures: String(failed), errors: '1' });
    expect(failed).toBeGreaterThanOrEqual(1);
    expect(byName['specs/fixtures/exits-on-third-call.cjs#handler'].children[0].attributes).toMatchObject({
      type: 'Runtime.ExitError',
      message: expect.stringMatching(
        /^Runtime\.ExitError at invocation 3: RequestId: \S+ Error: Runtime exited with error: exit status 3$/,
      ),
    });
    expect(byName['specs/fixtures/cli-broken-handler.cjs#handler'].children[0]).toMatchObject({
      name: 'error',
      attributes: { type: 'HandlerLoadError' },
    });
  });

  it('--json with several handlers gives the one that could not be loaded its entry, with error', async () => {
    const run = await warmleak(
      'specs/fixtures/cli-audit-log.ts',
      'specs/fixtures/cli-broken-handler.cjs',
      '--invocations',
      '30',
      '--json',
    );
    expect(run.code).toBe(1);
    // Entries come in the order checks end (two run at once), so each is found by its handler.
    const entries = JSON.parse(run.stdout) as Array<{ handler: string; verdict?: string }>;
    const entry = (name: string) => entries.find((each) => each.handler === `specs/fixtures/${name}#handler`);
    expect(entries.map((each) => each.handler).sort()).toEqual([
      'specs/fixtures/cli-audit-log.ts#handler',
      'specs/fixtures/cli-broken-handler.cjs#handler',
    ]);
    expect(entry('cli-audit-log.ts')?.verdict).toBe('leak');
    expect(entry('cli-broken-handler.cjs')).toEqual({
      handler: 'specs/fixtures/cli-broken-handler.cjs#handler',
      error: {
        errorType: 'HandlerLoadError',
        errorMessage: expect.stringMatching(/^syntax error in specs\/fixtures\/cli-broken-handler\.cjs:4/),
      },
    });
  });

  it('exits 2 with one line on stderr for a handler that cannot be loaded', async () => {
    const run = await warmleak('specs/fixtures/cli-broken-handler.cjs', '--json');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^warmleak: specs\/fixtures\/cli-broken-handler\.cjs#handler: syntax error in [^\n]+\n$/,
    );
    expect(run.stdout).toBe('');
  });

  it('annotates the culprit for GitHub, checking only its shard of a glob', async () => {
    // Sorted files: cli-audit-log.ts (shard 1 of 2), cli-orders-handler.ts (shard 2 of 2).
    const run = await warmleak(
      'specs/fixtures/cli-*.ts',
      '--invocations',
      '30',
      '--shard',
      '1/2',
      '--reporter',
      'github',
    );
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^::error file=specs\/fixtures\/cli-audit-log\.ts,title=warmleak%3A auditLog \+1 element per invocation::auditLog \(specs\/fixtures\/cli-audit-log\.ts\) grew by 1 element per invocation/,
    );
    expect(lines.at(-1)).toBe('warmleak: 1 handler checked, 1 leaking');
  });
});
