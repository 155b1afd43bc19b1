// Real parts, no doubles: the AWS SDK v3 against a keep-alive DynamoDB-shaped server on 127.0.0.1 (through
// AWS_ENDPOINT_URL), middy with its default timeout, a guard timer set and cleared per call. Each clean handler
// passes, each leaky twin is named. About 80 s on two busy cores (the SDK and middy checks dominate).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLE_KINDS } from '../harness/assert/matchers.js';
import { runCheck } from '../harness/index.js';
import type { Report } from '../harness/types.js';

const fx = (name: string) => `specs/fixtures/fidelity/${name}`;
let server: Server;
let env: Record<string, string>;
let requests = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => {
      const body = JSON.stringify({ Item: { pk: { S: 'ORDER#1' }, total: { N: '3' } } });
      response.writeHead(200, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': `r-${requests}`,
      });
      response.end(body);
    });
  });
  // DynamoDB keeps an idle connection open far longer than a check runs.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  env = {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'eu-west-1',
  };
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

// The SDK's per-request work makes heap phases long on a busy machine; its heap noise is measured in the bench. Its
// first call loads credential providers and signs: a function calling DynamoDB is given 10 s, not Lambda's 3 s default.
const sdkKinds = [...HANDLE_KINDS, 'state' as const];
const named = (report: Report) =>
  report.findings.map((f) => `${f.kind}:${f.name}@${f.site ?? f.module ?? ''}`);

describe('the AWS SDK v3 against a keep-alive endpoint', () => {
  it('a client created once at module scope reuses one socket and passes', async () => {
    const before = requests;
    const report = await runCheck(fx('orders-client-once.ts'), {
      env,
      invocations: 200,
      kinds: sdkKinds,
      timeoutMs: 10_000,
    });
    expect(report.findings.map((f) => f.message)).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(requests - before).toBe(report.invocations);
  });

  it('a client created per call and never destroyed is named: one TCP socket per invocation', async () => {
    const report = await runCheck(fx('orders-client-per-call.ts'), {
      env,
      invocations: 200,
      kinds: sdkKinds,
      timeoutMs: 10_000,
    });
    const sockets = report.findings.filter((f) => f.kind === 'handle' && f.name === 'TCP socket');
    expect(sockets).toHaveLength(1);
    expect(sockets[0].growthPerInvocation).toBeCloseTo(1, 1);
    const [first, last] = [sockets[0].series[0], sockets[0].series[sockets[0].series.length - 1]];
    expect(last[1] - first[1]).toBe(last[0] - first[0]);
    expect(sockets[0].site).toMatch(/^specs\/fixtures\/fidelity\/orders-client-per-call\.ts:\d+:\d+$/);
  });
});

describe('middy with its defaults', () => {
  it('timeoutEarly sets and clears a timer per call, its losing promise never settles: passes', async () => {
    const report = await runCheck(fx('middy-default-timeout.ts'), { invocations: 500 });
    expect(report.findings.map((f) => f.message)).toEqual([]);
    expect(report.verdict).toBe('pass');
  });

  it('middleware registered inside the handler is named', async () => {
    const report = await runCheck(fx('middy-use-per-call.ts'), { invocations: 300 });
    expect(report.verdict).toBe('leak');
    expect(named(report).some((name) => name.startsWith('state:'))).toBe(true);
  });
});

describe('a guard timer per call', () => {
  it('set and cleared, with a timeout promise that loses the race: passes', async () => {
    const report = await runCheck(fx('guard-timer.ts'), { invocations: 500 });
    expect(report.findings.map((f) => f.message)).toEqual([]);
    expect(report.verdict).toBe('pass');
  });

  it('left running after the handler answered is named at its line', async () => {
    const report = await runCheck(fx('guard-timer-left.ts'), { invocations: 300 });
    expect(named(report)).toContain('pending:setTimeout@specs/fixtures/fidelity/guard-timer-left.ts:9:5');
  });
});
