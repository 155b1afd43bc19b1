// ioredis against a real redis-server on 127.0.0.1 (Debian's redis-server, installed by .ci/run): a rate limiter with
// one client at module scope passes and holds one connection, and its twin creating a client per call and never
// quitting is named, one TCP socket per invocation at its line. Its own file: a server start and two checks.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStateLeak, StateLeakError } from '../harness/assert/expect-no-state-leak.js';
import { HANDLE_KINDS } from '../harness/assert/matchers.js';
import { createEvent } from '../harness/index.js';

const REDIS_SERVER = '/usr/bin/redis-server';
const fx = (name: string) => `specs/fixtures/redis/${name}`;
let server: ChildProcess | undefined;
let admin: Redis;
let env: Record<string, string>;

/** A port nothing listens on now, for redis-server (which takes a port, not 0). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The server's clients that named themselves `name` (ioredis's connectionName): the connections a handler holds. */
async function connectionsNamed(name: string): Promise<number> {
  const list = (await admin.client('LIST')) as string;
  return list.split('\n').filter((line) => line.includes(` name=${name} `)).length;
}

beforeAll(async () => {
  if (!existsSync(REDIS_SERVER)) return;
  const port = await freePort();
  server = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  env = { REDIS_URL: `redis://127.0.0.1:${port}` };
  admin = new Redis(env.REDIS_URL, { retryStrategy: (times) => (times > 50 ? null : 50) });
  await admin.ping();
}, 30_000);
afterAll(async () => {
  await admin?.quit();
  server?.kill();
});

/** GET /quote from one API key, as an HTTP API delivers it, each with its own request id. */
const quote = (i: number) =>
  createEvent('apigw-http', {
    rawPath: '/quote',
    headers: { 'x-api-key': 'key-1' },
    requestContext: { requestId: `req-${i}`, http: { method: 'GET', path: '/quote' } },
  });

// Each call is a round trip to Redis: a function calling it is given 10 s, as in the SDK specs.
const options = () => ({ env, event: quote, invocations: 200, timeoutMs: 10_000 });
// Not the heap for the clean client, as for the SDK's (fidelity-aws-sdk.spec.ts): every other kind is on.
const BUT_HEAP = [...HANDLE_KINDS, 'state' as const, 'global' as const, 'carry-over' as const];

// Skipped, and saying why in its title, only where redis-server is not installed: CI installs it (.ci/run).
const missing = existsSync(REDIS_SERVER)
  ? ''
  : ` (skipped: no ${REDIS_SERVER}; apt-get install -y redis-server)`;

describe.skipIf(missing !== '')(`ioredis against a real redis-server${missing}`, () => {
  it('one client at module scope holds one connection for every invocation and passes', async () => {
    // The server's own count of the handler's connections, read while the check runs.
    const counts: number[] = [];
    const poll = setInterval(() => void connectionsNamed('rate-limit-once').then((n) => counts.push(n)), 25);
    const report = await expectNoStateLeak(fx('rate-limit-once.ts'), {
      ...options(),
      kinds: BUT_HEAP,
    }).finally(() => clearInterval(poll));
    expect(counts.length).toBeGreaterThan(5);
    expect(Math.max(...counts)).toBe(1);
    expect(report.findings.map((f) => f.message)).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.errors?.count ?? 0).toBe(0);
  }, 150_000);

  it('a client per call, never quit, is named: one TCP socket per invocation at its line', async () => {
    const error = await expectNoStateLeak(fx('rate-limit-per-call.ts'), options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateLeakError);
    const { report } = error as StateLeakError;
    const sockets = report.findings.filter((f) => f.kind === 'handle' && f.name === 'TCP socket');
    // `new Redis()` in the handler, not ioredis's connector: the socket is opened from a nextTick it scheduled.
    expect(sockets.map((f) => f.site)).toEqual([
      expect.stringMatching(/^specs\/fixtures\/redis\/rate-limit-per-call\.ts:\d+:\d+$/),
    ]);
    expect(sockets[0].site).toBe('specs/fixtures/redis/rate-limit-per-call.ts:10:17');
    expect(sockets[0].growthPerInvocation).toBeCloseTo(1, 1);
    const [first, last] = [sockets[0].series[0], sockets[0].series[sockets[0].series.length - 1]];
    expect(last[1] - first[1]).toBe(last[0] - first[0]);
    // The environment is gone with the check: the server saw every connection close.
    expect(await connectionsNamed('rate-limit-per-call')).toBe(0);
  }, 150_000);
});
