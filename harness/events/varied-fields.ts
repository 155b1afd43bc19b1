// The request-unique fields of each built-in event type (request ids, trace headers, message ids, receipt handles,
// signatures, eventID, sequence numbers, timestamps), which Lambda's triggers make fresh per invocation, as sites.
import type { Part, Site, TimeFormat } from './generators.js';

/** `*` stands for every element of an array (each SQS record gets its own message id). */
type Pattern = Array<string | '*'>;

interface VariedField {
  path: Pattern;
  parts: Part[];
  numeric?: boolean;
  /** The path of an earlier field of the same type whose value this one repeats in every invocation. */
  sameAs?: Pattern;
}

const FIXTURE_MS = Date.parse('2024-03-12T17:04:23Z');
const uuid: Part[] = [{ gen: 'uuid' }];
const at = (format: TimeFormat): Part[] => [{ gen: 'time', baseMs: FIXTURE_MS, format }];
const ms = (numeric: boolean): Pick<VariedField, 'parts' | 'numeric'> => ({ parts: at('ms'), numeric });
/** X-Ray's trace header as API Gateway, function URLs and ALB add it: `Root=1-<epoch s in hex>-<24 hex>`. */
const TRACE: Part[] = [
  'Root=1-',
  { gen: 'time', baseMs: FIXTURE_MS, format: 'hex-s' },
  '-',
  { gen: 'hex', length: 24 },
];

/** API Gateway HTTP APIs and function URLs share payload format 2.0. */
const PAYLOAD_2: VariedField[] = [
  { path: ['requestContext', 'timeEpoch'], ...ms(true) },
  { path: ['requestContext', 'time'], parts: at('clf') },
  { path: ['headers', 'x-amzn-trace-id'], parts: TRACE },
];

/** Per event type (the names of `createEvent`): every field Lambda's trigger makes new for each request. */
export const VARIED_FIELDS: Record<string, VariedField[]> = {
  'apigw-rest': [
    { path: ['requestContext', 'requestId'], parts: uuid },
    { path: ['requestContext', 'extendedRequestId'], parts: [{ gen: 'b64id' }] },
    { path: ['requestContext', 'requestTimeEpoch'], ...ms(true) },
    { path: ['requestContext', 'requestTime'], parts: at('clf') },
    { path: ['headers', 'X-Amzn-Trace-Id'], parts: TRACE },
    {
      path: ['multiValueHeaders', 'X-Amzn-Trace-Id', '*'],
      parts: TRACE,
      sameAs: ['headers', 'X-Amzn-Trace-Id'],
    },
  ],
  'apigw-http': [{ path: ['requestContext', 'requestId'], parts: [{ gen: 'b64id' }] }, ...PAYLOAD_2],
  'function-url': [{ path: ['requestContext', 'requestId'], parts: uuid }, ...PAYLOAD_2],
  alb: [{ path: ['headers', 'x-amzn-trace-id'], parts: TRACE }],
  sqs: [
    { path: ['Records', '*', 'messageId'], parts: uuid },
    { path: ['Records', '*', 'receiptHandle'], parts: ['AQEB', { gen: 'hex' }, '/', { gen: 'hex' }, '=='] },
    { path: ['Records', '*', 'attributes', 'SentTimestamp'], ...ms(false) },
    { path: ['Records', '*', 'attributes', 'ApproximateFirstReceiveTimestamp'], ...ms(false) },
  ],
  sns: [
    { path: ['Records', '*', 'Sns', 'MessageId'], parts: uuid },
    { path: ['Records', '*', 'Sns', 'Timestamp'], parts: at('iso-ms') },
    // SignatureVersion 1 signs with RSA-SHA1 and a 2048-bit key: 256 bytes, 344 characters of base64.
    { path: ['Records', '*', 'Sns', 'Signature'], parts: [{ gen: 'b64', length: 342 }, '=='] },
  ],
  s3: [
    {
      path: ['Records', '*', 'responseElements', 'x-amz-request-id'],
      parts: [{ gen: 'hex', length: 16, upper: true }],
    },
    { path: ['Records', '*', 'responseElements', 'x-amz-id-2'], parts: [{ gen: 'b64', length: 64 }] },
    { path: ['Records', '*', 'eventTime'], parts: at('iso-ms') },
    { path: ['Records', '*', 's3', 'object', 'sequencer'], parts: [{ gen: 'hex', length: 18, upper: true }] },
  ],
  eventbridge: [
    { path: ['id'], parts: uuid },
    { path: ['time'], parts: at('iso') },
  ],
  'dynamodb-stream': [
    { path: ['Records', '*', 'eventID'], parts: [{ gen: 'hex' }] },
    { path: ['Records', '*', 'dynamodb', 'ApproximateCreationDateTime'], parts: at('s'), numeric: true },
    { path: ['Records', '*', 'dynamodb', 'SequenceNumber'], parts: [{ gen: 'digits', length: 28 }] },
  ],
  scheduled: [
    { path: ['id'], parts: uuid },
    { path: ['time'], parts: at('iso') },
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
      const site: Site = { id: firstId + sites.length, path, field: fieldName(path), parts: field.parts };
      if (field.numeric) site.numeric = true;
      const same = field.sameAs && sites.find((s) => s.field === fieldName(field.sameAs as string[]));
      if (same) site.seed = same.seed ?? same.id;
      sites.push(site);
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
