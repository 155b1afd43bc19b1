// warmleak's state-growth verdicts through a real Jest run on the built ESM package (--experimental-vm-modules), handlers imported as functions.
import { expect } from '@jest/globals';
import { Environment, expectNoStateLeak, runCheck, StateLeakError } from 'warmleak';
import 'warmleak/jest';

const quick = { invocations: 200 };
const handlerOf = async (file) => (await import(`../fixtures/${file}`)).handler;
const grown = (report) => report.findings.map((f) => `${f.kind}:${f.path ?? f.name}`);

describe('state that grows across warm invocations is named', () => {
  test('seed 000: expectNoStateLeak rejects naming arrayB, not arrayA', async () => {
    const error = await expectNoStateLeak(await handlerOf('arrays.cjs'), quick).catch((e) => e);
    expect(error).toBeInstanceOf(StateLeakError);
    expect(error.message).toMatch(
      /^ {2}✗ arrayB specs\/fixtures\/arrays\.cjs \+1 element per invocation\n {6}series .*\n {6}arrayB \(specs\/fixtures\/arrays\.cjs\) grew by 1 element per invocation/m,
    );
    expect(error.message).not.toMatch(/arrayA/);
  });

  test('a module-scope array in an imported module is named with that module', async () => {
    const report = await runCheck(await handlerOf('imported-metrics.ts'), quick);
    expect(report.verdict).toBe('leak');
    expect(report.findings.filter((f) => f.kind === 'state').map((f) => f.module)).toContain(
      'specs/fixtures/lib/metrics.ts',
    );
  });

  test("a singleton's property is named with its path", async () => {
    const report = await runCheck(await handlerOf('singleton-tracer.ts'), quick);
    expect(grown(report)).toContain('state:tracer.finished');
  });

  test('a string accumulator grows in characters', async () => {
    const report = await runCheck(await handlerOf('string-accumulator.ts'), quick);
    expect(report.findings[0]).toMatchObject({ name: 'csv', unit: 'characters' });
  });

  test('Map, Set and object-key growth are each named', async () => {
    const report = await runCheck(await handlerOf('collection-growth.ts'), quick);
    expect(grown(report)).toEqual(
      expect.arrayContaining(['state:sessions', 'state:activeUsers', 'state:tokensByUser']),
    );
    expect(grown(report)).not.toContain('state:config');
  });

  test('an undeclared global assigned in sloppy mode is a global finding', async () => {
    const report = await runCheck(await handlerOf('undeclared-global.cjs'), quick);
    expect(report.findings.find((f) => f.kind === 'global')?.name).toBe('requestLog');
  });

  test('a process listener added per invocation is a listener finding from the start', async () => {
    const before = process.listeners('beforeExit');
    try {
      const report = await runCheck(await handlerOf('process-listener.cjs'), {
        invocations: 20,
        checkpoints: 5,
      });
      const listener = report.findings.find((f) => f.kind === 'listener');
      expect(listener?.name).toMatch(/^process\.on\('beforeExit'/);
      expect(listener?.growthPerInvocation).toBe(1);
    } finally {
      // A handler passed as a function cannot be unloaded: take back the listeners it left on this worker's process.
      for (const added of process.listeners('beforeExit')) {
        if (!before.includes(added)) process.removeListener('beforeExit', added);
      }
    }
  });
});

describe('state that is kept on purpose passes', () => {
  test('seed 001: a counter and a TTL cache refreshed in place', async () => {
    await expect(await handlerOf('counter-ttl-cache.cjs')).not.toLeakState(quick);
  });

  test.each([
    ['an LRU capped at 100 with a new key per request', 'capped-lru.ts'],
    ['a WeakMap memo', 'weakmap-memo.ts'],
  ])('%s', async (_title, file) => {
    const report = await runCheck(await handlerOf(file), { invocations: 300 });
    expect(report.findings.map((f) => f.message)).toEqual([]);
    expect(report.verdict).toBe('pass');
  });
});

describe('handlers given by file path load through Node, not through the test runner', () => {
  test('a CommonJS handler file: arrayB is named', async () => {
    const error = await expectNoStateLeak('specs/fixtures/arrays.cjs', quick).catch((e) => e);
    expect(error.message).toMatch(
      /^ {2}✗ arrayB specs\/fixtures\/arrays\.cjs \+1 element per invocation\n {6}series .*\n {6}arrayB \(specs\/fixtures\/arrays\.cjs\) grew by 1 element per invocation/m,
    );
  });

  test('a TypeScript ESM handler file: tracer.finished is named, and a clean one passes', async () => {
    const report = await runCheck('specs/fixtures/singleton-tracer.ts', quick);
    expect(grown(report)).toContain('state:tracer.finished');
    await expect('specs/fixtures/capped-lru.ts').not.toLeakState(quick);
  });

  test("its console output goes to the invocation's transcript", async () => {
    const env = await Environment.create('specs/fixtures/arrays.cjs');
    try {
      await env.invoke({});
      const second = await env.invoke({});
      expect(second.logLines.filter((line) => line.includes('Array B:'))).toEqual([
        expect.stringMatching(/\tINFO\tArray B: \[ 'B', 'B' \]$/),
      ]);
    } finally {
      await env.dispose();
    }
  });
});
