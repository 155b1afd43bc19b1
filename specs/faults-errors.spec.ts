// Fault injection, hostile errors: an error whose message or stack getter throws, a thrown Proxy, thrown non-Errors
// and an Error.prepareStackTrace that throws or returns a number are reported as Lambda's runtime reports them, with
// no crash, no raw stack, and each getter read no more often than Lambda reads it. Adds ~60 s (CLI runs).
import { describe, expect, it } from 'vitest';
import {
  toLambdaError,
  UNREADABLE_ERROR_MESSAGE,
  unhandledRejectionError,
} from '../harness/runtime/lambda-error.js';
import { leftovers, newCase, runCli } from './fixtures/fault-run.js';

const FIXTURE = 'specs/fixtures/fault-errors.cjs';
const UNREADABLE = { errorType: 'handled', errorMessage: UNREADABLE_ERROR_MESSAGE, trace: [] };
// A stack frame as Node prints one: none may reach the user's terminal.
const RAW_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

describe("Lambda's error shape for errors that cannot be read", () => {
  it('reads name, message and stack once each, and reports a throwing getter as Lambda does', () => {
    const reads = { name: 0, message: 0, stack: 0 };
    const error = new Error('real');
    for (const key of ['stack', 'name', 'message'] as const) {
      Object.defineProperty(error, key, {
        get() {
          reads[key] += 1;
          if (key === 'message') throw new Error('getter');
          return key === 'stack' ? 'Error: real' : 'Error';
        },
      });
    }
    expect(toLambdaError(error)).toEqual(UNREADABLE);
    expect(reads).toEqual({ name: 1, message: 1, stack: 0 });
  });

  it('calls no trap of a Proxy it cannot read twice, and reports it as unreadable', () => {
    let traps = 0;
    const proxy = new Proxy(new Error('x'), {
      get() {
        traps += 1;
        throw new Error('trap');
      },
    });
    expect(toLambdaError(proxy)).toEqual(UNREADABLE);
    expect(traps).toBe(1);
  });

  it('reports non-Errors by typeof and toString(), as Lambda does', () => {
    expect(toLambdaError('boom')).toEqual({ errorType: 'string', errorMessage: 'boom', trace: [] });
    expect(toLambdaError(Symbol('s'))).toEqual({ errorType: 'symbol', errorMessage: 'Symbol(s)', trace: [] });
    expect(toLambdaError(42)).toEqual({ errorType: 'number', errorMessage: '42', trace: [] });
    expect(toLambdaError({ code: 1 })).toEqual({
      errorType: 'object',
      errorMessage: '[object Object]',
      trace: [],
    });
    expect(toLambdaError(Object.create(null))).toEqual(UNREADABLE);
  });

  it('an unhandled rejection whose reason cannot be read keeps its Lambda type', () => {
    const reason = new Error('x');
    Object.defineProperty(reason, 'message', {
      get() {
        throw new Error('getter');
      },
    });
    expect(unhandledRejectionError(reason)).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: UNREADABLE_ERROR_MESSAGE,
    });
    expect(unhandledRejectionError(Symbol('s')).errorMessage).toBe('Symbol(s)');
  });
});

describe('warmleak invoke and check with a hostile error', () => {
  const CASES: Array<[string, object]> = [
    ['throwingMessage', UNREADABLE],
    ['throwingStack', UNREADABLE],
    ['proxy', UNREADABLE],
    ['string', { errorType: 'string', errorMessage: 'a plain string', trace: [] }],
    // Lambda's `fail(null)` answers with the string 'handled'.
    ['null', { errorType: 'string', errorMessage: 'handled', trace: [] }],
    ['symbol', { errorType: 'symbol', errorMessage: 'Symbol(thrown symbol)', trace: [] }],
    ['stackTraceThrows', UNREADABLE],
    ['stackTraceNumber', UNREADABLE],
  ];

  it('invoke answers each with the error Lambda would post, and prints no raw stack', async () => {
    const runs = await Promise.all(
      CASES.map(async ([name]) => {
        const fault = newCase();
        const run = await runCli(fault, ['invoke', `${FIXTURE}#${name}`, '-n', '2']);
        expect(await leftovers(fault)).toEqual({ processes: [], dirs: [] });
        return run;
      }),
    );
    CASES.forEach(([name, expected], i) => {
      const run = runs[i];
      // The first invocation succeeds (a check needs one), the second throws.
      const response = run.stdout.match(/^Response: .*$/gm)?.[1]?.slice('Response: '.length);
      expect(response && JSON.parse(response), `${name}: ${run.stdout}${run.stderr}`).toEqual(expected);
      expect(run.stdout + run.stderr, name).not.toMatch(RAW_FRAME);
      expect(run.code, name).toBe(0);
    });
  }, 90_000);

  /** `check <target> --invocations 10 --json --isolation <mode>`, asserting nothing is left behind. */
  async function checkJson(target: string, isolation: string) {
    const fault = newCase();
    const run = await runCli(fault, [
      'check',
      target,
      '--invocations',
      '10',
      '--json',
      '--isolation',
      isolation,
    ]);
    expect(await leftovers(fault)).toEqual({ processes: [], dirs: [] });
    return run;
  }

  for (const isolation of ['inline', 'process']) {
    it(`check --isolation ${isolation}: a throwing Error.prepareStackTrace is counted as a 'handled' error, not a crash`, async () => {
      const run = await checkJson(`${FIXTURE}#stackTraceThrows`, isolation);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout);
      expect(report.verdict).toBe('pass');
      expect(Object.keys(report.errors.byType)).toEqual(['handled']);
      expect(report.errors.first).toMatchObject({
        errorType: 'handled',
        errorMessage: UNREADABLE_ERROR_MESSAGE,
      });
    }, 90_000);

    it(`check --isolation ${isolation}: a string-returning Error.prepareStackTrace does not hide an interval's line`, async () => {
      const run = await checkJson('specs/fixtures/fault-hidden-interval.cjs', isolation);
      expect(run.code, run.stderr).toBe(1);
      const finding = JSON.parse(run.stdout).findings.find((f: { kind: string }) => f.kind === 'handle');
      expect(finding).toMatchObject({
        name: 'setInterval',
        site: 'specs/fixtures/fault-hidden-interval.cjs:6:3',
        growthPerInvocation: 1,
      });
    }, 90_000);
  }
});
