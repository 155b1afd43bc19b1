// The function's configuration and dependencies: --env / --env-file / config environment, Lambda's credential
// variables, --setup files that mock AWS (aws-sdk-client-mock), and a real local endpoint through AWS_ENDPOINT_URL.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStateLeak } from '../harness/assert/expect-no-state-leak.js';
import { runCheck } from '../harness/check/index.js';
import { parseEnvPairs, readEnvFile } from '../harness/config/dotenv.js';
import { credentialVariables } from '../harness/runtime/lambda-env.js';
import { checkCli } from './fixtures/check-cli.js';

const orders = 'specs/fixtures/real/orders-table.ts';
const mock = 'specs/fixtures/setup/mock-dynamodb.ts';
const events = [{ pathParameters: { id: 'o-{{seq}}' }, requestContext: { requestId: '{{uuid}}' } }];

const cli = (...args: string[]) => checkCli(args);

describe('environment variables', () => {
  it('--env takes KEY=VALUE (the value may hold =), and names the fix for anything else', () => {
    expect(parseEnvPairs(['TABLE=orders', 'FILTER=a=b'])).toEqual({ TABLE: 'orders', FILTER: 'a=b' });
    expect(parseEnvPairs('ONE=1')).toEqual({ ONE: '1' });
    expect(() => parseEnvPairs(['TABLE'])).toThrow(
      '--env "TABLE" must be KEY=VALUE with KEY a variable name (--env TABLE=orders)',
    );
  });

  it('--env-file reads dotenv: export, quotes, comments, empty values; a bad line names its number', () => {
    expect(readEnvFile('specs/fixtures/orders.env')).toEqual({
      TABLE: 'orders',
      STAGE: 'ci # not a comment',
      GREETING: 'hello world',
      EMPTY: '',
    });
    expect(() => readEnvFile('specs/fixtures/hello-event.json')).toThrow(
      /^specs\/fixtures\/hello-event.json line 1 is not KEY=VALUE/,
    );
  });

  it("Lambda's credential variables get placeholders unless the user set credentials", () => {
    expect(credentialVariables(undefined, {})).toMatchObject({
      AWS_ACCESS_KEY_ID: expect.any(String),
      AWS_SECRET_ACCESS_KEY: expect.any(String),
      AWS_SESSION_TOKEN: expect.any(String),
    });
    expect(credentialVariables({ AWS_ACCESS_KEY_ID: 'mine', AWS_SECRET_ACCESS_KEY: 's' }, {})).toEqual({});
    expect(
      credentialVariables(undefined, { AWS_ACCESS_KEY_ID: 'from-ci', AWS_SECRET_ACCESS_KEY: 's' }),
    ).toEqual({});
  });
});

describe('a real DynamoDB DocumentClient handler, mocked in a --setup file with aws-sdk-client-mock', () => {
  it('expectNoStateLeak: runs with TABLE=orders, and passes (the mock’s call history stays out of the verdict)', async () => {
    const report = await expectNoStateLeak(orders, { env: { TABLE: 'orders' }, setupFiles: [mock], events });
    expect(report.verdict).toBe('pass');
    expect(report.errors?.count ?? 0).toBe(0);
  });

  it('expectNoStateLeak: with another table the mock refuses every call, so the variable is what the handler read', async () => {
    await expect(runCheck(orders, { env: { TABLE: 'other' }, setupFiles: [mock], events })).rejects.toThrow(
      'GetCommand on a table other than "orders"',
    );
  });

  it('warmleak check --setup --env TABLE=orders: exit 0, no errors', async () => {
    const run = await cli(orders, '--setup', mock, '--env', 'TABLE=orders', '--invocations', '100', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: 'pass', findings: [] });
  });

  it('warmleak check --env TABLE=other: exit 2, the mock’s refusal on stderr', async () => {
    const run = await cli(orders, '--setup', mock, '--env', 'TABLE=other', '--invocations', '20');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('GetCommand on a table other than "orders"');
  });

  it('a missing setup file is one line naming the fix, exit 2', async () => {
    const run = await cli(orders, '--setup', 'specs/fixtures/setup/missing.ts', '--invocations', '20');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'setup file not found: specs/fixtures/setup/missing.ts; check the --setup path (relative to the project root)',
    );
  });
});

// The endpoint runs in a process of its own, as DynamoDB Local or LocalStack would: it prints its port, then one
// line per request naming the access key the request was signed with.
const ENDPOINT = `
const http = require('node:http');
const server = http.createServer((request, response) => {
  const key = /Credential=([^/]+)/.exec(String(request.headers.authorization))?.[1];
  process.stdout.write('request ' + key + '\\n');
  request.resume();
  request.on('end', () => {
    response.setHeader('content-type', 'application/x-amz-json-1.0');
    const get = String(request.headers['x-amz-target']).endsWith('GetItem');
    response.end(get ? JSON.stringify({ Item: { views: { N: '1' } } }) : '{}');
  });
});
server.on('connection', () => process.stdout.write('connection\\n'));
server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
`;

describe('a real local endpoint through AWS_ENDPOINT_URL', () => {
  let endpoint: ChildProcess;
  let output = '';
  let url = '';
  beforeAll(async () => {
    endpoint = spawn(process.execPath, ['-e', ENDPOINT], { stdio: ['ignore', 'pipe', 'inherit'] });
    endpoint.stdout?.setEncoding('utf8');
    endpoint.stdout?.on('data', (chunk: string) => {
      output += chunk;
    });
    await new Promise<void>((resolve) => {
      const wait = () => (/port (\d+)/.test(output) ? resolve() : setTimeout(wait, 20));
      wait();
    });
    url = `http://127.0.0.1:${/port (\d+)/.exec(output)?.[1]}`;
  });
  afterAll(() => {
    endpoint.kill();
  });

  it('the SDK signs with the placeholder credentials, talks to the endpoint, and the handler passes', async () => {
    const report = await runCheck(orders, {
      env: { TABLE: 'orders', AWS_ENDPOINT_URL: url },
      events,
      invocations: 60,
      warmup: 5,
      // Heap phases of thousands of HTTP calls belong in the bench. Open question: the handle probe counts this reused
      // keep-alive socket (one connection, asserted below) as +1 TCP socket per request, so `handle` is left out.
      kinds: ['state', 'pending', 'listener'],
    });
    expect(report.errors?.count ?? 0).toBe(0);
    const keys = [...output.matchAll(/request (\S+)/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThanOrEqual(2 * 65);
    expect(new Set(keys)).toEqual(new Set(['AKIAIOSFODNN7EXAMPLE']));
    // One connection for every request: the SDK's agent keeps its socket alive and reuses it.
    expect(output.split('connection').length - 1).toBe(1);
    expect(report.findings.map((f) => f.message)).toEqual([]);
  });
});
