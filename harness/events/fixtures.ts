// Sample events for common Lambda triggers, shaped like the examples in AWS's documentation, one factory each.
import type {
  ALBEvent,
  APIGatewayEventIdentity,
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
import { type DeepPartial, deepMerge } from './merge.js';

// Fixed ids and times keep a fixture readable; a check gives each invocation fresh ones (see varied-fields.ts).
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TIME = '2024-03-12T17:04:23Z';
const TIME_EPOCH_MS = Date.parse(TIME);
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36';
const SOURCE_IP = '198.51.100.23';
const TRACE_ID = 'Root=1-65f08b97-2c6a1e5d3b9f4a7e8c0d1f2a';

/** The caller of a REST API request without IAM or Cognito authorisation: only its address and user agent. */
function restIdentity(): APIGatewayEventIdentity {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: SOURCE_IP,
    user: null,
    userAgent: USER_AGENT,
    userArn: null,
  };
}

/** API Gateway REST API (payload format 1.0), a GET on /orders/{orderId}. */
export function apiGatewayRestEvent(overrides?: DeepPartial<APIGatewayProxyEvent>): APIGatewayProxyEvent {
  const base: APIGatewayProxyEvent = {
    resource: '/orders/{orderId}',
    path: '/orders/42',
    httpMethod: 'GET',
    headers: {
      Accept: 'application/json',
      Host: `abcdef1234.execute-api.${REGION}.amazonaws.com`,
      'User-Agent': USER_AGENT,
      'X-Amzn-Trace-Id': TRACE_ID,
      'X-Forwarded-For': SOURCE_IP,
      'X-Forwarded-Port': '443',
      'X-Forwarded-Proto': 'https',
    },
    multiValueHeaders: {
      Accept: ['application/json'],
      Host: [`abcdef1234.execute-api.${REGION}.amazonaws.com`],
      'User-Agent': [USER_AGENT],
      'X-Amzn-Trace-Id': [TRACE_ID],
      'X-Forwarded-For': [SOURCE_IP],
      'X-Forwarded-Port': ['443'],
      'X-Forwarded-Proto': ['https'],
    },
    queryStringParameters: { include: 'items' },
    multiValueQueryStringParameters: { include: ['items'] },
    pathParameters: { orderId: '42' },
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'abcdef1234',
      authorizer: undefined,
      domainName: `abcdef1234.execute-api.${REGION}.amazonaws.com`,
      domainPrefix: 'abcdef1234',
      extendedRequestId: 'UvJ9DGnMoAMEc2Q=',
      httpMethod: 'GET',
      identity: restIdentity(),
      path: '/prod/orders/42',
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTime: '12/Mar/2024:17:04:23 +0000',
      requestTimeEpoch: TIME_EPOCH_MS,
      resourceId: 'a1b2c3',
      resourcePath: '/orders/{orderId}',
      stage: 'prod',
    },
    body: null,
    isBase64Encoded: false,
  };
  return deepMerge(base, overrides);
}

/** API Gateway HTTP API (payload format 2.0), a POST on /orders with a JSON body. */
export function apiGatewayHttpEvent(overrides?: DeepPartial<APIGatewayProxyEventV2>): APIGatewayProxyEventV2 {
  const base: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: 'POST /orders',
    rawPath: '/orders',
    rawQueryString: 'dryRun=false',
    cookies: ['session=3f2a9c'],
    headers: {
      accept: 'application/json',
      'content-length': '40',
      'content-type': 'application/json',
      host: `r3pmxmplak.execute-api.${REGION}.amazonaws.com`,
      'user-agent': USER_AGENT,
      'x-amzn-trace-id': TRACE_ID,
      'x-forwarded-for': SOURCE_IP,
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    queryStringParameters: { dryRun: 'false' },
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'r3pmxmplak',
      domainName: `r3pmxmplak.execute-api.${REGION}.amazonaws.com`,
      domainPrefix: 'r3pmxmplak',
      http: {
        method: 'POST',
        path: '/orders',
        protocol: 'HTTP/1.1',
        sourceIp: SOURCE_IP,
        userAgent: USER_AGENT,
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: 'POST /orders',
      stage: '$default',
      time: '12/Mar/2024:17:04:23 +0000',
      timeEpoch: TIME_EPOCH_MS,
    },
    body: '{"customerId":"c-981","items":["sku-1"]}',
    isBase64Encoded: false,
  };
  return deepMerge(base, overrides);
}

/** Lambda function URL (same schema as HTTP API 2.0, with `$default` route and stage sentinels). */
export function functionUrlEvent(overrides?: DeepPartial<LambdaFunctionURLEvent>): LambdaFunctionURLEvent {
  const urlId = 'a4mxmplzvo3ufq4ysm3uduwwqq0ydsbe';
  const base: LambdaFunctionURLEvent = {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/report',
    rawQueryString: 'format=pdf',
    headers: {
      accept: '*/*',
      host: `${urlId}.lambda-url.${REGION}.on.aws`,
      'user-agent': USER_AGENT,
      'x-amzn-tls-cipher-suite': 'ECDHE-RSA-AES128-GCM-SHA256',
      'x-amzn-tls-version': 'TLSv1.2',
      'x-amzn-trace-id': TRACE_ID,
      'x-forwarded-for': SOURCE_IP,
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    queryStringParameters: { format: 'pdf' },
    requestContext: {
      accountId: 'anonymous',
      apiId: urlId,
      domainName: `${urlId}.lambda-url.${REGION}.on.aws`,
      domainPrefix: urlId,
      http: {
        method: 'GET',
        path: '/report',
        protocol: 'HTTP/1.1',
        sourceIp: SOURCE_IP,
        userAgent: USER_AGENT,
      },
      requestId: 'd3c1a6c9-4b3e-4f0b-9d62-1f0e8a5b7c21',
      routeKey: '$default',
      stage: '$default',
      time: '12/Mar/2024:17:04:23 +0000',
      timeEpoch: TIME_EPOCH_MS,
    },
    isBase64Encoded: false,
  };
  return deepMerge(base, overrides);
}

/** Application Load Balancer target-group request (multi-value headers off). */
export function albEvent(overrides?: DeepPartial<ALBEvent>): ALBEvent {
  const base: ALBEvent = {
    requestContext: {
      elb: {
        targetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a`,
      },
    },
    httpMethod: 'GET',
    path: '/health',
    queryStringParameters: { verbose: 'true' },
    headers: {
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'accept-encoding': 'gzip',
      'accept-language': 'en-US,en;q=0.9',
      connection: 'keep-alive',
      host: 'lambda-alb-123578498.us-east-1.elb.amazonaws.com',
      'upgrade-insecure-requests': '1',
      'user-agent': USER_AGENT,
      'x-amzn-trace-id': TRACE_ID,
      'x-forwarded-for': SOURCE_IP,
      'x-forwarded-port': '80',
      'x-forwarded-proto': 'http',
    },
    body: '',
    isBase64Encoded: false,
  };
  return deepMerge(base, overrides);
}

/** SQS batch of one message from a standard queue. */
export function sqsEvent(overrides?: DeepPartial<SQSEvent>): SQSEvent {
  const base: SQSEvent = {
    Records: [
      {
        messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
        receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a4ceuT8p5ZKM6Tr9FvU4fF3uLvBmVgpy8q0/2bC7aD1A==',
        body: '{"orderId":"42","status":"PAID"}',
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(TIME_EPOCH_MS),
          SenderId: 'AIDAIENQZJOLO23YVJ4VO',
          ApproximateFirstReceiveTimestamp: String(TIME_EPOCH_MS + 2),
        },
        messageAttributes: {},
        md5OfBody: '3dd85a014e13348f3a6f60af800a932d',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-queue`,
        awsRegion: REGION,
      },
    ],
  };
  return deepMerge(base, overrides);
}

/** SNS notification delivered to a Lambda subscription. */
export function snsEvent(overrides?: DeepPartial<SNSEvent>): SNSEvent {
  const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:order-events`;
  const base: SNSEvent = {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
        EventSource: 'aws:sns',
        Sns: {
          SignatureVersion: '1',
          Timestamp: '2024-03-12T17:04:23.000Z',
          Signature: 'tcc6faL2yUC6dgZdmrwh1Y4cGa/ebXEkAi6RibDsvpi+tE/1+82j...65r==',
          SigningCertUrl: `https://sns.${REGION}.amazonaws.com/SimpleNotificationService-ac565b8b1a6c5d002d285f9598aa1d9b.pem`,
          MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
          Message: '{"orderId":"42","event":"shipped"}',
          MessageAttributes: {
            source: { Type: 'String', Value: 'fulfilment' },
          },
          Type: 'Notification',
          UnsubscribeUrl: `https://sns.${REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
          TopicArn: topicArn,
          Subject: 'OrderShipped',
        },
      },
    ],
  };
  return deepMerge(base, overrides);
}

/** S3 ObjectCreated:Put notification. */
export function s3Event(overrides?: DeepPartial<S3Event>): S3Event {
  const base: S3Event = {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: REGION,
        eventTime: '2024-03-12T17:04:23.000Z',
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AIDAINPONIXQXHT3IKHL2' },
        requestParameters: { sourceIPAddress: SOURCE_IP },
        responseElements: {
          'x-amz-request-id': 'C3D13FE58DE4C810',
          'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'uploads-created',
          bucket: {
            name: 'acme-uploads',
            ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
            arn: 'arn:aws:s3:::acme-uploads',
          },
          object: {
            key: 'invoices/2024/03/invoice-42.pdf',
            size: 48213,
            eTag: 'd41d8cd98f00b204e9800998ecf8427e',
            sequencer: '0065F08B97A3F1C2D4',
          },
        },
      },
    ],
  };
  return deepMerge(base, overrides);
}

/** EventBridge custom event from an application's event bus. */
export function eventBridgeEvent<TDetailType extends string = string, TDetail = Record<string, unknown>>(
  overrides?: DeepPartial<EventBridgeEvent<TDetailType, TDetail>>,
): EventBridgeEvent<TDetailType, TDetail> {
  const base = {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'OrderPlaced',
    source: 'com.acme.orders',
    account: ACCOUNT,
    time: TIME,
    region: REGION,
    resources: [],
    detail: { orderId: '42', total: 1999, currency: 'USD' },
  } as unknown as EventBridgeEvent<TDetailType, TDetail>;
  return deepMerge(base, overrides);
}

/** DynamoDB Streams batch with one INSERT (NEW_AND_OLD_IMAGES view). */
export function dynamoDbStreamEvent(overrides?: DeepPartial<DynamoDBStreamEvent>): DynamoDBStreamEvent {
  const base: DynamoDBStreamEvent = {
    Records: [
      {
        eventID: 'c4ca4238a0b923820dcc509a6f75849b',
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: REGION,
        dynamodb: {
          ApproximateCreationDateTime: Math.floor(TIME_EPOCH_MS / 1000),
          Keys: { pk: { S: 'ORDER#42' } },
          NewImage: { pk: { S: 'ORDER#42' }, status: { S: 'PAID' }, total: { N: '1999' } },
          SequenceNumber: '4421584500000000017450439091',
          SizeBytes: 59,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
        eventSourceARN: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Orders/stream/2024-03-12T00:00:00.000`,
      },
    ],
  };
  return deepMerge(base, overrides);
}

/** EventBridge scheduled rule (cron or rate expression) firing. */
export function scheduledEvent(overrides?: DeepPartial<ScheduledEvent>): ScheduledEvent {
  const base: ScheduledEvent = {
    version: '0',
    id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    time: TIME,
    region: REGION,
    resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/nightly-cleanup`],
    detail: {},
  };
  return deepMerge(base, overrides);
}
