// `warmleak invoke` prints the Lambda transcript of warm invocations, and bad input exits 2 with one stderr line.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { RUNTIME_BASELINE_MB } from '../harness/isolation/memory.js';

function invoke(...args: string[]): { status: number | null; stdout: string; errors: string[] } {
  const result = spawnSync('npx', ['tsx', 'harness/cli/main.ts', 'invoke', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  // npm may print its own config warnings on stderr; warmleak's lines start with "warmleak:".
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('warmleak:'));
  return { status: result.status, stdout: result.stdout, errors };
}

function arrayLines(stdout: string, name: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.includes(`\t${name}:`))
    .map((line) => line.split('\t')[3]);
}

/** Each REPORT line's Max Memory Used, in MB. */
function maxMemoryUsed(stdout: string): number[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('REPORT RequestId: '))
    .map((line) => Number(/\tMax Memory Used: (\d+) MB/.exec(line)?.[1]));
}

describe('warmleak invoke', () => {
  it("REPORT's Max Memory Used is the runtime's baseline plus the handler's own memory, not the CLI's", () => {
    // The CLI process (tsx, the harness) holds ~100 MB before the handler loads; none of it is the function's.
    const noop = maxMemoryUsed(invoke('specs/fixtures/noop.cjs', '-n', '3').stdout);
    expect(noop).toHaveLength(3);
    for (const mb of noop) {
      expect(mb).toBeGreaterThanOrEqual(RUNTIME_BASELINE_MB);
      expect(mb).toBeLessThanOrEqual(RUNTIME_BASELINE_MB + 3);
    }
    const held = maxMemoryUsed(invoke('specs/fixtures/holds-50mb.cjs', '-n', '3').stdout);
    expect(held).toHaveLength(3);
    for (const mb of held) expect(Math.abs(mb - noop[2] - 50)).toBeLessThanOrEqual(3);
  });

  it('shows seed 000: Array B grows across three warm invocations, Array A does not', () => {
    const { status, stdout } = invoke('specs/fixtures/arrays.cjs', '-n', '3');
    expect(status).toBe(0);
    expect(arrayLines(stdout, 'Array B')).toEqual([
      "Array B: [ 'B' ]",
      "Array B: [ 'B', 'B' ]",
      "Array B: [ 'B', 'B', 'B' ]",
    ]);
    expect(arrayLines(stdout, 'Array A')).toEqual([
      "Array A: [ 'A' ]",
      "Array A: [ 'A' ]",
      "Array A: [ 'A' ]",
    ]);
    const reports = stdout.split('\n').filter((line) => line.startsWith('REPORT RequestId: '));
    expect(reports.map((line) => line.includes('\tInit Duration: '))).toEqual([true, false, false]);
  });

  it("prints each invocation's response after its REPORT line", () => {
    const { status, stdout } = invoke(
      'specs/fixtures/greeting.ts#hello',
      '--event',
      'specs/fixtures/hello-event.json',
      '-n',
      '2',
    );
    expect(status).toBe(0);
    const responses = stdout.split('\n').filter((line) => line.startsWith('Response: '));
    expect(responses).toHaveLength(2);
    expect(JSON.parse(responses[1].slice('Response: '.length))).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(JSON.parse(responses[1].slice('Response: '.length)).body)).toMatchObject({ served: 2 });
  });

  it('exits 1 when every invocation threw, with the error as the response', () => {
    const { status, stdout, errors } = invoke('specs/fixtures/rejects-every-call.cjs', '-n', '2');
    expect(status).toBe(1);
    const responses = stdout.split('\n').filter((line) => line.startsWith('Response: '));
    expect(responses.map((line) => JSON.parse(line.slice('Response: '.length)))).toEqual([
      expect.objectContaining({ errorType: 'TypeError' }),
      expect.objectContaining({ errorType: 'TypeError' }),
    ]);
    expect(errors).toEqual([
      'warmleak: all 2 invocations failed (each error is in the transcript); pass the event the handler expects with --event or --event-type',
    ]);
  });

  it('hides the growth with --fresh, the way local emulators do', () => {
    const { status, stdout } = invoke('specs/fixtures/arrays.cjs', '-n', '3', '--fresh');
    expect(status).toBe(0);
    expect(arrayLines(stdout, 'Array B')).toEqual([
      "Array B: [ 'B' ]",
      "Array B: [ 'B' ]",
      "Array B: [ 'B' ]",
    ]);
  });

  it('passes the --event file to a TypeScript handler', () => {
    const { status, stdout } = invoke(
      'specs/fixtures/greeting.ts#hello',
      '--event',
      'specs/fixtures/hello-event.json',
      '-n',
      '2',
    );
    expect(status).toBe(0);
    expect(stdout.split('\n').filter((line) => line.includes('\tINFO\tserving request '))).toHaveLength(2);
  });

  it.each([
    [
      ['specs/fixtures/missing.ts'],
      'warmleak: handler file not found: specs/fixtures/missing.ts; check the path (relative to the project root)',
    ],
    [
      ['specs/fixtures/not-a-function.cjs#render'],
      'warmleak: specs/fixtures/not-a-function.cjs has no export "render" (exports: handler, main); export it or write specs/fixtures/not-a-function.cjs#<export>',
    ],
    [
      ['specs/fixtures/not-a-function.cjs'],
      'warmleak: specs/fixtures/not-a-function.cjs#handler is an object, not a function; export the handler function itself',
    ],
    [
      ['specs/fixtures/syntax-error.cjs'],
      'warmleak: syntax error in specs/fixtures/syntax-error.cjs:4: missing ) after argument list; fix the handler source',
    ],
    [
      ['specs/fixtures/arrays.cjs', '--event', 'specs/fixtures/malformed-event.json'],
      // Node 22+ adds "(line 1 column 42)" to JSON.parse's reason.
      /^warmleak: event file specs\/fixtures\/malformed-event\.json is not valid JSON \(Expected double-quoted property name in JSON at position 41( \(line 1 column 42\))?\); fix the JSON or pass another file$/,
    ],
  ])('exits 2 with one line for %j', (args, line) => {
    const { status, stdout, errors } = invoke(...args);
    expect(status).toBe(2);
    expect(errors).toHaveLength(1);
    if (line instanceof RegExp) expect(errors[0]).toMatch(line);
    else expect(errors[0]).toBe(line);
    expect(stdout).toBe('');
  });
});
