// Every Lambda handler style answers the way Lambda's Node.js runtime answers it, per runtime.
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { Environment } from '../harness/runtime/environment.js';
import type { EnvironmentOptions, HandlerSource } from '../harness/runtime/types.js';

const live: Environment[] = [];
async function create(source: HandlerSource, options: EnvironmentOptions = {}): Promise<Environment> {
  const environment = await Environment.create(source, { timeoutMs: 1000, ...options });
  live.push(environment);
  return environment;
}
afterEach(async () => {
  for (const environment of live.splice(0)) await environment.dispose();
});

describe.each(['nodejs20.x', 'nodejs22.x'] as const)('%s', (runtime) => {
  it('answers an async handler with its resolved value', async () => {
    const environment = await create(async (event: { n: number }) => ({ doubled: event.n * 2 }), { runtime });
    expect((await environment.invoke({ n: 21 })).response).toEqual({ doubled: 42 });
  });

  it('answers a callback handler with the callback result', async () => {
    const environment = await create(
      (_event: unknown, _context: Context, callback: (e: unknown, r?: unknown) => void) => {
        setTimeout(() => callback(null, { ok: true }), 5);
      },
      { runtime },
    );
    expect((await environment.invoke({})).response).toEqual({ ok: true });
  });

  it('fails a callback handler that passes an error, in Lambda error shape', async () => {
    const environment = await create(
      (_event: unknown, _context: Context, callback: (e: unknown) => void) =>
        callback(new TypeError('bad input')),
      { runtime },
    );
    const result = await environment.invoke({});
    expect(result.error).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
    expect(result.error?.trace[0]).toBe('TypeError: bad input');
  });

  it('answers context.succeed, context.fail and context.done', async () => {
    const succeed = await create((_event: unknown, context: Context) => context.succeed({ via: 'succeed' }), {
      runtime,
    });
    expect((await succeed.invoke({})).response).toEqual({ via: 'succeed' });
    const fail = await create((_event: unknown, context: Context) => context.fail(new Error('via fail')), {
      runtime,
    });
    expect((await fail.invoke({})).error?.errorMessage).toBe('via fail');
    const done = await create((_event: unknown, context: Context) => context.done(undefined, 'via done'), {
      runtime,
    });
    expect((await done.invoke({})).response).toBe('via done');
  });

  it('lets the first answer win when a handler both takes a callback and returns a promise', async () => {
    const environment = await create(
      async (_event: unknown, context: Context, callback: (e: unknown, r?: unknown) => void) => {
        context.callbackWaitsForEmptyEventLoop = false;
        callback(null, 'from callback');
        return 'from promise';
      },
      { runtime },
    );
    expect((await environment.invoke({})).response).toBe('from callback');
  });

  it('waits for the event loop to empty after callback(null, result), and times out if it never does', async () => {
    const environment = await create(
      (_event: unknown, _context: Context, callback: (e: unknown, r?: unknown) => void) => {
        setInterval(() => {}, 50);
        callback(null, 'answered');
      },
      { runtime, timeoutMs: 200 },
    );
    const result = await environment.invoke({});
    expect(result.timedOut).toBe(true);
    expect(result.error?.errorMessage).toContain('Task timed out after 0.20 seconds');
  });

  it('answers null for a synchronous handler that never calls back', async () => {
    const environment = await create((_event: unknown, _context: Context) => 'ignored', { runtime });
    expect((await environment.invoke({})).response).toBeNull();
  });
});

describe('nodejs24.x', () => {
  it('refuses callback handlers at load, with Lambda error name and the fix', async () => {
    const callbackHandler = (_e: unknown, _c: Context, callback: (e: unknown) => void) => callback(null);
    await expect(Environment.create(callbackHandler, { runtime: 'nodejs24.x' })).rejects.toThrow(
      /^Runtime\.CallbackHandlerDeprecated: AWS Lambda has removed support for callback-based function handlers starting with Node\.js 24; make callbackHandler async/,
    );
  });

  it('gives async handlers a context without done/succeed/fail', async () => {
    const environment = await create(async (_event: unknown, context: Context) => typeof context.succeed, {
      runtime: 'nodejs24.x',
    });
    expect((await environment.invoke({})).response).toBe('undefined');
  });
});

describe('context', () => {
  it('carries Lambda fields and a fresh request id per invocation', async () => {
    const environment = await create(
      async (_event: unknown, context: Context) => ({
        ...context,
        remaining: context.getRemainingTimeInMillis(),
      }),
      {
        functionName: 'orders-api',
        memorySizeMB: 256,
        timeoutMs: 5000,
      },
    );
    const first = (await environment.invoke({})).response as Record<string, unknown>;
    const second = await environment.invoke({});
    expect(first).toMatchObject({
      functionName: 'orders-api',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-api',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/orders-api',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(first.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(first.remaining).toBeGreaterThan(4000);
    expect(first.awsRequestId).not.toBe(second.requestId);
    expect((second.response as Record<string, unknown>).awsRequestId).toBe(second.requestId);
  });
});

describe('response streaming', () => {
  it('collects what a streamifyResponse handler writes as the response, with HTTP metadata', async () => {
    const streamed = globalThis as unknown as {
      awslambda: { streamifyResponse: Function; HttpResponseStream: { from: Function } };
    };
    const environment = await create('specs/fixtures/streaming.mjs');
    const result = await environment.invoke({ rows: 3 });
    expect(result.response).toBe('row 0\nrow 1\nrow 2\n');
    expect(result.responseMetadata).toEqual({ statusCode: 200, headers: { 'Content-Type': 'text/plain' } });
    expect(typeof streamed.awslambda.streamifyResponse).toBe('function');
  });
});
