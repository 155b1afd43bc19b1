// runCheck on handlers that cannot be measured: one-line typed errors naming the fix, and nothing left running.
import { describe, expect, it } from 'vitest';
import { runCheck } from '../harness/check/index.js';
import { HandlerLoadError, InvocationError, UsageError } from '../harness/errors.js';

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (!error) throw new Error('expected the check to fail');
  return error;
}

describe('a check that cannot run says why in one line', () => {
  it('an option typo warns at run time, naming the closest option', async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    try {
      const report = await runCheck(async () => 1, { invocation: 10, invocations: 4 } as never);
      expect(report.verdict).toBe('pass');
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    const ours = warnings.filter((warning) => warning.name === 'WarmleakWarning');
    expect(ours.map((warning) => warning.message)).toEqual([
      'unknown option "invocation" is ignored; did you mean "invocations"?',
    ]);
  });

  it('a handler that throws on its first event suggests passing the event it expects', async () => {
    const parseOrder = async (event: { body: string }) => JSON.parse(event.body).orderId as string;
    const error = await failure(runCheck(parseOrder, { invocations: 10 }));
    expect(error).toBeInstanceOf(InvocationError);
    expect(error.message).toMatch(
      /^parseOrder failed on invocation 1: (SyntaxError|TypeError): .+ \(pass the event it expects: the event option or --event\)$/,
    );
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('a handler that hangs fails with Lambda timeout message and the fix', async () => {
    const hangs = () => new Promise(() => {});
    const error = await failure(runCheck(hangs, { invocations: 10, timeoutMs: 200 }));
    expect(error.message).toMatch(
      /^hangs failed on invocation 1: RequestId: \S+ Error: Task timed out after 0\.20 seconds; raise the timeout or find what never settles$/,
    );
  });

  it('a missing file, a value that is not a function and a bad option are typed load and usage errors', async () => {
    expect(await failure(runCheck('specs/fixtures/no-such-handler.ts'))).toBeInstanceOf(HandlerLoadError);
    expect(await failure(runCheck('specs/fixtures/not-a-function.cjs'))).toBeInstanceOf(HandlerLoadError);
    const badCount = await failure(runCheck(async () => 1, { invocations: -5 }));
    expect(badCount).toBeInstanceOf(UsageError);
    expect(badCount.message).toBe('invocations must be an integer >= 2, got -5');
  });
});
