// `warmleak check` with no handler in a SAM project: every function of template.yaml with its own memory, timeout, environment and event.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkIn } from './fixtures/templates/run-check.js';

const nodeMajor = process.versions.node.split('.')[0];

// One check at a time: each already runs its functions' environments side by side.
describe('SAM templates', () => {
  it("checks sam init's JavaScript hello-world with its Globals, parameter default, placeholders for intrinsics and its events/ file", async () => {
    const run = await checkIn('sam-hello-js', '--json');
    expect(run.code).toBe(0);
    const reports = JSON.parse(run.stdout);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      verdict: 'pass',
      handler: 'hello-world/app.mjs#lambdaHandler',
      functionName: 'HelloWorldFunction',
      template: 'template.yaml',
      memorySizeMB: 256,
      timeoutMs: 7000,
    });
    const seen = run.seen('HelloWorldFunction');
    expect(seen).toMatchObject({
      memoryLimitInMB: 256,
      memoryVariable: '256',
      executionEnv: 'AWS_Lambda_nodejs20.x',
      env: {
        STAGE: 'dev',
        POWERTOOLS_SERVICE_NAME: 'hello',
        GREETINGS_TABLE: '!Ref GreetingsTable',
        GREETINGS_TABLE_ARN: '!GetAtt GreetingsTable.Arn',
      },
      // The config names the event file `sam local invoke -e` uses, by the function's logical id.
      event: { httpMethod: 'GET', resource: '/hello', routeKey: null },
    });
    expect(seen?.env.API_URL).toMatch(/^!Sub https:\/\/\$\{ServerlessRestApi\}/);
    expect(seen?.remainingMs).toBeGreaterThan(6000);
    expect(seen?.remainingMs).toBeLessThanOrEqual(7000);
    // Lambda's heap for 256 MB is about 90% of it; the default 128 MB would give about half of this.
    expect(seen?.heapLimitMB).toBeGreaterThan(200);
    expect(run.stderr).toContain(
      'warmleak: template.yaml: HelloWorldFunction: environment variable GREETINGS_TABLE is !Ref GreetingsTable, which CloudFormation resolves at deploy',
    );
  });

  it('checks the TypeScript hello-world at its esbuild entry point, on the nodejs22.x runtime it names', async () => {
    const run = await checkIn('sam-hello-ts', '--json');
    expect(run.code).toBe(0);
    const [report] = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      handler: 'hello-world/app.ts#lambdaHandler',
      functionName: 'HelloWorldFunction',
      memorySizeMB: 512,
      timeoutMs: 10_000,
    });
    const seen = run.seen('HelloWorldFunction');
    expect(seen).toMatchObject({
      memoryLimitInMB: 512,
      executionEnv: 'AWS_Lambda_nodejs22.x',
      env: { LOG_LEVEL: 'debug', QUEUE_URL: '!Ref HelloQueue' },
      event: { httpMethod: null, routeKey: expect.any(String) },
    });
    expect(seen?.remainingMs).toBeGreaterThan(9000);
    const warning = `warmleak: warning: HelloWorldFunction runs on nodejs22.x in Lambda but this is Node ${process.versions.node}; use Node 22 for the same engine`;
    if (nodeMajor === '22') expect(run.stderr).not.toContain('warning:');
    else expect(run.stderr).toContain(warning);
  });

  it('names the leaky function of two by its logical id, passes the clean one and lists the Python one as skipped', async () => {
    const run = await checkIn('sam-two-functions');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('LEAK OrdersFunction (src/orders.mjs#handler)');
    expect(run.stdout).toMatch(/✗ processedOrders src\/orders\.mjs \+1 element per invocation/);
    expect(run.stdout).toContain(
      'rerun: npx warmleak check --template template.yaml --function OrdersFunction',
    );
    expect(run.stdout).toContain('pass HealthFunction (src/health.mjs#handler)');
    expect(run.stdout).toContain('skip ReportsFunction (python3.12, template.yaml)');
    expect(run.stdout).toContain('2 handlers checked: 1 leak, 1 passed, 1 skipped (not Node.js)');
    expect(run.stderr).toContain(
      'warmleak: template.yaml: skipped ReportsFunction (python3.12); warmleak checks Node.js functions',
    );
    // Each function with its own settings over the shared Globals.
    expect(run.seen('OrdersFunction')).toMatchObject({
      memoryLimitInMB: 384,
      env: { ORDERS_QUEUE_URL: '!Ref OrdersQueue', ORDERS_TABLE: 'orders-local' },
      event: { recordSource: 'aws:sqs' },
    });
    expect(run.seen('HealthFunction')).toMatchObject({
      memoryLimitInMB: 128,
      env: { ORDERS_QUEUE_URL: '!Ref OrdersQueue', ORDERS_TABLE: null },
      event: { routeKey: expect.any(String), recordSource: null },
    });
    expect(run.seen('OrdersFunction')?.remainingMs).toBeGreaterThan(4000);
    expect(run.seen('HealthFunction')?.remainingMs).toBeLessThanOrEqual(2000);
  });

  it('--function and --shard pick functions of the template, one function per shard', async () => {
    const [first, second] = await Promise.all([
      checkIn('sam-two-functions', '--shard', '1/2', '--json'),
      checkIn('sam-two-functions', '--template', 'template.yaml', '--function', 'HealthFunction', '--json'),
    ]);
    expect(JSON.parse(first.stdout).map((r: { functionName: string }) => r.functionName)).toEqual([
      'HealthFunction',
    ]);
    expect(first.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject([{ functionName: 'HealthFunction', verdict: 'pass' }]);
  });
});

describe.concurrent('bad SAM templates', () => {
  const projects: string[] = [];
  afterAll(() => {
    for (const dir of projects) rmSync(dir, { recursive: true, force: true });
  });
  function project(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'warmleak-template-'));
    projects.push(dir);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    writeFileSync(join(dir, 'warmleak.config.json'), '{ "invocations": 20 }');
    return dir;
  }

  it('a template that is not YAML is one line naming the file, exit 2', async () => {
    const run = await checkIn(project({ 'template.yaml': 'Resources:\n  Fn: [unclosed\n' }));
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^warmleak: template\.yaml: not YAML at line \d+, column \d+: /),
    ]);
  });

  it('a template without Resources is one line, exit 2', async () => {
    const run = await checkIn(project({ 'template.yml': 'AWSTemplateFormatVersion: "2010-09-09"\n' }));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'warmleak: template.yml: has no Resources; warmleak reads functions from a SAM or CloudFormation template',
    );
  });

  it('a function whose handler file does not exist is one line and exit 2; the other function still runs', async () => {
    const run = await checkIn(
      project({
        'template.yaml': [
          'Transform: AWS::Serverless-2016-10-31',
          // This Node's runtime, so that no engine warning joins the one line.
          `Globals: { Function: { Runtime: nodejs${nodeMajor}.x } }`,
          'Resources:',
          '  MissingFunction:',
          '    Type: AWS::Serverless::Function',
          '    Properties: { CodeUri: gone/, Handler: app.handler }',
          '  PresentFunction:',
          '    Type: AWS::Serverless::Function',
          '    Properties: { CodeUri: src/, Handler: index.handler }',
        ].join('\n'),
        'src/index.mjs': 'export const handler = async () => ({ statusCode: 200 });\n',
      }),
      '--json',
    );
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'warmleak: MissingFunction (template.yaml): handler app.handler: no file gone/app.{js,mjs,cjs,ts,mts,cts}; check its code location and Handler',
    ]);
    expect(JSON.parse(run.stdout)).toMatchObject([
      { functionName: 'PresentFunction', handler: 'src/index.mjs#handler', verdict: 'pass' },
      {
        functionName: 'MissingFunction',
        handler: 'template.yaml',
        error: { errorType: 'TemplateError', errorMessage: expect.stringContaining('no file gone/app.') },
      },
    ]);
  });
});
