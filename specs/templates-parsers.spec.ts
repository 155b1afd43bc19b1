// The template readers without running a handler: CloudFormation's YAML tags, intrinsic placeholders, handler paths, event sources, skipped functions.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation's and Serverless's ${...} variables are what this file tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { templateNotices, templateSettings } from '../harness/cli/template-targets.js';
import { parseCloudFormationYaml } from '../harness/templates/cfn-yaml.js';
import {
  cloudFormationEventTypes,
  samEventType,
  serverlessEventType,
} from '../harness/templates/event-sources.js';
import {
  discoverTemplates,
  readTemplates,
  splitHandler,
  unreadableServerlessConfig,
} from '../harness/templates/index.js';
import { serverlessFunctions } from '../harness/templates/serverless.js';
import { Placeholder, resolveValue, templateScope, variablesValue } from '../harness/templates/values.js';

describe('CloudFormation YAML', () => {
  it('reads every short-form tag in its scalar, sequence and mapping forms as the long form', async () => {
    const parsed = await parseCloudFormationYaml(
      [
        'ref: !Ref Table',
        'att: !GetAtt Table.StreamArn',
        'attList: !GetAtt [Table, Arn]',
        'sub: !Sub "arn:${AWS::Partition}:s3:::${Bucket}/*"',
        'subList: !Sub ["${A}-x", { A: !Ref Stage }]',
        'if: !If [IsProd, !Ref ProdValue, !Ref "AWS::NoValue"]',
        'join: !Join ["-", [a, !Ref Stage]]',
        'select: !Select [0, !GetAZs ""]',
        'import: !ImportValue shared-table',
        'map: !FindInMap [Sizes, !Ref Stage, Memory]',
        'split: !Split [",", "a,b"]',
        'cond: !And [!Equals [!Ref Stage, prod], !Not [!Condition IsDev], !Or [!Condition A, !Condition B]]',
        'b64: !Base64 hello',
        'cidr: !Cidr [10.0.0.0/16, 4, 8]',
        'transform: !Transform { Name: AWS::Include, Parameters: { Location: s3://x } }',
      ].join('\n'),
    );
    expect(parsed).toEqual({
      ref: { Ref: 'Table' },
      att: { 'Fn::GetAtt': ['Table', 'StreamArn'] },
      attList: { 'Fn::GetAtt': ['Table', 'Arn'] },
      sub: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/*' },
      subList: { 'Fn::Sub': ['${A}-x', { A: { Ref: 'Stage' } }] },
      if: { 'Fn::If': ['IsProd', { Ref: 'ProdValue' }, { Ref: 'AWS::NoValue' }] },
      join: { 'Fn::Join': ['-', ['a', { Ref: 'Stage' }]] },
      select: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      import: { 'Fn::ImportValue': 'shared-table' },
      map: { 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'Memory'] },
      split: { 'Fn::Split': [',', 'a,b'] },
      cond: {
        'Fn::And': [
          { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
          { 'Fn::Not': [{ Condition: 'IsDev' }] },
          { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] },
        ],
      },
      b64: { 'Fn::Base64': 'hello' },
      cidr: { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] },
      transform: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://x' } } },
    });
  });

  it('names the line and column of a syntax error', async () => {
    await expect(parseCloudFormationYaml('Resources:\n  A: !Ref\n  - [x\n')).rejects.toThrow(
      /^not YAML at line \d+, column \d+: /,
    );
  });
});

describe('intrinsics before deploy', () => {
  const scope = templateScope({
    Parameters: { Stage: { Type: 'String', Default: 'dev' }, Size: { Default: 512 } },
  });

  it('resolves parameter defaults, pseudo parameters, and Sub and Join over them', () => {
    expect(resolveValue({ Ref: 'Stage' }, scope)).toBe('dev');
    expect(resolveValue({ Ref: 'Size' }, scope)).toBe(512);
    expect(resolveValue({ 'Fn::Sub': 'app-${Stage}-${AWS::Region}-${!Literal}' }, scope)).toBe(
      'app-dev-us-east-1-${Literal}',
    );
    expect(resolveValue({ 'Fn::Sub': ['${Name}.example', { Name: { Ref: 'Stage' } }] }, scope)).toBe(
      'dev.example',
    );
    expect(resolveValue({ 'Fn::Join': ['/', ['a', { Ref: 'AWS::AccountId' }]] }, scope)).toBe(
      'a/123456789012',
    );
  });

  it('turns what only CloudFormation knows into placeholders in the short form, each with a note', () => {
    expect(resolveValue({ 'Fn::GetAtt': ['Table', 'Arn'] }, scope)).toEqual(
      new Placeholder('!GetAtt Table.Arn'),
    );
    expect(resolveValue({ 'Fn::ImportValue': 'shared' }, scope)).toEqual(
      new Placeholder('!ImportValue shared'),
    );
    const notes: string[] = [];
    expect(
      variablesValue({ STAGE: { Ref: 'Stage' }, TABLE: { Ref: 'Table' }, PORT: 8080 }, scope, notes),
    ).toEqual({ STAGE: 'dev', TABLE: '!Ref Table', PORT: '8080' });
    expect(notes).toEqual([
      'environment variable TABLE is !Ref Table, which CloudFormation resolves at deploy; the check uses that text',
    ]);
  });
});

describe('handler settings', () => {
  it('splits module and export where Lambda does: the first dot of the last path segment', () => {
    expect(splitHandler('app.lambdaHandler')).toEqual({ module: 'app', exportName: 'lambdaHandler' });
    expect(splitHandler('src/handlers/hello.main')).toEqual({
      module: 'src/handlers/hello',
      exportName: 'main',
    });
    expect(splitHandler('index.handlers.main')).toEqual({ module: 'index', exportName: 'handlers.main' });
    expect(splitHandler('src/v1.2/app.handler')).toEqual({ module: 'src/v1.2/app', exportName: 'handler' });
    expect(splitHandler('app')).toBeUndefined();
    expect(splitHandler('app.')).toBeUndefined();
  });
});

describe('event sources in SAM and serverless.yml', () => {
  it('maps each SAM event type, and a Function URL, to its sample event; the first with a sample wins', () => {
    const expected: Record<string, string> = {
      Api: 'apigw-rest',
      HttpApi: 'apigw-http',
      SQS: 'sqs',
      SNS: 'sns',
      S3: 's3',
      Schedule: 'scheduled',
      ScheduleV2: 'scheduled',
      EventBridgeRule: 'eventbridge',
      CloudWatchEvent: 'eventbridge',
      DynamoDB: 'dynamodb-stream',
    };
    for (const [type, event] of Object.entries(expected))
      expect(samEventType({ Source: { Type: type } }, undefined, [])).toBe(event);
    expect(samEventType(undefined, { AuthType: 'NONE' }, [])).toBe('function-url');
    const notes: string[] = [];
    expect(samEventType({ Stream: { Type: 'Kinesis' }, Queue: { Type: 'SQS' } }, undefined, notes)).toBe(
      'sqs',
    );
    expect(samEventType({ Stream: { Type: 'Kinesis' } }, undefined, notes)).toBeUndefined();
    expect(notes).toEqual([
      'its event source Kinesis has no built-in sample event; it receives {} unless the config names one',
    ]);
  });

  it('maps serverless.yml events, telling a DynamoDB stream from a Kinesis one', () => {
    const type = (event: unknown) => serverlessEventType([event], undefined, []);
    expect(type({ http: { path: '/', method: 'get' } })).toBe('apigw-rest');
    expect(type({ httpApi: '*' })).toBe('apigw-http');
    expect(type({ schedule: 'rate(5 minutes)' })).toBe('scheduled');
    expect(type({ eventBridge: { pattern: {} } })).toBe('eventbridge');
    expect(type({ stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': ['Table', 'StreamArn'] } } })).toBe(
      'dynamodb-stream',
    );
    expect(
      type({ stream: { type: 'kinesis', arn: 'arn:aws:kinesis:us-east-1:1:stream/s' } }),
    ).toBeUndefined();
    expect(serverlessEventType(undefined, true, [])).toBe('function-url');
  });
});

describe('event sources in plain CloudFormation', () => {
  it('finds each function first source from permissions, mappings and URLs that point at it', () => {
    const types = cloudFormationEventTypes({
      Queue: { Type: 'AWS::SQS::Queue' },
      Http: { Type: 'AWS::ApiGatewayV2::Api' },
      Rest: { Type: 'AWS::ApiGateway::RestApi' },
      QueueMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: { FunctionName: { Ref: 'Worker' }, EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
      },
      HttpPermission: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          FunctionName: { 'Fn::GetAtt': ['Api', 'Arn'] },
          Principal: 'apigateway.amazonaws.com',
          SourceArn: { 'Fn::Join': ['', ['arn:aws:execute-api:', { Ref: 'Http' }, '/*']] },
        },
      },
      RestPermission: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          FunctionName: { Ref: 'Legacy' },
          Principal: 'apigateway.amazonaws.com',
          SourceArn: { Ref: 'Rest' },
        },
      },
      Url: { Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: { Ref: 'Public' } } },
      Topic: {
        Type: 'AWS::Lambda::Permission',
        Properties: { FunctionName: { Ref: 'Fan' }, Principal: 'sns.amazonaws.com' },
      },
      Nightly: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 day)' } },
      NightlyPermission: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          FunctionName: { 'Fn::GetAtt': ['Cron', 'Arn'] },
          Principal: 'events.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': ['Nightly', 'Arn'] },
        },
      },
      Orders: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['shop'] } } },
      OrdersPermission: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          FunctionName: { Ref: 'Listener' },
          Principal: 'events.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': ['Orders', 'Arn'] },
        },
      },
      Hourly: {
        Type: 'AWS::Scheduler::Schedule',
        Properties: {
          ScheduleExpression: 'rate(1 hour)',
          Target: { Arn: { 'Fn::GetAtt': ['Report', 'Arn'] }, RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } },
        },
      },
    });
    expect(Object.fromEntries(types)).toEqual({
      Worker: 'sqs',
      Api: 'apigw-http',
      Legacy: 'apigw-rest',
      Public: 'function-url',
      Fan: 'sns',
      Cron: 'scheduled',
      Listener: 'eventbridge',
      Report: 'scheduled',
    });
  });
});

describe('serverless.yml variables', () => {
  it('resolves self:, the stage, fallbacks and set env: variables; keeps an unset env: and the rest as written, each with a note', () => {
    process.env.WARMLEAK_SPEC_COLOR = 'blue';
    const [fn] = serverlessFunctions(
      {
        service: 'orders',
        custom: { table: '${self:service}-${sls:stage}', memory: 768 },
        provider: { name: 'aws', runtime: 'nodejs22.x', environment: { TABLE: '${self:custom.table}' } },
        functions: {
          create: {
            handler: 'src/create.main',
            memorySize: '${self:custom.memory}',
            timeout: "${opt:timeout, '9'}",
            environment: {
              SECRET: '${env:WARMLEAK_SPEC_UNSET}',
              REGION: '${aws:region}',
              POOL: '${env:WARMLEAK_SPEC_COLOR}-pool',
            },
            events: [{ sqs: { arn: 'arn:aws:sqs:us-east-1:1:q' } }],
          },
        },
      },
      '/project/serverless.yml',
      'serverless.yml',
    );
    delete process.env.WARMLEAK_SPEC_COLOR;
    expect(fn).toMatchObject({
      name: 'create',
      codeDir: '/project',
      handler: 'src/create.main',
      runtime: 'nodejs22.x',
      memorySize: 768,
      timeout: '9',
      variables: {
        TABLE: 'orders-dev',
        SECRET: '${env:WARMLEAK_SPEC_UNSET}',
        REGION: 'us-east-1',
        POOL: 'blue-pool',
      },
      lambdaName: 'orders-dev-create',
      eventType: 'sqs',
    });
    expect(fn.notes).toEqual([
      'environment SECRET uses ${env:WARMLEAK_SPEC_UNSET}, which Serverless resolves at deploy; the check uses that text',
    ]);
  });
});

describe('readTemplates on a project folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'warmleak-read-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  };

  it('reads plain CloudFormation functions from a local Code folder, and skips what is not runnable Node.js code', async () => {
    write('src/index.js', 'exports.handler = async () => 1;\n');
    write(
      'stack.json',
      JSON.stringify({
        Resources: {
          Api: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Code: 'src',
              Handler: 'index.handler',
              Runtime: 'nodejs18.x',
              MemorySize: 1536,
              Timeout: 29,
            },
          },
          Inline: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Code: { ZipFile: 'exports.handler=()=>1' },
              Handler: 'index.handler',
              Runtime: 'nodejs20.x',
            },
          },
          Image: {
            Type: 'AWS::Lambda::Function',
            Properties: { PackageType: 'Image', Code: { ImageUri: 'x' } },
          },
          Uploaded: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Code: { S3Bucket: 'b', S3Key: 'k' },
              Handler: 'index.handler',
              Runtime: 'nodejs20.x',
            },
          },
          Go: {
            Type: 'AWS::Lambda::Function',
            Properties: { Code: 'src', Handler: 'bootstrap', Runtime: 'provided.al2023' },
          },
        },
      }),
    );
    const read = await readTemplates(['stack.json'], root);
    expect(read.functions).toMatchObject([
      {
        name: 'Api',
        file: 'src/index.js',
        exportName: 'handler',
        runtime: 'nodejs18.x',
        memorySizeMB: 1536,
        timeoutMs: 29_000,
      },
    ]);
    expect(read.skipped).toEqual([
      { name: 'Inline', template: 'stack.json', runtime: 'inline code (Code.ZipFile)' },
      { name: 'Image', template: 'stack.json', runtime: 'container image' },
      { name: 'Uploaded', template: 'stack.json', runtime: 'code in S3 (Code.S3Bucket)' },
      { name: 'Go', template: 'stack.json', runtime: 'provided.al2023' },
    ]);
    // nodejs18.x is not emulated: it runs as the oldest emulated runtime, and says so.
    const targets = {
      templates: ['stack.json'],
      targets: [{ file: 'src/index.js', spec: 'src/index.js#handler', function: read.functions[0] }],
      failures: [],
      skipped: [],
    };
    expect(templateSettings(read.functions[0])).toMatchObject({
      runtime: 'nodejs20.x',
      memorySizeMB: 1536,
      timeoutMs: 29_000,
    });
    // One line, whatever Node runs the check.
    expect(templateNotices(targets)).toEqual([
      `warning: Api runs on nodejs18.x in Lambda, which warmleak does not emulate: it is checked as nodejs20.x on Node ${process.versions.node}`,
    ]);
  });

  it('a folder means every *.template.json in it, nested assemblies too; a problem in one leaves the others', async () => {
    write('out/asset.abc/index.js', 'exports.handler = async () => 1;\n');
    const fn = {
      Type: 'AWS::Lambda::Function',
      Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x' },
      Metadata: { 'aws:asset:path': 'asset.abc' },
    };
    write('out/A.template.json', JSON.stringify({ Resources: { One: fn } }));
    write(
      'out/assembly-Prod/B.template.json',
      JSON.stringify({ Resources: { Two: { ...fn, Metadata: { 'aws:asset:path': '../asset.abc' } } } }),
    );
    write('out/C.template.json', '{ "Resources": ');
    // `cdk synth --no-staging` (as `sam local` uses it) names the source folder itself, absolute.
    write('lambda/three.js', 'exports.handler = async () => 3;\n');
    const unstaged = { ...fn, Properties: { ...fn.Properties, Handler: 'three.handler' } };
    write(
      'out/D.template.json',
      JSON.stringify({
        Resources: { Three: { ...unstaged, Metadata: { 'aws:asset:path': join(root, 'lambda') } } },
      }),
    );
    const read = await readTemplates(['out'], root);
    expect(read.functions.map((f) => [f.template, f.name, f.file])).toEqual([
      ['out/A.template.json', 'One', 'out/asset.abc/index.js'],
      ['out/D.template.json', 'Three', 'lambda/three.js'],
      ['out/assembly-Prod/B.template.json', 'Two', 'out/asset.abc/index.js'],
    ]);
    expect(read.problems).toEqual([
      { template: 'out/C.template.json', message: expect.stringMatching(/^not JSON: /) },
    ]);
  });

  it('finds the templates a project root holds, never a SAM build copy; a serverless.ts alone gets a recipe', () => {
    const project = join(root, 'discover');
    const touch = (name: string) => write(join('discover', name), '');
    touch('.aws-sam/build/template.yaml');
    touch('serverless.ts');
    expect(discoverTemplates(project)).toEqual([]);
    expect(unreadableServerlessConfig(project)).toBe(
      'serverless.ts is code, which warmleak does not run; write its resolved form with npx serverless print > serverless.resolved.yml and pass --template serverless.resolved.yml',
    );
    touch('template.yml');
    touch('serverless.json');
    mkdirSync(join(project, 'cdk.out'));
    expect(discoverTemplates(project)).toEqual(['template.yml', 'serverless.json', 'cdk.out']);
  });
});
