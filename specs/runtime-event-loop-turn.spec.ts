// Between invocations the event loop turns, as Lambda's does while its runtime posts the answer and fetches the next
// event: a rejection nobody handled fails the invocation as Runtime.UnhandledPromiseRejection, a timer that throws
// after the handler returned fails a later one, and setImmediate work runs before the next event.
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../harness/index.js';
import { Environment } from '../harness/runtime/environment.js';
import type { InvocationResult } from '../harness/runtime/types.js';

const FIXTURE = 'specs/fixtures/fire-and-forget.cjs';
const live: Environment[] = [];
async function create(exportName: string): Promise<Environment> {
  const environment = await Environment.create(`${FIXTURE}#${exportName}`);
  live.push(environment);
  return environment;
}
afterEach(async () => {
  for (const environment of live.splice(0)) await environment.dispose();
});

describe('the event loop turns between invocations', () => {
  it('fails a fire-and-forget rejection as Runtime.UnhandledPromiseRejection and starts the next one cold', async () => {
    const environment = await create('rejectsAndReturns');
    await environment.invoke({});
    const crashed = await environment.invoke({});
    const next = await environment.invoke({});
    expect(crashed.response).toBeUndefined();
    expect(crashed.error).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: audit write failed',
    });
    expect(
      crashed.logLines.some((line) =>
        line.includes(
          `\t${crashed.requestId}\tERROR\tUnhandled Promise Rejection \t{"errorType":"Runtime.Unhandled`,
        ),
      ),
    ).toBe(true);
    expect(next.coldStart).toBe(true);
    expect(next.response).toEqual({ invocations: 1 });
  });

  it('fails an invocation when a timer left by an earlier one throws, and reloads', async () => {
    const environment = await create('throwsAfterReturn');
    // The timer is due after 1 ms; warm invocations are faster than that, so it fires in a later one's turn.
    const results: InvocationResult[] = [];
    while (results.length < 100_000 && !results.some((result) => result.error)) {
      results.push(await environment.invoke({}));
    }
    const next = await environment.invoke({});
    const failed = results.filter((result) => result.error);
    expect(failed.map((result) => result.error?.errorMessage)).toEqual(['flush failed after the response']);
    expect(failed[0].index).toBeGreaterThanOrEqual(1);
    expect(failed[0].logLines.some((line) => line.includes('\tERROR\tUncaught Exception \t'))).toBe(true);
    expect(next.coldStart).toBe(true);
  });

  it('runs setImmediate work the handler queued before the next invocation starts', async () => {
    const environment = await create('queuesImmediate');
    const responses = [];
    for (let i = 0; i < 3; i++) responses.push((await environment.invoke({})).response);
    expect(responses).toEqual([
      { invocations: 1, immediatesRun: 0 },
      { invocations: 2, immediatesRun: 1 },
      { invocations: 3, immediatesRun: 2 },
    ]);
  });

  it('runCheck reports a fire-and-forget rejection as Lambda does, not as heap growth', async () => {
    await expect(runCheck(`${FIXTURE}#rejectsAndReturns`, { invocations: 50 })).rejects.toThrow(
      /failed on invocation 2: Runtime\.UnhandledPromiseRejection: Error: audit write failed/,
    );
  });
});
