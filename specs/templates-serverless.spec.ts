// `warmleak check` with no handler in a Serverless Framework service: each function of serverless.yml with its own settings.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless's ${...} variables are what these assertions read.
import { describe, expect, it } from 'vitest';
import { checkIn } from './fixtures/templates/run-check.js';

describe('serverless.yml', () => {
  it("checks the aws-node-typescript service's functions with the Framework's and the provider's defaults, their own overrides and resolved variables", async () => {
    // What the Framework would read from the deploying shell: here, the shell running the check.
    process.env.ORDERS_PREFIX = 'blue';
    const run = await checkIn('serverless-ts');
    delete process.env.ORDERS_PREFIX;
    expect(run.code).toBe(0);
    // Named by their function keys.
    expect(run.stdout).toMatch(/^pass hello \(handler\.ts#hello\) /m);
    expect(run.stdout).toMatch(/^pass processOrder \(src\/handlers\/process-order\.ts#main\) /m);
    expect(run.stdout).toContain('2 handlers checked: 0 leaks, 2 passed');
    // Lambda's name for a Serverless function is service-stage-key.
    const hello = run.seen('aws-node-typescript-dev-hello');
    // The Framework's default memory size; the provider's timeout.
    expect(hello).toMatchObject({
      memoryLimitInMB: 1024,
      // nodejs18.x is no longer emulated: the oldest runtime that is.
      executionEnv: 'AWS_Lambda_nodejs20.x',
      env: {
        SERVICE_NAME: 'aws-node-typescript',
        ORDERS_QUEUE: 'aws-node-typescript-dev-orders',
        LOG_LEVEL: null,
      },
      event: { routeKey: expect.any(String), httpMethod: null },
    });
    expect(hello?.remainingMs).toBeLessThanOrEqual(8000);
    expect(hello?.remainingMs).toBeGreaterThan(7000);
    const processOrder = run.seen('aws-node-typescript-dev-processOrder');
    expect(processOrder).toMatchObject({
      memoryLimitInMB: 512,
      env: {
        ORDERS_QUEUE: 'aws-node-typescript-dev-orders',
        LOG_LEVEL: 'info',
        PAYMENTS_KEY: '${ssm:/payments/key}',
        ORDERS_TABLE: 'blue-orders',
      },
      event: { recordSource: 'aws:sqs' },
    });
    expect(processOrder?.remainingMs).toBeGreaterThan(8000);
    expect(processOrder?.executionEnv).toBe('AWS_Lambda_nodejs20.x');
    // One line for the runtime warmleak does not emulate; none for processOrder's nodejs20.x on Node 20.
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('warmleak: warning:'));
    expect(warnings).toContain(
      `warmleak: warning: hello runs on nodejs18.x in Lambda, which warmleak does not emulate: it is checked as nodejs20.x on Node ${process.versions.node}`,
    );
    expect(warnings).toHaveLength(process.versions.node.startsWith('20.') ? 1 : 2);
    expect(run.stderr).toContain(
      'warmleak: serverless.yml: processOrder: environment PAYMENTS_KEY uses ${ssm:/payments/key}, which Serverless resolves at deploy; the check uses that text',
    );
  });
});
