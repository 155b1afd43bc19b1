// One failure story: a matcher's failure and `warmleak check`'s text output tell it in the same lines, and the rerun
// line carries what the run was given (event, memory, timeout, isolation) or says where the events came from.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { reproduceFromOptions } from '../harness/assert/reproduce.js';
import { createEvent, expectNoStateLeak } from '../harness/index.js';
import { htmlReporter } from '../harness/reporters/html.js';
import { textReporter } from '../harness/reporters/text.js';
import { rerunCommand } from '../harness/reporters/text-failure.js';
import { checkCli } from './fixtures/check-cli.js';
import { leakingReport } from './fixtures/reports.js';

const arrays = 'specs/fixtures/arrays.cjs#handler';

/** The culprit's three lines (name, place, growth; series; sentence) and the rerun line. */
function story(lines: string[]): string[] {
  const culprit = lines.findIndex((line) => line.startsWith('  ✗ arrayB '));
  expect(culprit).toBeGreaterThan(-1);
  return [...lines.slice(culprit, culprit + 3), ...lines.filter((line) => line.startsWith('  rerun: '))];
}

describe('the failure story', () => {
  it('is the same lines in a matcher failure and in warmleak check text output, rerun line included', async () => {
    const options = { invocations: 200, memorySizeMB: 256, timeoutMs: 5000, event: createEvent('sqs') };
    const error = (await expectNoStateLeak(arrays, options).catch((e: unknown) => e)) as Error;
    const fromMatcher = story(error.message.split('\n'));
    expect(fromMatcher).toEqual([
      '  ✗ arrayB specs/fixtures/arrays.cjs +1 element per invocation',
      expect.stringMatching(/^ {6}series \(value @invocation\): \d+ @\d+, /),
      expect.stringMatching(/^ {6}arrayB \(specs\/fixtures\/arrays\.cjs\) grew by 1 element per invocation/),
      `  rerun: npx warmleak check ${arrays} --event-type sqs --invocations 200 --isolation inline --memory 256 --timeout 5000`,
    ]);

    // The matcher's rerun line, run: the CLI prints the same story, and the same rerun line again.
    const words = fromMatcher[3].replace('  rerun: npx warmleak check ', '').split(' ');
    const run = await checkCli(words, 60_000);
    expect(run.code).toBe(1);
    expect(story(run.stdout.split('\n'))).toEqual(fromMatcher);
  });

  it("says when events came from the config's function, as a shell comment the pasted line ignores", async () => {
    const config = 'specs/fixtures/config/event-function.config.ts';
    const cache = 'specs/fixtures/product-cache.ts';
    const run = await checkCli(
      [cache, '--config', config, '--isolation', 'inline', '--invocations', '100'],
      60_000,
    );
    expect(run.code).toBe(1);
    const rerun = /^ {2}rerun: (.*)$/m.exec(run.stdout)?.[1];
    expect(rerun).toBe(
      `npx warmleak check ${cache}#handler --invocations 100 --isolation inline --config ${config}  # events came from a function in ${config}`,
    );
    const pasted = execFileSync('bash', ['-c', `npx() { printf '%s\\n' "$@"; }; ${rerun}`], {
      encoding: 'utf8',
    });
    expect(pasted.trim().split('\n')).toEqual([
      'warmleak',
      'check',
      `${cache}#handler`,
      ...['--invocations', '100', '--isolation', 'inline', '--config', config],
    ]);
  });
});

describe('the rerun line of each report', () => {
  it('is the same in the text and HTML reporters, with what the CLI says no flag carries', () => {
    const reproduce = () => ({
      args: ['--invocations', '100'],
      note: 'events came from a function in warmleak.config.ts',
    });
    const line =
      'npx warmleak check src/orders/handler.ts#handler --invocations 100  # events came from a function in warmleak.config.ts';
    expect(textReporter([leakingReport()], { reproduce })).toContain(`  rerun: ${line}\n`);
    expect(htmlReporter([leakingReport()], { reproduce })).toContain(`<code>${line}</code>`);
  });
});

describe("an assertion's options as a rerun line", () => {
  const plan = (invocations: number) => ({ plan: { warmup: 20, invocations, checkpoints: 11 } });
  const rerun = (options: Parameters<typeof reproduceFromOptions>[0]) =>
    rerunCommand(
      { handler: 'src/orders.ts#handler', ...plan(500) },
      reproduceFromOptions(options, plan(500)),
    );

  it('carries an events file, the runtime, variables, setup files and --strict as flags', () => {
    expect(
      rerun({
        events: 'specs/fixtures/events/products.jsonl',
        runtime: 'nodejs22.x',
        env: { TABLE: 'orders' },
        setupFiles: [`${process.cwd()}/specs/fixtures/setup/mock.ts`],
        strict: true,
      }),
    ).toBe(
      'npx warmleak check src/orders.ts#handler --events specs/fixtures/events/products.jsonl --isolation inline --runtime nodejs22.x --env TABLE=orders --setup specs/fixtures/setup/mock.ts --strict',
    );
  });

  it('names what no flag carries: an event function, an event value, a built-in event with overrides, allow', () => {
    expect(rerun({ event: (i: number) => ({ id: i }) })).toBe(
      'npx warmleak check src/orders.ts#handler --isolation inline  # events came from a function in the test',
    );
    expect(rerun({ event: { id: 1 } })).toMatch(
      / # the event came from the test; save it as JSON for --event FILE$/,
    );
    expect(rerun({ event: createEvent('sqs', { Records: [] }) })).toMatch(
      / # the event is a sqs event with the test's overrides; save it as JSON for --event FILE$/,
    );
    expect(rerun({ events: [{ id: 1 }], allow: ['cache'] })).toMatch(
      / # events came from an array in the test; save it as JSON for --events FILE; allow came from the test$/,
    );
    expect(rerun({ event: {} })).toBe('npx warmleak check src/orders.ts#handler --isolation inline');
  });

  it('is the assertion itself for an imported function, which no command can name', () => {
    expect(rerunCommand({ handler: 'handler', ...plan(200) }, { args: [] })).toBe(
      'await expectNoStateLeak(handler, { invocations: 200 })',
    );
  });
});
