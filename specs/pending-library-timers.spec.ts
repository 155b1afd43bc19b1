// Timers a library sets on the handler's behalf (undici's keep-alive and body timers under fetch) are not work
// the handler left behind; a timer the handler sets itself and does not await still is.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../harness/check/index.js';

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"price":9.99}');
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('pending work under fetch', () => {
  it('an awaited fetch per invocation leaves no pending finding', async () => {
    const report = await runCheck('specs/fixtures/pricing-fetch.mjs', {
      env: { PRICING_URL: url },
      invocations: 200,
      kinds: ['pending', 'handle'],
    });
    expect(report.findings.map((f) => f.message)).toEqual([]);
  });

  it('a fire-and-forget setTimeout next to the fetch is still named at its line', async () => {
    process.env.PRICING_URL = url; // read at module scope, as real handlers read their configuration
    const fixture: string = './fixtures/pricing-fetch.mjs';
    const { handler } = (await import(fixture)) as { handler: (event: unknown) => Promise<unknown> };
    delete process.env.PRICING_URL;
    const withAudit = async (event: unknown) => {
      setTimeout(() => {}, 60_000);
      return handler(event);
    };
    const report = await runCheck(withAudit, {
      env: { PRICING_URL: url },
      invocations: 50,
      kinds: ['pending'],
    });
    const pending = report.findings.find((f) => f.kind === 'pending');
    expect(pending?.name).toBe('setTimeout');
    const line =
      readFileSync(new URL(import.meta.url), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('60_000);')) + 1;
    expect(pending?.site).toMatch(new RegExp(`^specs/pending-library-timers\\.spec\\.ts:${line}:\\d+$`));
  });
});
