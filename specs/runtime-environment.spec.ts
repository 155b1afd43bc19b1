// A handler loaded once and invoked warm behaves as in Lambda: module scope survives, `fresh` hides it,
// errors come back in Lambda's shape, and crashes and timeouts reset the environment.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HandlerLoadError } from '../harness/errors.js';
import { Environment, parseHandlerSpec } from '../harness/runtime/environment.js';
import type { InvocationResult } from '../harness/runtime/types.js';

const live: Environment[] = [];
async function create(...args: Parameters<typeof Environment.create>): Promise<Environment> {
  const environment = await Environment.create(...args);
  live.push(environment);
  return environment;
}
afterEach(async () => {
  for (const environment of live.splice(0)) await environment.dispose();
});

function arrayB(result: InvocationResult): string | undefined {
  return result.logLines.find((line) => line.includes('Array B:'))?.split('\t')[3];
}

describe('warm invocations', () => {
  it('keeps module scope across invocations of seed 000 and reports Init Duration on the cold start only', async () => {
    const environment = await create('specs/fixtures/arrays.cjs');
    const results = [
      await environment.invoke({}),
      await environment.invoke({}),
      await environment.invoke({}),
    ];
    expect(results.map(arrayB)).toEqual([
      "Array B: [ 'B' ]",
      "Array B: [ 'B', 'B' ]",
      "Array B: [ 'B', 'B', 'B' ]",
    ]);
    expect(results.map((r) => r.logLines.find((l) => l.includes('Array A:'))?.split('\t')[3])).toEqual([
      "Array A: [ 'A' ]",
      "Array A: [ 'A' ]",
      "Array A: [ 'A' ]",
    ]);
    expect(results.map((r) => r.coldStart)).toEqual([true, false, false]);
    expect(results.map((r) => /Init Duration: \d+\.\d\d ms$/.test(r.logLines.at(-1) ?? ''))).toEqual([
      true,
      false,
      false,
    ]);
    expect(results[0].response).toBeNull();
  });

  it('re-creates the module per invocation with fresh: true, as local emulators do', async () => {
    const environment = await create('specs/fixtures/arrays.cjs', { fresh: true });
    const results = [
      await environment.invoke({}),
      await environment.invoke({}),
      await environment.invoke({}),
    ];
    expect(results.map(arrayB)).toEqual(["Array B: [ 'B' ]", "Array B: [ 'B' ]", "Array B: [ 'B' ]"]);
    expect(results.map((r) => r.coldStart)).toEqual([true, true, true]);
  });

  it('gives each new environment its own module instance', async () => {
    const first = await create('specs/fixtures/arrays.cjs');
    await first.invoke({});
    await first.invoke({});
    const second = await create('specs/fixtures/arrays.cjs');
    expect(arrayB(await second.invoke({}))).toBe("Array B: [ 'B' ]");
    expect(arrayB(await first.invoke({}))).toBe("Array B: [ 'B', 'B', 'B' ]");
  });

  it('loads TypeScript without a build step and names the handler file#export', async () => {
    const environment = await create('specs/fixtures/greeting.ts#hello');
    const first = (await environment.invoke({ path: '/a' })).response as { body: string };
    const second = (await environment.invoke({ path: '/b' })).response as { body: string };
    expect(environment.handlerId).toBe('specs/fixtures/greeting.ts#hello');
    expect(JSON.parse(second.body).served).toBe(2);
    expect(JSON.parse(second.body).instanceId).toBe(JSON.parse(first.body).instanceId);
  });

  it('loads native ES modules (.mjs) with the default export name handler', async () => {
    const environment = await create('specs/fixtures/audit-trail.mjs');
    await environment.invoke({ type: 'a' });
    const result = await environment.invoke({ type: 'b' });
    expect(result.response).toEqual({ statusCode: 200, body: '{"entries":2}' });
    expect(environment.exportName).toBe('handler');
  });
});

describe('handler references', () => {
  it('parses file#export with handler as the default export', () => {
    expect(parseHandlerSpec('src/api.ts#main')).toEqual({ file: 'src/api.ts', exportName: 'main' });
    expect(parseHandlerSpec('src/api.ts')).toEqual({ file: 'src/api.ts', exportName: 'handler' });
  });

  it('rejects bad handlers with one-line HandlerLoadErrors naming the fix', async () => {
    await expect(Environment.create('specs/fixtures/missing.ts')).rejects.toThrow(
      'handler file not found: specs/fixtures/missing.ts; check the path (relative to the project root)',
    );
    await expect(Environment.create('specs/fixtures/not-a-function.cjs#nope')).rejects.toThrow(
      'specs/fixtures/not-a-function.cjs has no export "nope" (exports: handler, main)',
    );
    await expect(Environment.create('specs/fixtures/not-a-function.cjs')).rejects.toThrow(
      'specs/fixtures/not-a-function.cjs#handler is an object, not a function',
    );
    const syntax = Environment.create('specs/fixtures/syntax-error.cjs');
    await expect(syntax).rejects.toBeInstanceOf(HandlerLoadError);
    await expect(syntax).rejects.toThrow(
      /^syntax error in specs\/fixtures\/syntax-error\.cjs:4: missing \) after argument list/,
    );
  });
});

describe('environment directories', () => {
  it("a second environment started while another lives gets its /tmp beside it, not inside the first's", async () => {
    const first = await create('specs/fixtures/noop.cjs');
    expect(process.env.TMPDIR).toBe(first.tmpDir);
    const second = await create('specs/fixtures/noop.cjs');
    expect(second.tmpDir.startsWith(`${first.tmpDir}/`)).toBe(false);
    expect(dirname(second.tmpDir)).toBe(dirname(first.tmpDir));
    // The first ending (a timed-out check's environment, say) leaves the second's /tmp in place.
    await first.dispose();
    expect(existsSync(second.tmpDir)).toBe(true);
    expect((await second.invoke({})).error).toBeUndefined();
  });
});
