// The request-unique fields of each built-in event type (request ids, message ids, receipt handles, eventID,
// timestamps), which Lambda's triggers make fresh for every invocation, as generator sites.
import type { Part, Site } from './generators.js';

/** `*` stands for every element of an array (each SQS record gets its own message id). */
type Pattern = Array<string | '*'>;

interface VariedField {
  path: Pattern;
  parts: Part[];
  numeric?: boolean;
}

const FIXTURE_MS = Date.parse('2024-03-12T17:04:23Z');
const uuid: Part[] = [{ gen: 'uuid' }];
const ms = (numeric: boolean): Pick<VariedField, 'parts' | 'numeric'> => ({
  parts: [{ gen: 'time', baseMs: FIXTURE_MS, format: 'ms' }],
  numeric,
});
const iso = (format: 'iso' | 'iso-ms'): Part[] => [{ gen: 'time', baseMs: FIXTURE_MS, format }];

const APIGW_TIME: VariedField = { path: ['requestContext', 'timeEpoch'], ...ms(true) };

/** Per event type (the names of `createEvent`). Types not listed (ALB) carry no request id in their event. */
export const VARIED_FIELDS: Record<string, VariedField[]> = {
  'apigw-rest': [
    { path: ['requestContext', 'requestId'], parts: uuid },
    { path: ['requestContext', 'requestTimeEpoch'], ...ms(true) },
  ],
  'apigw-http': [{ path: ['requestContext', 'requestId'], parts: [{ gen: 'b64id' }] }, APIGW_TIME],
  'function-url': [{ path: ['requestContext', 'requestId'], parts: uuid }, APIGW_TIME],
  sqs: [
    { path: ['Records', '*', 'messageId'], parts: uuid },
    { path: ['Records', '*', 'receiptHandle'], parts: ['AQEB', { gen: 'hex' }, '/', { gen: 'hex' }, '=='] },
    { path: ['Records', '*', 'attributes', 'SentTimestamp'], ...ms(false) },
    { path: ['Records', '*', 'attributes', 'ApproximateFirstReceiveTimestamp'], ...ms(false) },
  ],
  sns: [
    { path: ['Records', '*', 'Sns', 'MessageId'], parts: uuid },
    { path: ['Records', '*', 'Sns', 'Timestamp'], parts: iso('iso-ms') },
  ],
  s3: [
    {
      path: ['Records', '*', 'responseElements', 'x-amz-request-id'],
      parts: [{ gen: 'hex', length: 16, upper: true }],
    },
    { path: ['Records', '*', 'eventTime'], parts: iso('iso-ms') },
    { path: ['Records', '*', 's3', 'object', 'sequencer'], parts: [{ gen: 'hex', length: 18, upper: true }] },
  ],
  eventbridge: [
    { path: ['id'], parts: uuid },
    { path: ['time'], parts: iso('iso') },
  ],
  'dynamodb-stream': [
    { path: ['Records', '*', 'eventID'], parts: [{ gen: 'hex' }] },
    {
      path: ['Records', '*', 'dynamodb', 'ApproximateCreationDateTime'],
      parts: [{ gen: 'time', baseMs: FIXTURE_MS, format: 's' }],
      numeric: true,
    },
  ],
  scheduled: [
    { path: ['id'], parts: uuid },
    { path: ['time'], parts: iso('iso') },
  ],
};

/**
 * Sites for the varied fields of `event` (made by `createEvent(type, ...)`), numbered from `firstId`. A field the
 * caller overrode (its value differs from the fixture's `base`) keeps the caller's value.
 */
export function variedSites(type: string, event: unknown, base: unknown, firstId: number): Site[] {
  const sites: Site[] = [];
  for (const field of VARIED_FIELDS[type] ?? []) {
    for (const path of expand(event, field.path)) {
      const value = valueAt(event, path);
      const baseValue = valueAt(
        base,
        path.map((step) => (typeof step === 'number' ? 0 : step)),
      );
      if (value === undefined || value !== baseValue) continue;
      sites.push({
        id: firstId + sites.length,
        path,
        field: fieldName(path),
        parts: field.parts,
        ...(field.numeric ? { numeric: true } : {}),
      });
    }
  }
  return sites;
}

function expand(event: unknown, pattern: Pattern): Array<Array<string | number>> {
  let paths: Array<Array<string | number>> = [[]];
  for (const step of pattern) {
    if (step !== '*') {
      paths = paths.map((path) => [...path, step]);
      continue;
    }
    paths = paths.flatMap((path) => {
      const list = valueAt(event, path);
      return Array.isArray(list) ? list.map((_, i) => [...path, i]) : [];
    });
  }
  return paths;
}

export function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let at = value;
  for (const step of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[step];
  }
  return at;
}

/** `Records[0].messageId`, `pathParameters.id`, `headers["x-amz-id"]`. */
export function fieldName(path: ReadonlyArray<string | number>): string {
  let name = '';
  for (const step of path) {
    if (typeof step === 'number') name += `[${step}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(step)) name += name === '' ? step : `.${step}`;
    else name += `[${JSON.stringify(step)}]`;
  }
  return name;
}
