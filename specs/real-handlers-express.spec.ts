// Express behind serverless-http, shaped like the Serverless Framework's express-dynamodb example, with the real AWS
// SDK v3 against a keep-alive server on 127.0.0.1: the app and its client, created once at module scope, answer API
// Gateway's events and keep nothing. Adds ~20-60 s on two busy cores.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HANDLE_KINDS } from '../harness/assert/matchers.js';
import { createEvent, runCheck } from '../harness/index.js';
import { Environment } from '../harness/runtime/environment.js';
import { type LocalDynamoDB, startLocalDynamoDB } from './fixtures/local-dynamodb.js';

const handler = 'specs/fixtures/real/express-users-api.cjs';
let db: LocalDynamoDB;
let env: Environment | undefined;
beforeAll(async () => {
  db = await startLocalDynamoDB();
});
afterEach(async () => {
  await env?.dispose();
  env = undefined;
});
afterAll(() => db.close());

/** GET /users/u-<i> as an HTTP API delivers it, each with its own request id. */
const getUser = (i: number) =>
  createEvent('apigw-http', {
    rawPath: `/users/u-${i}`,
    requestContext: { requestId: `req-${i}`, http: { method: 'GET', path: `/users/u-${i}` } },
  });

// Not yet the heap: like the SDK client alone (fidelity-aws-sdk.spec.ts), its heap phases read 300-500 B/invocation
// on a loaded machine where the harness's own noise is not yet told apart. Every other kind is on.
const BUT_HEAP = [...HANDLE_KINDS, 'state' as const, 'global' as const, 'carry-over' as const];

describe('Express behind serverless-http, one app and one DocumentClient at module scope', () => {
  it('answers an HTTP API event through Express, with the item the SDK read', async () => {
    env = await Environment.create(handler, { env: db.env });
    const result = await env.invoke(getUser(1));
    expect(result.error).toBeUndefined();
    expect(result.response).toMatchObject({ statusCode: 200 });
    expect(JSON.parse((result.response as { body: string }).body)).toEqual({ name: 'Ada' });
  });

  it('passes: one kept-alive socket, no state, listener, timer or pending work left per request', async () => {
    const before = db.requests();
    const report = await runCheck(handler, {
      env: db.env,
      event: getUser,
      kinds: BUT_HEAP,
      timeoutMs: 10_000,
    });
    expect(report.findings.map((f) => f.message)).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.errors?.count ?? 0).toBe(0);
    expect(db.requests() - before).toBe(report.invocations);
  }, 120_000);
});
