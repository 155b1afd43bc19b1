// Event fixtures by trigger name (`--event-type apigw-http`), and resolving an event for one invocation.
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
import { InvalidEventError } from '../errors.js';
import * as fixtures from './fixtures.js';
import type { DeepPartial } from './merge.js';
import { rememberBuiltIn } from './program.js';

/** A fixture factory whose events a check recognises, so it gives them fresh request ids per invocation. */
function builtIn<F extends (overrides?: any) => object>(type: string, factory: F): F {
  let base: unknown;
  return ((overrides?: unknown) => {
    const event = factory(overrides);
    base ??= factory();
    rememberBuiltIn(event, type, base);
    return event;
  }) as F;
}

export const apiGatewayRestEvent = builtIn('apigw-rest', fixtures.apiGatewayRestEvent);
export const apiGatewayHttpEvent = builtIn('apigw-http', fixtures.apiGatewayHttpEvent);
export const functionUrlEvent = builtIn('function-url', fixtures.functionUrlEvent);
export const albEvent = builtIn('alb', fixtures.albEvent);
export const sqsEvent = builtIn('sqs', fixtures.sqsEvent);
export const snsEvent = builtIn('sns', fixtures.snsEvent);
export const s3Event = builtIn('s3', fixtures.s3Event);
export const eventBridgeEvent = builtIn('eventbridge', fixtures.eventBridgeEvent);
export const dynamoDbStreamEvent = builtIn('dynamodb-stream', fixtures.dynamoDbStreamEvent);
export const scheduledEvent = builtIn('scheduled', fixtures.scheduledEvent);
export { type DeepPartial, deepMerge } from './merge.js';

/** The event each trigger name produces, typed by @types/aws-lambda. */
export interface EventTypeMap {
  'apigw-rest': APIGatewayProxyEvent;
  'apigw-http': APIGatewayProxyEventV2;
  'function-url': LambdaFunctionURLEvent;
  alb: ALBEvent;
  sqs: SQSEvent;
  sns: SNSEvent;
  s3: S3Event;
  eventbridge: EventBridgeEvent<string, Record<string, unknown>>;
  'dynamodb-stream': DynamoDBStreamEvent;
  scheduled: ScheduledEvent;
}

export type EventType = keyof EventTypeMap;

const FACTORIES: { [K in EventType]: (overrides?: DeepPartial<EventTypeMap[K]>) => EventTypeMap[K] } = {
  'apigw-rest': apiGatewayRestEvent,
  'apigw-http': apiGatewayHttpEvent,
  'function-url': functionUrlEvent,
  alb: albEvent,
  sqs: sqsEvent,
  sns: snsEvent,
  s3: s3Event,
  eventbridge: eventBridgeEvent,
  'dynamodb-stream': dynamoDbStreamEvent,
  scheduled: scheduledEvent,
};

/** Trigger names accepted by `createEvent` and `--event-type`. */
export const EVENT_TYPES = Object.freeze(Object.keys(FACTORIES) as EventType[]);

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(FACTORIES, value);
}

/**
 * A fresh sample event for a trigger, with `overrides` deep-merged in. Unknown names throw
 * `InvalidEventError` listing the valid ones.
 */
export function createEvent<K extends EventType>(
  type: K,
  overrides?: DeepPartial<EventTypeMap[K]>,
): EventTypeMap[K] {
  // Typed callers cannot get here with a typo, JavaScript callers and config files can.
  return (FACTORIES[eventType(type)] as (overrides?: unknown) => unknown)(overrides) as EventTypeMap[K];
}

/** A trigger name given as text (`--event-type`, a config's `event`), checked: unknown names list the valid ones. */
export function eventType(name: string): EventType {
  if (!isEventType(name)) {
    throw new InvalidEventError(`unknown event type "${name}"; use one of: ${EVENT_TYPES.join(', ')}`);
  }
  return name;
}

/** A value, or a function of the 0-based invocation index that returns one. */
export type EventAt<T> = T | ((index: number) => T);

/**
 * The event for invocation `index`: calls `source(index)` when it is a function, otherwise returns a fresh
 * copy of the value, because Lambda deserialises every event anew and a handler that mutates its event
 * must not carry that change into the next invocation through the harness.
 */
export function eventAt<T>(source: EventAt<T>, index: number): T {
  if (typeof source === 'function') return (source as (index: number) => T)(index);
  if (source === null || typeof source !== 'object') return source;
  // Events are JSON in Lambda; structuredClone keeps Dates and Buffers a spec may have put in.
  return structuredClone(source);
}
