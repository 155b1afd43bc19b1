// Fault injection, output: more than 64 KiB through a pipe (--json, invoke, stderr) arrives whole, and hostile keys,
// messages and file names reach no terminal or CI log live, in every reporter and both isolation modes.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FaultCase, leftovers, newCase, type Run, runCli } from './fixtures/fault-run.js';
import { parseXml } from './fixtures/strict-xml.js';

const FIXTURE = 'specs/fixtures/fault-hostile.cjs';
const HOSTILE_KEYS = [
  '\n::error file=forged.ts,line=1::forged annotation',
  '\x1b[2J\x1b]0;pwned\x07',
  '\rPASS\u202e',
];
const MODES = ['process', 'inline'] as const;
// Anything that moves the cursor, colours, rewrites a line or reorders text; \n ends lines, \t separates fields.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding exactly those characters is the point.
const LIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// The github reporter's own annotations, nothing else, may start with `::`.
const OWN_ANNOTATION = /^::error file=[^,:\n]*(,line=\d+)?(,col=\d+)?,title=[^:\n]*::/;

async function check(fault: FaultCase, args: string[]): Promise<Run> {
  const run = await runCli(fault, ['check', ...args]);
  expect(await leftovers(fault)).toEqual({ processes: [], dirs: [] });
  return run;
}

function expectInert(run: Run, github = false): void {
  for (const [name, text] of [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
  ]) {
    expect(LIVE.exec(text)?.[0], `${name} carries a live control character`).toBeUndefined();
    const commands = text.split('\n').filter((line) => line.startsWith('::'));
    if (github && name === 'stdout') for (const line of commands) expect(line).toMatch(OWN_ANNOTATION);
    else expect(commands, `${name} has a line starting with ::`).toEqual([]);
  }
}

describe('more than 64 KiB through a pipe arrives whole', () => {
  for (const isolation of MODES) {
    it(`check --json (${isolation})`, async () => {
      const run = await check(newCase(), [
        `${FIXTURE}#bigKey`,
        '--invocations',
        '30',
        '--json',
        '--isolation',
        isolation,
      ]);
      expect(run.code).toBe(1);
      expect(run.stdoutBytes).toBeGreaterThan(3 * 65_536);
      const report = JSON.parse(run.stdout);
      expect(report.findings[0].path).toContain('x'.repeat(100_000));
    });
  }

  it('invoke: 20 transcripts of 10 KB each', async () => {
    const fault = newCase();
    const run = await runCli(fault, ['invoke', `${FIXTURE}#logs`, '-n', '20']);
    expect(await leftovers(fault)).toEqual({ processes: [], dirs: [] });
    expect(run.code).toBe(0);
    expect(run.stdoutBytes).toBeGreaterThan(200_000);
    expect(run.stdout.match(/^REPORT RequestId: /gm)).toHaveLength(20);
    expect(run.stdout.endsWith('Response: "ok"\n')).toBe(true);
    expectInert(run);
  });

  it('stderr: a 100 KB error message', async () => {
    const run = await check(newCase(), [`${FIXTURE}#throwsBig`, '--invocations', '30']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^warmleak: \S+#throwsBig: .*big y{100000} end.*\n/);
  });
});

describe('hostile text is inert in every output', () => {
  for (const isolation of MODES) {
    it(`keys that forge annotations and drive the terminal: text, github, junit, json (${isolation})`, async () => {
      const args = [`${FIXTURE}#keys`, '--invocations', '30', '--isolation', isolation];
      const [text, github, junit, json] = await Promise.all([
        check(newCase(), args),
        check(newCase(), [...args, '--reporter', 'github']),
        check(newCase(), [...args, '--reporter', 'junit']),
        check(newCase(), [...args, '--json']),
      ]);
      for (const run of [text, github, junit, json]) expect(run.code, run.stderr).toBe(1);
      expectInert(text);
      expect(text.stdout).toContain('store.\\n::error file=forged.ts,line=1::forged annotation');
      expectInert(github, true);
      expect(github.stdout.split('\n').filter((line) => line.startsWith('::'))).toHaveLength(3);
      expectInert(junit);
      const testcase = parseXml(junit.stdout).children[0].children[0];
      expect(testcase.children[0].attributes.message).toContain('\\x1b[2J\\x1b]0;pwned\\x07');
      // JSON is data: the keys arrive exactly as the handler wrote them, escaped by JSON itself.
      expectInert(json);
      const names = JSON.parse(json.stdout).findings.map((finding: { path: string }) => finding.path);
      expect(names.sort()).toEqual(HOSTILE_KEYS.map((key) => `store.${key}`).sort());
    });

    it(`an error message with escapes and a forged annotation, on stderr and in the report (${isolation})`, async () => {
      const run = await check(newCase(), [
        `${FIXTURE}#throws`,
        '--invocations',
        '30',
        '--isolation',
        isolation,
      ]);
      expect(run.code).toBe(2);
      expectInert(run);
      expect(run.stderr).toContain('\\x1b[2J\\x1b[H\\r::error::forged by a message PASS');
    });
  }

  it('a file name with $(...) and escapes: every line inert, and the rerun line runs nothing when pasted', async () => {
    const fault = newCase();
    const pwned = join(fault.tmp, 'PWNED');
    const file = join(fault.tmp, `evil $(touch PWNED) ';\x1b[31m.cjs`);
    copyFileSync(FIXTURE, file);
    const run = await runCli(fault, ['check', `${file}#keys`, '--invocations', '30']);
    expect(run.code, run.stderr).toBe(1);
    expectInert(run);
    const rerun = /^ {2}rerun: (.*)$/m.exec(run.stdout)?.[1] ?? '';
    // Pasted into bash, with npx standing in for itself: the words come back exactly, and nothing ran.
    const words = execFileSync('bash', ['-c', `npx() { printf '%s\\n' "$@"; }; ${rerun}`], {
      cwd: fault.tmp,
      encoding: 'utf8',
    });
    expect(words.split('\n').slice(0, 3)).toEqual(['warmleak', 'check', `${file}#keys`]);
    expect(existsSync(pwned)).toBe(false);
    expect(await leftovers(fault)).toEqual({ processes: [], dirs: [] });
  });
});
