// `warmleak check` with no handler in a SAM project: every function of template.yaml with its own memory, timeout, environment and event.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkIn } from './fixtures/templates/run-check.js';

const nodeMajor = process.versions.node.split('.')[0];

// One check at a time: each already runs its functions' environments side by side.
describe('SAM templates', () => {
  it("checks sam init's JavaScript hello-world with its Globals, parameter default, placeholders for intrinsics and its events/ file", async () => {
    // No arguments at all, as in CI: the template is found at the project root.
    const run = await checkIn('sam-hello-js');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^pass HelloWorldFunction \(hello-world\/app\.mjs#lambdaHandler\) /m);
    expect(run.stdout).toContain('1 handler checked: 0 leaks, 1 passed');
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
    const run = await checkIn('sam-hello-ts');
    expect(run.code).toBe(0);
    // The TypeScript source esbuild builds from, not .aws-sam/build.
    expect(run.stdout).toMatch(/^pass HelloWorldFunction \(hello-world\/app\.ts#lambdaHandler\) /m);
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

  it('--shard picks functions of the template, one function per shard; the JSON names each with its settings', async () => {
    const first = await checkIn('sam-two-functions', '--shard', '1/2', '--json');
    // The first shard also lists the Python function, once for all shards, with its runtime and no verdict.
    expect(JSON.parse(first.stdout)).toMatchObject([
      {
        functionName: 'HealthFunction',
        template: 'template.yaml',
        handler: 'src/health.mjs#handler',
        verdict: 'pass',
        // Lambda's default memory size; its own Timeout over the Globals'.
        memorySizeMB: 128,
        timeoutMs: 2000,
      },
      {
        functionName: 'ReportsFunction',
        template: 'template.yaml',
        skipped: { runtime: 'python3.12', reason: 'warmleak checks Node.js functions' },
      },
    ]);
    expect(JSON.parse(first.stdout)[1]).not.toHaveProperty('verdict');
    expect(first.code).toBe(0);
  });

  // Four CLI runs side by side, each bounded by checkIn's own 90 s.
  it('--function picks functions, skipped ones too; junit, github, markdown and html name each by its logical id and list the skipped one with its runtime', {
    timeout: 90_000,
  }, async () => {
    const health = ['--function', 'HealthFunction'];
    const reports = ['--function', 'ReportsFunction'];
    const page = join(mkdtempSync(join(tmpdir(), 'warmleak-html-')), 'report.html');
    const [junit, github, skipOnly, markdown, html] = await Promise.all([
      checkIn('sam-two-functions', ...health, ...reports, '--reporter', 'junit'),
      // Only what --function names: the skipped function is not listed.
      checkIn(
        'sam-two-functions',
        '--template',
        'template.yaml',
        '--function',
        'OrdersFunction',
        '--reporter',
        'github',
      ),
      // A skipped function alone starts no environment.
      checkIn('sam-two-functions', ...reports, '--reporter', 'github'),
      checkIn('sam-two-functions', ...health, ...reports, '--reporter', 'markdown'),
      checkIn('sam-two-functions', ...health, ...reports, '--reporter', 'html', '--output', page),
    ]);
    const htmlPage = readFileSync(page, 'utf8');
    rmSync(join(page, '..'), { recursive: true, force: true });
    for (const run of [junit, skipOnly, markdown, html]) expect(run.code).toBe(0);
    expect(github.code).toBe(1);
    expect(github.stdout).toMatch(
      /^::error file=src\/orders\.mjs,.*::processedOrders \(src\/orders\.mjs\) grew by 1 element per invocation: .* \(handler OrdersFunction \(src\/orders\.mjs#handler\)\)$/m,
    );
    expect(junit.stdout).toContain(
      '<testcase classname="src/health.mjs" name="HealthFunction (src/health.mjs#handler)"',
    );
    expect(junit.stdout).toContain(
      '<testcase classname="template.yaml" name="ReportsFunction" time="0.000">\n      <skipped message="python3.12: warmleak checks Node.js functions"/>',
    );
    expect(junit.stdout).toMatch(/tests="2" failures="0" errors="0" skipped="1"/);
    expect(github.stdout).not.toContain('ReportsFunction');
    expect(skipOnly.stdout).toBe(
      '::notice file=template.yaml,title=warmleak%3A skipped::ReportsFunction (python3.12, template.yaml): warmleak checks Node.js functions\nwarmleak: 0 handlers checked, 0 leaking\n',
    );
    expect(markdown.stdout).toContain(
      '## warmleak: 1 handler checked: 0 leaks, 1 passed, 1 skipped (not Node.js)',
    );
    expect(markdown.stdout).toContain('| `HealthFunction (src/health.mjs#handler)` | ✅ pass |');
    expect(markdown.stdout).toContain(
      '### Skipped: warmleak checks Node.js functions\n\n- `ReportsFunction (python3.12, template.yaml)`',
    );
    expect(htmlPage).toContain('<code>HealthFunction (src/health.mjs#handler)</code>');
    expect(htmlPage).toContain('<li><code>ReportsFunction (python3.12, template.yaml)</code></li>');
  });
});

describe('bad SAM templates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warmleak-template-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  };

  // One run over three templates (the config lists them), so that each problem is seen beside the others.
  it('each bad template, and a function whose handler file does not exist, is one line naming the file, exit 2; the other function still runs', async () => {
    write('broken.yaml', 'Resources:\n  Fn: [unclosed\n');
    write('empty.yml', 'AWSTemplateFormatVersion: "2010-09-09"\n');
    write(
      'template.yaml',
      [
        'Transform: AWS::Serverless-2016-10-31',
        // This Node's runtime, so that no engine warning joins the lines.
        `Globals: { Function: { Runtime: nodejs${nodeMajor}.x } }`,
        'Resources:',
        '  MissingFunction:',
        '    Type: AWS::Serverless::Function',
        '    Properties: { CodeUri: gone/, Handler: app.handler }',
        '  PresentFunction:',
        '    Type: AWS::Serverless::Function',
        '    Properties: { CodeUri: src/, Handler: index.handler }',
      ].join('\n'),
    );
    write('src/index.mjs', 'export const handler = async () => ({ statusCode: 200 });\n');
    write(
      'warmleak.config.json',
      '{ "invocations": 20, "template": ["broken.yaml", "empty.yml", "template.yaml"] }',
    );
    const run = await checkIn(dir, '--json');
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^warmleak: broken\.yaml: not YAML at line \d+, column \d+: /),
      'warmleak: empty.yml: has no Resources; warmleak reads functions from a SAM or CloudFormation template',
      'warmleak: MissingFunction (template.yaml): handler app.handler: no file gone/app.{js,mjs,cjs,ts,mts,cts}; check its code location and Handler',
    ]);
    expect(JSON.parse(run.stdout)).toMatchObject([
      { functionName: 'PresentFunction', handler: 'src/index.mjs#handler', verdict: 'pass' },
      { handler: 'broken.yaml', error: { errorType: 'TemplateError' } },
      { handler: 'empty.yml', error: { errorType: 'TemplateError' } },
      {
        functionName: 'MissingFunction',
        handler: 'template.yaml',
        error: { errorType: 'TemplateError', errorMessage: expect.stringContaining('no file gone/app.') },
      },
    ]);
  });
});
