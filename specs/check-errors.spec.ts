// Errors are outcomes: a check counts failed invocations by errorType and goes on, so a leak on the error path
// is found; only a handler that fails every time is a usage error, one line naming the likely fix.

import { describe, expect, it } from 'vitest';
import { runCheck } from '../harness/check/index.js';
import { InvocationError } from '../harness/errors.js';
import { reporters } from '../harness/reporters/index.js';
import { useInventoryService } from './fixtures/inventory-service.js';

useInventoryService();

describe('errors are outcomes', () => {
  it('a handler failing one call in ten and leaking a socket on that path: the leak is named, the errors counted', async () => {
    const report = await runCheck('specs/fixtures/error-path-socket.ts', { invocations: 200 });
    expect(report.verdict).toBe('leak');
    const handle = report.findings.find((f) => f.kind === 'handle');
    expect(handle?.message).toMatch(/TCP/);
    expect(handle?.site).toMatch(/^specs\/fixtures\/error-path-socket\.ts:\d+/);
    expect(handle?.growthPerInvocation).toBeCloseTo(0.1, 2);
    expect(report.errors?.count).toBe(Math.floor(report.invocations / 10));
    expect(report.errors?.byType).toEqual({ Error: report.errors?.count });
    expect(report.errors?.first).toEqual({
      errorType: 'Error',
      errorMessage: 'order 10 refused: out of stock',
      invocation: 9,
    });
    // Every reporter shows the count.
    const count = `${report.errors?.count} of ${report.invocations} invocations failed (Error ${report.errors?.count})`;
    for (const name of ['text', 'github', 'junit'] as const)
      expect(reporters[name]([report])).toContain(count);
    expect(JSON.parse(reporters.json([report])).errors.count).toBe(report.errors?.count);
  });

  it('a clean handler reports zero errors', async () => {
    const report = await runCheck(async () => ({ statusCode: 200 }), { invocations: 50 });
    expect(report.errors).toEqual({ count: 0, byType: {} });
  });

  it('an SDK client without credentials on every call: one line naming --setup and --env', async () => {
    const getOrder = async () => {
      const error = new Error('Could not load credentials from any providers');
      error.name = 'CredentialsProviderError';
      throw error;
    };
    const error = await runCheck(getOrder, { invocations: 10 }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(InvocationError);
    expect((error as Error).message).toBe(
      'getOrder failed on invocation 1: CredentialsProviderError: Could not load credentials from any providers (the AWS SDK found no usable credentials: mock the client in a --setup file, or set them with --env)',
    );
  });
});
