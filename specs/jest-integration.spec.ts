// A real Jest run on the built package, as a user's project consumes it: CommonJS, ESM, and a failing matcher's message.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface JestResult {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

const out = mkdtempSync(join(tmpdir(), 'warmleak-jest-'));

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { env: { ...process.env, ...env, CI: 'true' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error) => resolve(error ? (typeof error.code === 'number' ? error.code : -1) : 0),
    );
  });
}

/** Jest's own binary (no npx), bounded: Jest exits by itself once the run is over, so no --forceExit. */
async function jest(
  config: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; result: JestResult }> {
  const outputFile = join(out, `${config}.json`);
  const code = await run(
    process.execPath,
    ['node_modules/jest/bin/jest.js', '-c', `specs/jest/${config}`, '--json', '--outputFile', outputFile],
    env,
  );
  return { code, result: JSON.parse(readFileSync(outputFile, 'utf8')) };
}

const titles = (result: JestResult) =>
  result.testResults.flatMap((file) => file.assertionResults.map((test) => `${test.status}: ${test.title}`));

const EXPECTED = [
  'seed 000: expectNoStateLeak rejects naming arrayB, not arrayA',
  'a module-scope array in an imported module is named with that module',
  "a singleton's property is named with its path",
  'a string accumulator grows in characters',
  'Map, Set and object-key growth are each named',
  'an undeclared global assigned in sloppy mode is a global finding',
  'a process listener added per invocation is a listener finding from the start',
  'seed 001: a counter and a TTL cache refreshed in place',
  'an LRU capped at 100 with a new key per request',
  'a WeakMap memo',
  'a CommonJS handler file: arrayB is named',
  'a TypeScript ESM handler file: tracer.finished is named, and a clean one passes',
  "its console output goes to the invocation's transcript",
].map((title) => `passed: ${title}`);

describe('Jest on the built package', () => {
  beforeAll(async () => {
    // The package exactly as `npm run build` makes it.
    expect(await run(process.execPath, ['node_modules/tsup/dist/cli-default.js'])).toBe(0);
  }, 120_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('CommonJS: require("warmleak") and require("warmleak/jest") give every verdict', async () => {
    const { code, result } = await jest('jest.config.cjs');
    expect(titles(result)).toEqual(EXPECTED);
    expect(result).toMatchObject({ numPassedTests: EXPECTED.length, numFailedTests: 0 });
    expect(code).toBe(0);
  }, 150_000);

  it('ESM: import from "warmleak" under --experimental-vm-modules gives every verdict', async () => {
    const { code, result } = await jest('jest.esm.config.cjs', { NODE_OPTIONS: '--experimental-vm-modules' });
    expect(titles(result)).toEqual(EXPECTED);
    expect(result).toMatchObject({ numPassedTests: EXPECTED.length, numFailedTests: 0 });
    expect(code).toBe(0);
  }, 150_000);

  it("a failing expect(handler).not.toLeakState() shows the culprit in Jest's message", async () => {
    const { code, result } = await jest('jest.deliberate-leak.config.cjs');
    expect(code).toBe(1);
    expect(result).toMatchObject({ numPassedTests: 0, numFailedTests: 1 });
    expect(result.testResults[0].assertionResults[0].failureMessages[0]).toMatch(
      /^ {2}✗ arrayB specs\/fixtures\/arrays\.cjs \+1 element per invocation\n {6}series .*\n {6}arrayB \(specs\/fixtures\/arrays\.cjs\) grew by 1 element per invocation: \d+ -> \d+$/m,
    );
  }, 150_000);
});
