// Real handlers through `warmleak check` as a user runs it in CI, each also through expectNoStateLeak: a socket leaked
// only on a handled error's path, and fetch answered by undici's MockAgent registered in a --setup file (the README's
// recipe). Adds ~90 s: five CLI runs and one inline check (the MockAgent run alone is ~45 s, see below).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectNoStateLeak, StateLeakError } from '../harness/assert/expect-no-state-leak.js';
import type { Report } from '../harness/types.js';
import { checkCli } from './fixtures/check-cli.js';
import { useInventoryService } from './fixtures/inventory-service.js';

const cli = (...args: string[]) => checkCli(args);

describe('a socket leaked only on the error path of one invocation in ten', () => {
  const handler = 'specs/fixtures/error-path-socket.ts';
  useInventoryService();

  it('warmleak check --json: exit 1, the TCP handle named at its line, the errors counted by type', async () => {
    const run = await cli(handler, '--invocations', '200', '--json');
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.verdict).toBe('leak');
    const handle = report.findings.find((f) => f.kind === 'handle');
    expect(handle?.message).toMatch(/TCP/);
    expect(handle?.site).toMatch(/^specs\/fixtures\/error-path-socket\.ts:\d+/);
    expect(handle?.growthPerInvocation).toBeCloseTo(0.1, 2);
    const failed = Math.floor(report.invocations / 10);
    expect(report.errors).toEqual({
      count: failed,
      byType: { Error: failed },
      first: { errorType: 'Error', errorMessage: 'order 10 refused: out of stock', invocation: 9 },
    });
  });

  it('warmleak check (text): exit 1, the leak and the error count in the output', async () => {
    const run = await cli(handler, '--invocations', '200');
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/TCP/);
    expect(run.stdout).toMatch(/(\d+) of (\d+) invocations failed \(Error \1\)/);
  });

  it('expectNoStateLeak: a StateLeakError naming the handle, with the errors in its report', async () => {
    const error = await expectNoStateLeak(handler, { invocations: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateLeakError);
    const { report } = error as StateLeakError;
    expect(report.findings.map((f) => f.kind)).toContain('handle');
    expect(report.errors?.count).toBe(Math.floor(report.invocations / 10));
  });
});

describe("fetch answered by undici's MockAgent from a --setup file (the README's recipe)", () => {
  const handler = 'specs/fixtures/price-fetch.ts';
  const setup = 'specs/fixtures/setup/mock-fetch.ts';
  const events = 'specs/fixtures/events/products-seq.json';

  // A fetch through MockAgent costs ~2.6 ms here, and the heap around fetch itself drifts: 28-42 B/invocation over
  // ~4,600 invocations in three CLI runs on Node 20 (ci95 lower bounds -41..9, once above the 32 B floor in a loaded
  // spec run), 0.7-48 B per 2,000-call window in a bare loop with no harness. Until that is explained the heap
  // verdict stays out of this spec, as in pending-library-timers: every named probe must pass, and nothing may fail.
  it('warmleak check --setup: every call answered, no named finding', { timeout: 150_000 }, async () => {
    const run = await checkCli(
      [handler, '--setup', setup, '--events', events, '--invocations', '200', '--json'],
      140_000,
    );
    const report = JSON.parse(run.stdout) as Report;
    expect(run.code, run.stderr).toBe(report.verdict === 'pass' ? 0 : 1);
    expect(report.errors).toEqual({ count: 0, byType: {} });
    expect(report.findings.filter((f) => f.kind !== 'heap').map((f) => f.message)).toEqual([]);
  });

  it("the README's recipe is this setup file's code", () => {
    const code = (text: string) =>
      text
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith('//'))
        .join('\n');
    const readme = readFileSync('README.md', 'utf8');
    const block = /```ts\n(\/\/ test\/mock-fetch\.ts[\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(code(block)).not.toBe('');
    expect(code(block)).toBe(code(readFileSync(setup, 'utf8')));
  });

  it('without the setup file no request is answered: exit 2, one line naming --setup', async () => {
    const run = await cli(handler, '--events', events, '--invocations', '20');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /failed on invocation 1: .*could not reach a service it calls: mock it in a --setup file/,
    );
  });
});
