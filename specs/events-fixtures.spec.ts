// Event fixtures: each trigger's type and key fields, deep-merged overrides, per-invocation events.
import type {
  ALBEvent,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  DynamoDBStreamEvent,
  EventBridgeEvent,
  LambdaFunctionURLEvent,
  S3Event,
  ScheduledEvent,
  SNSEvent,
  SQSEvent,
} from 'aws-lambda';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidEventError } from '../harness/errors.js';
import {
  apiGatewayHttpEvent,
  createEvent,
  EVENT_TYPES,
  eventAt,
  eventBridgeEvent,
  isEventType,
  sqsEvent,
} from '../harness/events/index.js';

describe('createEvent', () => {
  it('lists the ten trigger names', () => {
    expect([...EVENT_TYPES]).toEqual([
      'apigw-rest',
      'apigw-http',
      'function-url',
      'alb',
      'sqs',
      'sns',
      's3',
      'eventbridge',
      'dynamodb-stream',
      'scheduled',
    ]);
  });

  it('builds an API Gateway REST (1.0) event', () => {
    const event = createEvent('apigw-rest');
    expectTypeOf(event).toEqualTypeOf<APIGatewayProxyEvent>();
    expect(event.httpMethod).toBe('GET');
    expect(event.pathParameters).toEqual({ orderId: '42' });
    expect(event.requestContext.identity.sourceIp).toBe('198.51.100.23');
    expect(event.multiValueHeaders.Accept).toEqual(['application/json']);
  });

  it('builds an API Gateway HTTP (2.0) event', () => {
    const event = createEvent('apigw-http');
    expectTypeOf(event).toEqualTypeOf<APIGatewayProxyEventV2>();
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /orders');
    expect(event.requestContext.http.method).toBe('POST');
    expect(JSON.parse(event.body ?? '')).toEqual({ customerId: 'c-981', items: ['sku-1'] });
    expect(event.headers['content-length']).toBe(String(Buffer.byteLength(event.body ?? '')));
  });

  it('builds a function URL event with the $default sentinels', () => {
    const event = createEvent('function-url');
    expectTypeOf(event).toEqualTypeOf<LambdaFunctionURLEvent>();
    expect(event.routeKey).toBe('$default');
    expect(event.requestContext.stage).toBe('$default');
    expect(event.requestContext.domainName).toMatch(/\.lambda-url\.us-east-1\.on\.aws$/);
  });

  it('builds an ALB event', () => {
    const event = createEvent('alb');
    expectTypeOf(event).toEqualTypeOf<ALBEvent>();
    expect(event.requestContext.elb.targetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:/);
    expect(event.httpMethod).toBe('GET');
  });

  it('builds an SQS event whose md5OfBody matches its body', async () => {
    const { createHash } = await import('node:crypto');
    const event = createEvent('sqs');
    expectTypeOf(event).toEqualTypeOf<SQSEvent>();
    const [record] = event.Records;
    expect(record.eventSource).toBe('aws:sqs');
    expect(record.attributes.ApproximateReceiveCount).toBe('1');
    expect(record.md5OfBody).toBe(createHash('md5').update(record.body).digest('hex'));
  });

  it('builds an SNS event', () => {
    const event = createEvent('sns');
    expectTypeOf(event).toEqualTypeOf<SNSEvent>();
    expect(event.Records[0].EventSource).toBe('aws:sns');
    expect(event.Records[0].Sns.Type).toBe('Notification');
    expect(event.Records[0].EventSubscriptionArn.startsWith(event.Records[0].Sns.TopicArn)).toBe(true);
  });

  it('builds an S3 event', () => {
    const event = createEvent('s3');
    expectTypeOf(event).toEqualTypeOf<S3Event>();
    expect(event.Records[0].eventName).toBe('ObjectCreated:Put');
    expect(event.Records[0].s3.bucket.name).toBe('acme-uploads');
    expect(event.Records[0].s3.object.key).toBe('invoices/2024/03/invoice-42.pdf');
  });

  it('builds an EventBridge event', () => {
    const event = createEvent('eventbridge');
    expectTypeOf(event).toEqualTypeOf<EventBridgeEvent<string, Record<string, unknown>>>();
    expect(event['detail-type']).toBe('OrderPlaced');
    expect(event.detail).toEqual({ orderId: '42', total: 1999, currency: 'USD' });
  });

  it('builds a DynamoDB Streams event', () => {
    const event = createEvent('dynamodb-stream');
    expectTypeOf(event).toEqualTypeOf<DynamoDBStreamEvent>();
    expect(event.Records[0].eventName).toBe('INSERT');
    expect(event.Records[0].dynamodb?.NewImage?.total).toEqual({ N: '1999' });
  });

  it('builds a scheduled event', () => {
    const event = createEvent('scheduled');
    expectTypeOf(event).toEqualTypeOf<ScheduledEvent>();
    expect(event['detail-type']).toBe('Scheduled Event');
    expect(event.source).toBe('aws.events');
  });

  it('rejects an unknown type with the valid ones listed', () => {
    // @ts-expect-error: a trigger name that does not exist is a type error (issue 15: 'sqs-message')
    expect(() => createEvent('sqs-message')).toThrow(InvalidEventError);
    // @ts-expect-error: JavaScript callers and config files still get the runtime error
    expect(() => createEvent('kinesis')).toThrow(
      'unknown event type "kinesis"; use one of: apigw-rest, apigw-http, function-url, alb, sqs, sns, s3, eventbridge, dynamodb-stream, scheduled',
    );
    expect(isEventType('sqs')).toBe(true);
    expect(isEventType('toString')).toBe(false);
  });

  it('returns a fresh object each call, so one handler mutating its event cannot affect the next', () => {
    const first = createEvent('sqs');
    first.Records[0].body = 'mutated';
    expect(createEvent('sqs').Records[0].body).toBe('{"orderId":"42","status":"PAID"}');
  });
});

describe('overrides', () => {
  it('deep-merge into nested objects and keep the sibling fields', () => {
    const event = apiGatewayHttpEvent({
      rawPath: '/orders/7',
      requestContext: { http: { method: 'DELETE' } },
      headers: { authorization: 'Bearer t0k3n' },
    });
    expect(event.rawPath).toBe('/orders/7');
    expect(event.requestContext.http).toEqual({
      method: 'DELETE',
      path: '/orders',
      protocol: 'HTTP/1.1',
      sourceIp: '198.51.100.23',
      userAgent: expect.stringContaining('Mozilla/5.0'),
    });
    expect(event.requestContext.apiId).toBe('r3pmxmplak');
    expect(event.headers.authorization).toBe('Bearer t0k3n');
    expect(event.headers['content-type']).toBe('application/json');
  });

  it('complete each record in an override array from the record template', () => {
    const event = sqsEvent({ Records: [{ body: 'a' }, { body: 'b', messageId: 'm-2' }] });
    expect(event.Records).toHaveLength(2);
    expect(event.Records.map((r) => r.body)).toEqual(['a', 'b']);
    expect(event.Records[1].messageId).toBe('m-2');
    expect(event.Records[1].eventSourceARN).toBe('arn:aws:sqs:us-east-1:123456789012:orders-queue');
  });

  it('replace arrays of plain values and set null explicitly', () => {
    const event = createEvent('apigw-rest', { body: '{"x":1}', queryStringParameters: null });
    expect(event.body).toBe('{"x":1}');
    expect(event.queryStringParameters).toBeNull();
    const ddb = createEvent('eventbridge', { resources: ['arn:aws:s3:::a'] });
    expect(ddb.resources).toEqual(['arn:aws:s3:::a']);
  });

  it('type an EventBridge detail by its generic', () => {
    const event = eventBridgeEvent<'OrderShipped', { orderId: string }>({
      'detail-type': 'OrderShipped',
      detail: { orderId: '7' },
    });
    expectTypeOf(event.detail).toEqualTypeOf<{ orderId: string }>();
    expect(event.detail).toEqual({ orderId: '7', total: 1999, currency: 'USD' });
  });
});

describe('eventAt', () => {
  it('calls a function with the invocation index', () => {
    const source = (index: number) => sqsEvent({ Records: [{ messageId: `m-${index}` }] });
    expect(eventAt(source, 0).Records[0].messageId).toBe('m-0');
    expect(eventAt(source, 41).Records[0].messageId).toBe('m-41');
  });

  it('returns an equal but distinct copy of a value each time', () => {
    const value = createEvent('s3');
    const first = eventAt(value, 0);
    expect(first).toEqual(value);
    expect(first).not.toBe(value);
    expect(eventAt(value, 1)).not.toBe(first);
    expect(eventAt('plain', 3)).toBe('plain');
    expect(eventAt(null, 3)).toBeNull();
  });
});
