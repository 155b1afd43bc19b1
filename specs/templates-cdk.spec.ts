// `warmleak check` with no handler in a CDK app: both functions of the synthesised cdk.out, the bundled one and the copied one.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIn } from './fixtures/templates/run-check.js';

// The CDK fixtures load the spec hook by path, as the same file sits at two depths (lambda/ and its asset copy).
process.env.WARMLEAK_SPEC_HOOK = resolve(import.meta.dirname, 'fixtures/templates/observe.mjs');

describe('cdk.out', () => {
  it('checks the bundled asset as Lambda runs it and a copied asset at its source, each with its own settings and event', async () => {
    const run = await checkIn('cdk-two-functions');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^pass OrdersFunction2D4E6F80 \(cdk\.out\/asset\.3f1c0a9e5b7d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e\/index\.mjs#handler\) /m,
    );
    expect(run.stdout).toMatch(/^pass StatusFunction5C7E9A2B \(lambda\/status\.mjs#handler\) /m);
    expect(run.stdout).toContain('2 handlers checked: 0 leaks, 2 passed');
    expect(run.seen('OrdersFunction2D4E6F80')).toMatchObject({
      memoryLimitInMB: 1024,
      executionEnv: 'AWS_Lambda_nodejs22.x',
      env: {
        TABLE_NAME: '!Ref OrdersTable8F2C1A7B',
        POWERTOOLS_SERVICE_NAME: 'orders',
        STATUS_PAGE: '!GetAtt StatusFunctionFunctionUrl1A2B3C4D.FunctionUrl',
      },
      // From the AWS::Lambda::EventSourceMapping on the queue.
      event: { recordSource: 'aws:sqs' },
    });
    expect(run.seen('OrdersFunction2D4E6F80')?.remainingMs).toBeGreaterThan(14_000);
    // No MemorySize or Timeout in the template: Lambda's defaults; the Function URL's event.
    expect(run.seen('StatusFunction5C7E9A2B')).toMatchObject({
      memoryLimitInMB: 128,
      executionEnv: 'AWS_Lambda_nodejs20.x',
      env: { POWERTOOLS_SERVICE_NAME: 'status', TABLE_NAME: null },
      event: { routeKey: '$default', httpMethod: null },
    });
    expect(run.seen('StatusFunction5C7E9A2B')?.remainingMs).toBeLessThanOrEqual(3000);
    expect(run.stderr).toContain(
      'OrdersFunction2D4E6F80: its code is the CDK asset cdk.out/asset.3f1c0a9e5b7d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e bundled from src/orders/handler.ts, checked as Lambda runs it',
    );
    expect(run.stderr).toContain(
      'StatusFunction5C7E9A2B: its CDK asset is a copy of lambda/status.mjs, which is checked',
    );
  });
});
