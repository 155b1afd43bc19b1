// Fault injection, process.env: a handler that adds a variable per invocation is a global finding naming process.env
// and the shape of the new keys, in both isolation modes, and hostile key names reach the text output inert.
// Adds ~30 s (CLI runs).
import { describe, expect, it } from 'vitest';
import { leftovers, newCase, runCli } from './fixtures/fault-run.js';

const FIXTURE = 'specs/fixtures/fault-env.cjs';
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding exactly those characters is the point.
const LIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

async function check(args: string[]) {
  const fault = newCase();
  const run = await runCli(fault, ['check', ...args, '--invocations', '30']);
  expect(await leftovers(fault)).toEqual({ processes: [], dirs: [] });
  return run;
}

describe('process.env growth', () => {
  for (const isolation of ['inline', 'process']) {
    it(`a key per invocation is a global finding on process.env with the key's shape (--isolation ${isolation})`, async () => {
      const run = await check([`${FIXTURE}#keyPerInvocation`, '--json', '--isolation', isolation]);
      expect(run.code, run.stderr).toBe(1);
      const findings = JSON.parse(run.stdout).findings;
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        kind: 'global',
        name: 'process.env',
        unit: 'keys',
        growthPerInvocation: 1,
      });
      expect(findings[0].message).toMatch(
        /^global process\.env \(new keys REQUEST_<n>\) grew by 1 key per invocation: \d+ -> \d+$/,
      );
    }, 60_000);
  }

  it('setting the same variable every invocation passes', async () => {
    const run = await check([`${FIXTURE}#sameKey`, '--json', '--isolation', 'inline']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).verdict).toBe('pass');
  }, 60_000);

  it('hostile key names are escaped in the text report: no control character, no line starting with ::', async () => {
    const run = await check([`${FIXTURE}#hostileKeys`, '--isolation', 'inline']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('process.env (new keys \\n::warning::forged <n>');
    expect(LIVE.exec(run.stdout + run.stderr)?.[0]).toBeUndefined();
    expect((run.stdout + run.stderr).split('\n').filter((line) => line.startsWith('::'))).toEqual([]);
  }, 60_000);
});
