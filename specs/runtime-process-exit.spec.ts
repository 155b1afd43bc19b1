// A handler calling process.exit inside the caller's process: Lambda's Runtime.ExitError and a new environment,
// never the end of the test run.
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../harness/check/index.js';
import { InvocationError } from '../harness/errors.js';
import { Environment } from '../harness/runtime/environment.js';

let env: Environment | undefined;
afterEach(async () => {
  await env?.dispose();
  env = undefined;
});

describe('process.exit from a handler', () => {
  it('fails the invocation as Runtime.ExitError, resets the environment, and leaves the process running', async () => {
    let calls = 0;
    env = await Environment.create(async () => {
      calls++;
      if (calls === 2) process.exit(3);
      return calls;
    });
    expect((await env.invoke({})).response).toBe(1);
    const exited = await env.invoke({});
    expect(exited.error).toMatchObject({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringMatching(/^RequestId: \S+ Error: Runtime exited with error: exit status 3$/),
    });
    const after = await env.invoke({});
    expect(after.coldStart).toBe(true);
    expect(after.response).toBe(3);
  });

  it('an exit from a timer the handler started is reported the same way', async () => {
    env = await Environment.create(
      () =>
        new Promise((resolve) => {
          setTimeout(() => {
            process.exit(7);
            resolve('unreachable');
          }, 5);
        }),
    );
    const result = await env.invoke({});
    expect(result.error?.errorMessage).toMatch(/exit status 7$/);
  });

  it('runCheck names the exit as a one-line error', async () => {
    const exiting = async () => process.exit(1);
    const error = await runCheck(exiting, { invocations: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvocationError);
    expect((error as Error).message).toMatch(
      /^exiting failed on invocation 1: Runtime\.ExitError: RequestId: \S+ Error: Runtime exited with error: exit status 1$/,
    );
  });

  it('restores process.exit when the environment is disposed', async () => {
    const original = process.exit;
    env = await Environment.create(async () => 1);
    expect(process.exit).not.toBe(original);
    await env.dispose();
    env = undefined;
    expect(process.exit).toBe(original);
  });
});
