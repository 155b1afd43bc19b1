import { describe, expect, it } from 'vitest';
import { HEAP_FLOOR_BYTES_PER_INVOCATION } from '../harness/analysis/heap.js';
import '../harness/assert/vitest.js';
import { expectNoStateLeak, runCheck, StateLeakError } from '../harness/index.js';

const fx = (name: string) => `specs/fixtures/${name}`;
const quick = { invocations: 200 };

function grown(report: Awaited<ReturnType<typeof runCheck>>) {
  return report.findings.map((f) => `${f.kind}:${f.path ?? f.name}`);
}

describe('state that grows across warm invocations is named', () => {
  it('seed 000: arrayB grows by one element per invocation, arrayA is reset and not named', async () => {
    const report = await runCheck(fx('arrays.cjs'), quick);
    expect(report.verdict).toBe('leak');
    const arrayB = report.findings.find((f) => f.name === 'arrayB');
    expect(arrayB).toMatchObject({ kind: 'state', module: 'specs/fixtures/arrays.cjs', unit: 'elements' });
    expect(arrayB?.growthPerInvocation).toBe(1);
    expect(arrayB?.message).toMatch(
      /^arrayB \(specs\/fixtures\/arrays\.cjs\) grew by 1 element per invocation: \d+ -> \d+$/,
    );
    expect(report.findings.some((f) => f.name === 'arrayA')).toBe(false);
  });

  it('a module-scope array in an imported module is named with that module', async () => {
    const report = await runCheck(fx('imported-metrics.ts'), quick);
    expect(report.verdict).toBe('leak');
    expect(report.findings.filter((f) => f.kind === 'state').map((f) => f.module)).toContain(
      'specs/fixtures/lib/metrics.ts',
    );
  });

  it("a singleton's property is named with its path", async () => {
    const report = await runCheck(fx('singleton-tracer.ts'), quick);
    expect(grown(report)).toContain('state:tracer.finished');
  });

  it("a class-based handler bound to its service names the instance's growing field", async () => {
    const report = await runCheck(fx('bound-order-service.ts'), quick);
    expect(grown(report)).toEqual(['state:OrderService.processedIds']);
    expect(report.findings[0].module).toBe('specs/fixtures/bound-order-service.ts');
  });

  it("growth inside a small Map's value is named with the key: the Map's size never changes", async () => {
    const report = await runCheck(fx('session-events.cjs'), quick);
    expect(grown(report)).toEqual(['state:sessions.default.events']);
  });

  it('a string accumulator grows in characters', async () => {
    const report = await runCheck(fx('string-accumulator.ts'), quick);
    expect(report.findings[0]).toMatchObject({ name: 'csv', unit: 'characters' });
  });

  it('Map, Set and object-key growth are each named', async () => {
    const report = await runCheck(fx('collection-growth.ts'), quick);
    expect(grown(report)).toEqual(
      expect.arrayContaining(['state:sessions', 'state:activeUsers', 'state:tokensByUser']),
    );
    expect(grown(report)).not.toContain('state:config');
  });

  it('an undeclared global assigned in sloppy mode is a global finding', async () => {
    const report = await runCheck(fx('undeclared-global.cjs'), quick);
    expect(report.findings.some((f) => f.kind === 'global')).toBe(true);
  });

  it('a process listener added per invocation is a listener finding from the start', async () => {
    const report = await runCheck(fx('process-listener.cjs'), { invocations: 20, checkpoints: 5 });
    const listener = report.findings.find((f) => f.kind === 'listener');
    expect(listener?.name).toMatch(/^process\.on\('/);
    expect(listener?.growthPerInvocation).toBe(1);
  });

  it('verdicts and names are identical in repeated runs', async () => {
    const names = [];
    for (let run = 0; run < 3; run++)
      names.push(
        grown(await runCheck(fx('arrays.cjs'), quick))
          .sort()
          .join(),
      );
    expect(new Set(names).size).toBe(1);
  });
});

describe('state that is kept on purpose passes', () => {
  it.each([
    ['seed 001: a counter and a TTL cache refreshed in place', 'counter-ttl-cache.cjs'],
    ['an LRU capped at 100 with a new key per request', 'capped-lru.ts'],
    ['a cache capped at 750, larger than the first phase', 'price-cache.ts'],
    ['a WeakMap memo', 'weakmap-memo.ts'],
  ])('%s', async (_title, file) => {
    const report = await runCheck(fx(file), { invocations: 300 });
    expect(report.findings.map((f) => f.message)).toEqual([]);
    expect(report.verdict).toBe('pass');
  });

  it('allow names intentional growth', async () => {
    const report = await runCheck(fx('arrays.cjs'), { ...quick, allow: ['arrayB'] });
    expect(report.findings.filter((f) => f.kind === 'state')).toEqual([]);
  });
});

describe('assertions', () => {
  it('expectNoStateLeak rejects with the culprit first (name, place, growth; series; sentence), then how to rerun it, then what was checked', async () => {
    const error = await expectNoStateLeak(fx('arrays.cjs'), quick).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateLeakError);
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toMatch(
      /^specs\/fixtures\/arrays\.cjs#handler leaks state across warm invocations: 1 thing grows\.$/,
    );
    expect(lines[2]).toBe('  ✗ arrayB specs/fixtures/arrays.cjs +1 element per invocation');
    expect(lines[3]).toMatch(/^ {6}series \(value @invocation\): \d+ @\d+, /);
    expect(lines[4]).toMatch(/^ {6}arrayB \(specs\/fixtures\/arrays\.cjs\) grew by 1 element per invocation/);
    expect(lines).toContain(
      '  rerun: npx warmleak check specs/fixtures/arrays.cjs#handler --invocations 200 --isolation inline',
    );
    expect(lines[lines.length - 1]).toMatch(
      /^Checked: \d+ invocations in one warm environment; probes: .*module-scope.*; heap [+-]?[\d.]+ B\/invocation \(ci95 -?[\d.]+\.\.-?[\d.]+\)\.$/,
    );
    // The probe that found arrayB is not among those that passed. arrayB's elements (and the lines it logs) grow the
    // heap too: when its interval lies wholly above the allowance, the heap did not pass either (checked-passed).
    const { report } = error as StateLeakError;
    expect(report.passed).toContain('listeners');
    expect(report.passed).not.toContain('module-scope');
    if (report.heap.ci95[0] > HEAP_FLOOR_BYTES_PER_INVOCATION) expect(report.passed).not.toContain('heap');
  });

  it('expectNoStateLeak resolves with the report for a clean handler', async () => {
    const report = await expectNoStateLeak(fx('counter-ttl-cache.cjs'), quick);
    expect(report.verdict).toBe('pass');
  });

  it('expect(handler).not.toLeakState() passes a clean imported function and fails a leaky one', async () => {
    const clean = (await import('./fixtures/capped-lru.js')).handler;
    await expect(clean).not.toLeakState(quick);
    const leaky = (await import('./fixtures/string-accumulator.js')).handler;
    await expect(expect(leaky).not.toLeakState(quick)).rejects.toThrow(
      /csv \(specs\/fixtures\/string-accumulator\.ts\) grew by \d+(\.\d+)? characters per invocation/,
    );
  });
});
