// Process isolation behaves like a Lambda execution environment: heap limit from memory size, timeout kill, exit reported.
import { describe, expect, it } from 'vitest';
import { HandlerLoadError } from '../harness/errors.js';
import { checkInProcess, lambdaHeapFlags } from '../harness/isolation/index.js';

describe('process isolation', () => {
  it('sets the V8 heap the way Lambda’s bootstrap does', () => {
    expect(lambdaHeapFlags(128)).toEqual(['--max-semi-space-size=6', '--max-old-space-size=116']);
    expect(lambdaHeapFlags(1024)).toEqual(['--max-semi-space-size=51', '--max-old-space-size=922']);
  });

  it('reports Runtime.OutOfMemory with the invocation at which a fast leak exhausted 128 MB', async () => {
    const report = await checkInProcess('specs/fixtures/oom-fast-leak.cjs', {
      memorySizeMB: 128,
      invocations: 300,
    });
    expect(report.verdict).toBe('leak');
    expect(report.error?.errorType).toBe('Runtime.OutOfMemory');
    expect(report.error?.errorMessage).toContain('--max-old-space-size=116');
    // 2 MiB kept per invocation (256 Ki elements of 8 B) against a 116 MiB old space: 58 pages, and the page being
    // built at the failing one. Since the runtime holds no AsyncLocalStorage in a process (90552c8) the handler
    // reaches invocation 60, the large-object space's own headroom included; what the harness holds lowers it.
    expect(report.error?.invocation).toBeGreaterThan(20);
    expect(report.error?.invocation).toBeLessThanOrEqual(61);
    expect(report.maxMemoryUsedMB).toBeGreaterThan(100);
  });

  it('kills an environment that hangs past its timeout and names the invocation', async () => {
    const report = await checkInProcess('specs/fixtures/hangs-on-third-call.cjs', {
      timeoutMs: 500,
      invocations: 20,
    });
    expect(report.error).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 0.50 seconds; the environment was killed',
      invocation: 3,
    });
    // Counted with the invocation it died in (ecae0d6), as in faults-modes and report-wording.
    expect(report.invocations).toBe(3);
  });

  it('reports process.exit as Runtime.ExitError, a never-settling promise as Sandbox.Timedout, a broken module as HandlerLoadError', async () => {
    const [exited, broken, awaiting] = await Promise.allSettled([
      checkInProcess('specs/fixtures/exits-on-third-call.cjs', { invocations: 20 }),
      checkInProcess('specs/fixtures/cli-broken-handler.cjs', { invocations: 20 }),
      checkInProcess('specs/fixtures/awaits-forever-on-fourth-call.cjs', { invocations: 20, timeoutMs: 300 }),
    ]);
    // A promise that never settles is Lambda's timeout, not a process that quietly exits.
    expect(awaiting.status === 'fulfilled' && awaiting.value.error).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringContaining('Task timed out after 0.30 seconds'),
      invocation: 4,
    });
    expect(exited.status === 'fulfilled' && exited.value.error).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringMatching(/^RequestId: \S+ Error: Runtime exited with error: exit status 3$/),
      invocation: 3,
    });
    expect(broken.status === 'rejected' && broken.reason).toBeInstanceOf(HandlerLoadError);
  });
});
