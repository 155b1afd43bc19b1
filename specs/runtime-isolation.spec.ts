// An environment resets like Lambda after a timeout, an uncaught exception or an unhandled rejection, logs in
// Lambda's transcript format, and leaves the caller's process as it found it.
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { Environment } from '../harness/runtime/environment.js';
import type { EnvironmentOptions } from '../harness/runtime/types.js';

const live: Environment[] = [];
async function create(source: string, options: EnvironmentOptions = {}): Promise<Environment> {
  const environment = await Environment.create(source, options);
  live.push(environment);
  return environment;
}
afterEach(async () => {
  for (const environment of live.splice(0)) await environment.dispose();
});

describe('resets', () => {
  it('times out with Lambda message and starts the next invocation cold', async () => {
    const environment = await create('specs/fixtures/crashes.cjs#slow', { timeoutMs: 100 });
    await environment.invoke({});
    const timedOut = await environment.invoke({ waitMs: 400 });
    const next = await environment.invoke({});
    expect(timedOut.timedOut).toBe(true);
    expect(timedOut.error).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${timedOut.requestId} Error: Task timed out after 0.10 seconds`,
      trace: [],
    });
    expect(timedOut.logLines.some((line) => line.endsWith('\tTask timed out after 0.10 seconds'))).toBe(true);
    expect(next.coldStart).toBe(true);
    expect(next.response).toEqual({ invocations: 1 });
  });

  it('fails the invocation on an uncaught exception from a timer and reloads the module', async () => {
    const environment = await create('specs/fixtures/crashes.cjs#throwsLater');
    await environment.invoke({});
    const crashed = await environment.invoke({});
    const next = await environment.invoke({});
    expect(crashed.error).toMatchObject({ errorType: 'Error', errorMessage: 'socket closed unexpectedly' });
    expect(
      crashed.logLines.some((line) => line.includes('\tERROR\tUncaught Exception \t{"errorType":"Error"')),
    ).toBe(true);
    expect(next.coldStart).toBe(true);
    expect(next.response).toEqual({ invocations: 1 });
  });

  it('fails the invocation on an unhandled rejection as Runtime.UnhandledPromiseRejection and reloads', async () => {
    const environment = await create('specs/fixtures/crashes.cjs#rejectsUnawaited');
    await environment.invoke({});
    const crashed = await environment.invoke({});
    const next = await environment.invoke({});
    expect(crashed.error?.errorType).toBe('Runtime.UnhandledPromiseRejection');
    expect(crashed.error?.errorMessage).toBe('Error: audit write failed');
    expect(next.coldStart).toBe(true);
    expect(next.response).toEqual({ invocations: 1 });
  });

  it('returns a thrown error in Lambda shape without resetting', async () => {
    const environment = await create('specs/fixtures/crashes.cjs#slow');
    const failed = await environment.invoke(null);
    const next = await environment.invoke({});
    expect(failed.error?.errorType).toBe('TypeError');
    expect(failed.error?.errorMessage).toContain("Cannot read properties of null (reading 'waitMs')");
    expect(failed.error?.trace[0]).toMatch(/^TypeError: Cannot read properties of null/);
    expect(next.coldStart).toBe(false);
  });
});

describe('transcript', () => {
  it('frames function log lines with START, END and REPORT in Lambda format', async () => {
    const environment = await create('specs/fixtures/arrays.cjs', { memorySizeMB: 512 });
    const { requestId, logLines } = await environment.invoke({});
    expect(logLines[0]).toBe(`START RequestId: ${requestId} Version: $LATEST`);
    expect(logLines[1]).toMatch(
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${requestId}\\tINFO\\tArray A: \\[ 'A' \\]$`,
      ),
    );
    expect(logLines.at(-2)).toBe(`END RequestId: ${requestId}`);
    expect(logLines.at(-1)).toMatch(
      new RegExp(
        `^REPORT RequestId: ${requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 512 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms$`,
      ),
    );
  });
});

describe('process state', () => {
  it('sets Lambda variables while it lives and restores the caller exactly, including absent ones', async () => {
    process.env.AWS_REGION = 'eu-west-1';
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    const before = { ...process.env };
    const environment = await Environment.create('specs/fixtures/arrays.cjs', {
      region: 'us-west-2',
      env: { STAGE: 'test' },
    });
    expect(process.env.AWS_LAMBDA_FUNCTION_NAME).toBe('arrays');
    expect(process.env.AWS_REGION).toBe('us-west-2');
    expect(process.env._HANDLER).toBe('specs/fixtures/arrays.handler');
    expect(process.env.AWS_EXECUTION_ENV).toMatch(/^AWS_Lambda_nodejs2[024]\.x$/);
    expect(process.env.TZ).toBe(':UTC');
    expect(process.env.STAGE).toBe('test');
    expect(tmpdir()).toBe(environment.tmpDir);
    writeFileSync(`${environment.tmpDir}/report.pdf`, 'x');
    await environment.dispose();
    await environment.dispose();
    expect(process.env).toEqual(before);
    expect(existsSync(environment.tmpDir)).toBe(false);
    expect('awslambda' in globalThis).toBe(false);
    delete process.env.AWS_REGION;
  });

  it('restores variables when environments are disposed out of order', async () => {
    const before = { ...process.env };
    const first = await Environment.create('specs/fixtures/arrays.cjs');
    const second = await Environment.create('specs/fixtures/audit-trail.mjs');
    await first.dispose();
    expect(process.env.TMPDIR).toBe(second.tmpDir);
    await second.dispose();
    expect(process.env).toEqual(before);
  });
});
