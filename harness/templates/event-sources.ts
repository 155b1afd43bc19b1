// A function's event sources, as each format declares them, mapped to the built-in sample event it receives.
import type { EventType } from '../events/index.js';

/** SAM's `Events.<name>.Type`. */
const SAM_EVENTS: Record<string, EventType> = {
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

/** Serverless's `events: [{ <key>: ... }]`. */
const SERVERLESS_EVENTS: Record<string, EventType> = {
  http: 'apigw-rest',
  httpApi: 'apigw-http',
  sqs: 'sqs',
  sns: 'sns',
  s3: 's3',
  schedule: 'scheduled',
  eventBridge: 'eventbridge',
  cloudwatchEvent: 'eventbridge',
  alb: 'alb',
};

/** The event type of a list of sources, first match wins; sources without a sample are noted. */
function firstEventType(
  sources: Array<{ kind: string; type: EventType | undefined }>,
  notes: string[],
): EventType | undefined {
  for (const source of sources) if (source.type) return source.type;
  if (sources.length > 0)
    notes.push(
      `its event source ${sources[0].kind} has no built-in sample event; it receives {} unless the config names one`,
    );
  return undefined;
}

/** SAM: the first of `Events` with a sample, or a Function URL (`FunctionUrlConfig`). */
export function samEventType(events: unknown, functionUrl: unknown, notes: string[]): EventType | undefined {
  const sources = Object.values(asObject(events)).map((event) => {
    const kind = String(asObject(event).Type);
    return { kind, type: Object.hasOwn(SAM_EVENTS, kind) ? SAM_EVENTS[kind] : undefined };
  });
  if (functionUrl !== undefined && functionUrl !== null)
    sources.push({ kind: 'FunctionUrlConfig', type: 'function-url' });
  return firstEventType(sources, notes);
}

/** Serverless: the first of `events` with a sample; `stream` is DynamoDB's unless it names Kinesis; `url` is a Function URL. */
export function serverlessEventType(events: unknown, url: unknown, notes: string[]): EventType | undefined {
  const sources = (Array.isArray(events) ? events : []).map((event) => {
    const [kind] = Object.keys(asObject(event));
    if (kind === 'stream') {
      const text = JSON.stringify(asObject(event).stream);
      return { kind, type: /kinesis/i.test(text) ? undefined : ('dynamodb-stream' as const) };
    }
    return {
      kind: kind ?? 'unknown',
      type: kind && Object.hasOwn(SERVERLESS_EVENTS, kind) ? SERVERLESS_EVENTS[kind] : undefined,
    };
  });
  if (url !== undefined && url !== false) sources.push({ kind: 'url', type: 'function-url' });
  return firstEventType(sources, notes);
}

/** Principals of `AWS::Lambda::Permission` that say who invokes the function. */
const PRINCIPALS: Record<string, EventType> = {
  'apigateway.amazonaws.com': 'apigw-rest',
  'sns.amazonaws.com': 'sns',
  's3.amazonaws.com': 's3',
  'events.amazonaws.com': 'eventbridge',
  'elasticloadbalancing.amazonaws.com': 'alb',
};

/** Resource types an `AWS::Lambda::EventSourceMapping` reads from. */
const MAPPED_SOURCES: Record<string, EventType> = {
  'AWS::SQS::Queue': 'sqs',
  'AWS::DynamoDB::Table': 'dynamodb-stream',
  'AWS::DynamoDB::GlobalTable': 'dynamodb-stream',
};

/**
 * Plain CloudFormation (and CDK's synthesised templates) declares event sources as separate resources that point
 * at the function: permissions, event source mappings and function URLs. Returns each function's first one.
 */
export function cloudFormationEventTypes(resources: Record<string, unknown>): Map<string, EventType> {
  const types = new Map<string, EventType>();
  const typeOf = (id: string) => String(asObject(resources[id]).Type);
  for (const resource of Object.values(resources)) {
    const { Type: type, Properties: properties } = asObject(resource);
    const props = asObject(properties);
    if (type === 'AWS::Scheduler::Schedule') {
      // EventBridge Scheduler (SAM's ScheduleV2) invokes through a role, with no permission on the function.
      const target = referencedId(asObject(props.Target).Arn);
      if (target && !types.has(target)) types.set(target, 'scheduled');
      continue;
    }
    const target = referencedId(type === 'AWS::Lambda::Url' ? props.TargetFunctionArn : props.FunctionName);
    if (!target || types.has(target)) continue;
    let event: EventType | undefined;
    if (type === 'AWS::Lambda::Url') event = 'function-url';
    else if (type === 'AWS::Lambda::Permission' && typeof props.Principal === 'string') {
      event = PRINCIPALS[props.Principal];
      const sources = referencedIds(props.SourceArn).map((id) => asObject(resources[id]));
      const httpApi = sources.some((source) => source.Type === 'AWS::ApiGatewayV2::Api');
      if (event === 'apigw-rest' && httpApi) event = 'apigw-http';
      // A rule with a schedule (CDK's Schedule.rate, SAM's Schedule) sends the scheduled event, not a pattern's.
      const scheduled = sources.some(
        (source) => asObject(source.Properties).ScheduleExpression !== undefined,
      );
      if (event === 'eventbridge' && scheduled) event = 'scheduled';
    } else if (type === 'AWS::Lambda::EventSourceMapping') {
      event = referencedIds(props.EventSourceArn)
        .map((id) => MAPPED_SOURCES[typeOf(id)])
        .find(Boolean);
    }
    if (event) types.set(target, event);
  }
  return types;
}

/** `{ Ref: 'Fn' }` or `{ 'Fn::GetAtt': ['Fn', 'Arn'] }` -> 'Fn'. */
function referencedId(value: unknown): string | undefined {
  const object = asObject(value);
  if (typeof object.Ref === 'string') return object.Ref;
  const attribute = object['Fn::GetAtt'];
  if (Array.isArray(attribute) && typeof attribute[0] === 'string') return attribute[0];
  return undefined;
}

/** Every logical id a value refers to, however deeply (`Fn::Join` of a `Ref` inside an ARN). */
function referencedIds(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  const own = referencedId(value);
  const nested = Object.values(value as Record<string, unknown>).flatMap(referencedIds);
  return own ? [own, ...nested] : nested;
}

export function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
