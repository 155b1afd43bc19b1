// Carry-over: another invocation's canary in a response or log line is one user's data served to another; strict mode
// also names module-scope variables still holding request data. The rule on text, then handlers, CLI and assertion.
import { describe, expect, it } from 'vitest';
import { canariesIn } from '../harness/analysis/carry-over.js';
import { expectNoStateLeak, StateLeakError } from '../harness/assert/expect-no-state-leak.js';
import { runCheck } from '../harness/check/index.js';
import { compileEvents, eventOf } from '../harness/events/program.js';
import { checkCli } from './fixtures/check-cli.js';

const program = (...values: unknown[]) =>
  compileEvents(values.map((value, i) => ({ value, label: `e${i}` })));
const auth = (p: ReturnType<typeof program>, i: number) =>
  (eventOf(p, i) as { headers: { authorization: string } }).headers.authorization;

describe('the carry-over rule', () => {
  it('finds a uuid canary of an earlier invocation, by field, however long ago', () => {
    const p = program({ headers: { authorization: 'Bearer {{uuid}}' } });
    expect(canariesIn(`{"viewer":"${auth(p, 3)}"}`, 400, p)).toEqual([
      { field: 'headers.authorization', from: 3, value: auth(p, 3) },
    ]);
  });

  it("an invocation's own canaries, and later ones, are not carried over", () => {
    const p = program({ headers: { authorization: 'Bearer {{uuid}}' } });
    expect(canariesIn(`{"viewer":"${auth(p, 7)}"}`, 7, p)).toEqual([]);
    expect(canariesIn(`{"viewer":"${auth(p, 9)}"}`, 7, p)).toEqual([]);
  });

  it('finds `user-{{seq}}` of a recent invocation as a whole token only (user-1 is not in user-15)', () => {
    const p = program({ user: 'user-{{seq}}' });
    expect(canariesIn('hello user-12', 15, p)).toEqual([{ field: 'user', from: 12, value: 'user-12' }]);
    expect(canariesIn('hello user-15', 15, p)).toEqual([]);
    expect(canariesIn('{"n":"user-150"}', 15, p)).toEqual([]);
  });

  it('values that do not tell invocations apart ({{pick}}, {{int}}, a bare {{seq}}) are never canaries', () => {
    const p = program({ tier: '{{pick gold silver}}', n: '{{int 1 3}}', i: '{{seq}}' });
    expect(canariesIn('gold 1 2 3 silver 4', 5, p)).toEqual([]);
  });
});

const lastCaller = 'specs/fixtures/last-caller-auth.ts';
const authEvents = 'specs/fixtures/events/auth-then-anonymous.jsonl';

describe('a handler that serves the last caller’s authorization to a request with none (expectNoStateLeak)', () => {
  it('is a carry-over finding naming the field and the variable that holds it', async () => {
    const error = await expectNoStateLeak(lastCaller, { events: authEvents, invocations: 60 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(StateLeakError);
    const [finding] = (error as StateLeakError).report.findings;
    expect(finding).toMatchObject({
      kind: 'carry-over',
      field: 'headers.authorization',
      name: 'lastAuthorization',
      module: lastCaller,
    });
    expect(finding.message).toBe(
      "headers.authorization of invocation 1 was served to invocation 2 (in its response): one request's data reached another; lastAuthorization (specs/fixtures/last-caller-auth.ts) holds it",
    );
  });

  it('strict also names the variable still holding request data after its invocation', async () => {
    const report = await runCheck(lastCaller, { events: authEvents, invocations: 60, strict: true });
    expect(report.findings.map((f) => f.message)).toContainEqual(
      expect.stringMatching(
        /^lastAuthorization \(specs\/fixtures\/last-caller-auth.ts\) still holds request data \(headers.authorization of invocation \d+\) after its invocation ended$/,
      ),
    );
  });

  it('a handler that echoes and logs only its own request passes, strict too', async () => {
    const report = await runCheck('specs/fixtures/echo-own-request.ts', {
      events: authEvents,
      invocations: 60,
      strict: true,
    });
    expect(report.findings.map((f) => f.message)).toEqual([]);
    expect(report.verdict).toBe('pass');
  });

  it('a keyed cache is growth, not carry-over, even in strict mode (its entries sit in a keyed collection)', async () => {
    const report = await runCheck('specs/fixtures/product-cache.ts', {
      events: 'specs/fixtures/events/products.jsonl',
      invocations: 100,
      strict: true,
    });
    expect(report.findings.map((f) => `${f.kind}:${f.name}`)).toEqual(['state:productCache']);
  });
});

const cli = (...args: string[]) => checkCli(args);

describe('the same through warmleak check', () => {
  it('--events JSON Lines --strict: exit 1, carry-over findings naming field and variable in the JSON', async () => {
    const run = await cli(lastCaller, '--events', authEvents, '--invocations', '60', '--strict', '--json');
    expect(run.code).toBe(1);
    const findings = JSON.parse(run.stdout).findings as Array<Record<string, unknown>>;
    expect(findings.map((f) => [f.kind, f.field, f.name, f.module])).toEqual([
      ['carry-over', 'headers.authorization', 'lastAuthorization', lastCaller],
      ['carry-over', 'headers.authorization', 'lastAuthorization', lastCaller],
    ]);
  });
});
