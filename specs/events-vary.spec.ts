// Events that vary: generators in event files, JSON arrays / JSON Lines / folders replayed and cycled, built-in events
// with fresh request ids, and a keyed cache caught by each of them (CLI, expectNoStateLeak, a config's function).
import { describe, expect, it } from 'vitest';
import { expectNoStateLeak, StateLeakError } from '../harness/assert/expect-no-state-leak.js';
import { runCheck } from '../harness/check/index.js';
import { InvalidEventError } from '../harness/errors.js';
import { decodeCanaries, parseTemplate } from '../harness/events/generators.js';
import { createEvent, EVENT_TYPES, type EventType } from '../harness/events/index.js';
import { compileEvents, eventOf, programOf } from '../harness/events/program.js';
import { readEventsFile } from '../harness/runtime/event-source.js';
import { checkCli } from './fixtures/check-cli.js';

const program = (...values: unknown[]) =>
  compileEvents(values.map((value, i) => ({ value, label: `e${i}` })));
const events = (p: ReturnType<typeof program>, n: number) =>
  Array.from({ length: n }, (_, i) => eventOf(p, i));

describe('generators', () => {
  it('{{seq}} is the invocation index, also inside a longer string; literal text stays', () => {
    const p = program({ id: 'user-{{seq}}', n: '{{seq}}', plain: 'x', count: 3 });
    expect(events(p, 3)).toEqual([
      { id: 'user-0', n: '0', plain: 'x', count: 3 },
      { id: 'user-1', n: '1', plain: 'x', count: 3 },
      { id: 'user-2', n: '2', plain: 'x', count: 3 },
    ]);
  });

  it('{{uuid}} is a v4-shaped uuid unique per invocation, and decodes back to its invocation', () => {
    const p = program({ headers: { authorization: 'Bearer {{uuid}}' } });
    const tokens = events(p, 500).map(
      (e) => (e as { headers: { authorization: string } }).headers.authorization,
    );
    expect(new Set(tokens).size).toBe(500);
    for (const token of tokens)
      expect(token).toMatch(/^Bearer [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(decodeCanaries(`{"served":"${tokens[137]}"}`, p.salt)).toEqual([{ site: 0, index: 137 }]);
  });

  it('{{int MIN MAX}} stays in range and {{pick ...}} picks among its values, all of them over a run', () => {
    const p = program({ qty: '{{int 1 6}}', tier: '{{pick gold silver bronze}}' });
    const all = events(p, 300) as Array<{ qty: string; tier: string }>;
    expect(new Set(all.map((e) => e.qty))).toEqual(new Set(['1', '2', '3', '4', '5', '6']));
    expect(new Set(all.map((e) => e.tier))).toEqual(new Set(['gold', 'silver', 'bronze']));
  });

  it('each event is a fresh object, and the template is never changed', () => {
    const template = { pathParameters: { id: 'p-{{seq}}' } };
    const p = program(template);
    const first = eventOf(p, 0) as typeof template;
    first.pathParameters.id = 'mutated';
    expect(eventOf(p, 0)).toEqual({ pathParameters: { id: 'p-0' } });
    expect(template.pathParameters.id).toBe('p-{{seq}}');
  });

  it('an unknown generator or bad arguments are an InvalidEventError naming the place and the fix', () => {
    expect(() => parseTemplate('{{uud}}', 'events.json[0] at id')).toThrow(
      '{{uud}} at events.json[0] at id: unknown generator "uud"; use {{uuid}}, {{seq}}, {{int MIN MAX}} or {{pick A B ...}}',
    );
    expect(() => program({ n: '{{int 9 1}}' })).toThrow(InvalidEventError);
    expect(() => program({ n: '{{int 9 1}}' })).toThrow('e0 at n: {{int MIN MAX}} needs two integers');
  });

  it('events are replayed in order and cycled', () => {
    const p = program({ k: 'a' }, { k: 'b' }, { k: 'c' });
    expect(events(p, 5)).toEqual([{ k: 'a' }, { k: 'b' }, { k: 'c' }, { k: 'a' }, { k: 'b' }]);
  });
});

describe('built-in events vary their request-unique fields per invocation, as Lambda does', () => {
  it('SQS records get fresh message ids and receipt handles; an overridden field keeps its value', () => {
    const p = programOf(
      createEvent('sqs', { Records: [{ body: 'a' }, { body: 'b', messageId: 'mine' }] }),
      undefined,
      '.',
    );
    const [e0, e1] = events(p!, 2) as Array<{
      Records: Array<{ messageId: string; receiptHandle: string; body: string }>;
    }>;
    expect(e0.Records[0].messageId).not.toBe(e1.Records[0].messageId);
    expect(e0.Records[0].messageId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(e0.Records[0].receiptHandle).not.toBe(e1.Records[0].receiptHandle);
    expect(e0.Records[1].messageId).toBe('mine');
    expect(e1.Records[1].messageId).toBe('mine');
    expect(e1.Records.map((r) => r.body)).toEqual(['a', 'b']);
  });

  it.each([
    ['apigw-rest', 'requestContext.requestId'],
    ['apigw-http', 'requestContext.requestId'],
    ['function-url', 'requestContext.requestId'],
    ['sns', 'Records.0.Sns.MessageId'],
    ['s3', 'Records.0.responseElements.x-amz-request-id'],
    ['eventbridge', 'id'],
    ['dynamodb-stream', 'Records.0.eventID'],
    ['scheduled', 'id'],
  ] as Array<[EventType, string]>)(
    '%s: %s differs between invocations, in the fixture’s format',
    (type, field) => {
      const p = programOf(createEvent(type), undefined, '.')!;
      const read = (e: unknown) => field.split('.').reduce((at: any, k) => at[k], e) as string;
      const fixture = read(createEvent(type));
      const [a, b] = events(p, 2).map(read);
      expect(a).not.toBe(b);
      expect(a.length).toBe(fixture.length);
    },
  );

  // Every field a trigger makes new per request, as the service documents it; everything else stays.
  const requestUnique: Record<EventType, string[]> = {
    'apigw-rest': [
      'headers.X-Amzn-Trace-Id',
      'multiValueHeaders.X-Amzn-Trace-Id.0',
      'requestContext.extendedRequestId',
      'requestContext.requestId',
      'requestContext.requestTime',
      'requestContext.requestTimeEpoch',
    ],
    'apigw-http': [
      'headers.x-amzn-trace-id',
      'requestContext.requestId',
      'requestContext.time',
      'requestContext.timeEpoch',
    ],
    'function-url': [
      'headers.x-amzn-trace-id',
      'requestContext.requestId',
      'requestContext.time',
      'requestContext.timeEpoch',
    ],
    alb: ['headers.x-amzn-trace-id'],
    sqs: [
      'Records.0.attributes.ApproximateFirstReceiveTimestamp',
      'Records.0.attributes.SentTimestamp',
      'Records.0.messageId',
      'Records.0.receiptHandle',
    ],
    sns: ['Records.0.Sns.MessageId', 'Records.0.Sns.Signature', 'Records.0.Sns.Timestamp'],
    s3: [
      'Records.0.eventTime',
      'Records.0.responseElements.x-amz-id-2',
      'Records.0.responseElements.x-amz-request-id',
      'Records.0.s3.object.sequencer',
    ],
    eventbridge: ['id', 'time'],
    'dynamodb-stream': [
      'Records.0.dynamodb.ApproximateCreationDateTime',
      'Records.0.dynamodb.SequenceNumber',
      'Records.0.eventID',
    ],
    scheduled: ['id', 'time'],
  };
  /** Every leaf as `path -> value`. */
  const leaves = (value: unknown, path = '', out = new Map<string, unknown>()) => {
    if (value !== null && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) leaves(inner, path ? `${path}.${key}` : key, out);
    else out.set(path, value);
    return out;
  };
  /** The shape of a leaf: its type, and for a string its length and punctuation (letters, digits, + and / as x). */
  const shape = (value: unknown) =>
    typeof value === 'string'
      ? `string ${value.length} ${value.replace(/[0-9A-Za-z+/]+/g, 'x')}`
      : typeof value;

  it.each(EVENT_TYPES.map((type) => [type]))(
    '%s: two consecutive invocations differ in every request-unique field, and only there, with the same shape',
    (type) => {
      const p = programOf(createEvent(type), undefined, '.')!;
      const [a, b] = [1, 2].map((i) => leaves(eventOf(p, i)));
      expect([...a.keys()]).toEqual([...b.keys()]);
      const differing = [...a.keys()].filter((key) => a.get(key) !== b.get(key)).sort();
      expect(differing).toEqual(requestUnique[type]);
      for (const key of a.keys()) expect(shape(b.get(key)), key).toBe(shape(a.get(key)));
    },
  );

  it('a trace header listed in headers and multiValueHeaders carries one value per invocation', () => {
    const p = programOf(createEvent('apigw-rest'), undefined, '.')!;
    for (const e of events(p, 3) as Array<ReturnType<typeof createEvent<'apigw-rest'>>>) {
      expect(e.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect(e.multiValueHeaders['X-Amzn-Trace-Id']).toEqual([e.headers['X-Amzn-Trace-Id']]);
    }
  });

  it('request times follow API Gateway’s format and move on with the epoch field', () => {
    const p = programOf(createEvent('apigw-rest'), undefined, '.')!;
    const [a, b] = events(p, 2) as Array<ReturnType<typeof createEvent<'apigw-rest'>>>;
    expect(a.requestContext.requestTime).toBe('12/Mar/2024:17:04:23 +0000');
    expect(b.requestContext.requestTime).toBe('12/Mar/2024:17:04:24 +0000');
    expect(b.requestContext.requestTimeEpoch - a.requestContext.requestTimeEpoch).toBe(1000);
    const trace = (e: typeof a) => Number.parseInt(String(e.headers['X-Amzn-Trace-Id']).slice(7, 15), 16);
    expect(trace(a)).toBe(a.requestContext.requestTimeEpoch / 1000);
  });

  it('timestamps move on with the invocations', () => {
    const p = programOf(createEvent('apigw-http'), undefined, '.')!;
    const [a, b] = events(p, 2) as Array<{ requestContext: { timeEpoch: number } }>;
    expect(b.requestContext.timeEpoch - a.requestContext.timeEpoch).toBe(1000);
  });
});

describe('--events files', () => {
  it('reads a JSON array, JSON Lines (blank lines skipped) and a folder of .json files in name order', () => {
    expect(readEventsFile('specs/fixtures/events/products-seq.json').map((e) => e.label)).toEqual([
      'specs/fixtures/events/products-seq.json[0]',
      'specs/fixtures/events/products-seq.json[1]',
    ]);
    expect(readEventsFile('specs/fixtures/events/products.jsonl').map((e) => e.label)).toEqual([
      'specs/fixtures/events/products.jsonl line 1',
      'specs/fixtures/events/products.jsonl line 2',
      'specs/fixtures/events/products.jsonl line 4',
    ]);
    expect(readEventsFile('specs/fixtures/events/products').map((e) => e.value)).toEqual([
      { pathParameters: { id: 'p-{{seq}}-b' } },
      { pathParameters: { id: 'p-{{seq}}' } },
    ]);
  });

  it('a bad line is named by its number; a missing file names the fix', () => {
    expect(() => readEventsFile('specs/fixtures/malformed-event.json')).toThrow(/line \d+ is not valid JSON/);
    expect(() => readEventsFile('specs/fixtures/events/missing.jsonl')).toThrow(
      'cannot read events specs/fixtures/events/missing.jsonl: no such file or folder; pass --events with a JSON array, a JSON Lines file or a folder',
    );
  });
});

const cache = 'specs/fixtures/product-cache.ts';
const quick = { invocations: 100 };

describe('a keyed cache is caught with events that vary (expectNoStateLeak)', () => {
  it('passes with one fixed event: the blind spot this closes', async () => {
    const report = await runCheck(cache, { ...quick, event: { pathParameters: { id: 'p-1' } } });
    expect(report.verdict).toBe('pass');
  });

  it.each([
    ['a JSON event file with {{seq}}', 'specs/fixtures/events/products-seq.json'],
    ['a JSON Lines file with {{uuid}}', 'specs/fixtures/events/products.jsonl'],
  ])('from %s: productCache named with its module', async (_, file) => {
    const error = await expectNoStateLeak(cache, { ...quick, events: file }).catch((e) => e);
    expect(error).toBeInstanceOf(StateLeakError);
    expect((error as StateLeakError).report.findings[0]).toMatchObject({
      kind: 'state',
      name: 'productCache',
      module: cache,
      growthPerInvocation: 1,
    });
  });

  it('generated events cost the heap nothing: a handler that keeps nothing passes', async () => {
    const report = await runCheck('specs/fixtures/heap-clean.cjs', {
      events: 'specs/fixtures/events/products.jsonl',
    });
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('pass');
  });
});

const cli = (...args: string[]) => checkCli(args, 50_000);

describe('a keyed cache is caught with events that vary (warmleak check)', () => {
  it.each([
    ['--events JSON with {{seq}}', ['--events', 'specs/fixtures/events/products-seq.json']],
    ['--events JSON Lines with {{uuid}}', ['--events', 'specs/fixtures/events/products.jsonl']],
    ['--events a folder', ['--events', 'specs/fixtures/events/products']],
    [
      "a config's event function under --isolation process",
      ['--config', 'specs/fixtures/config/event-function.config.ts', '--isolation', 'process'],
    ],
  ])('%s: exit 1, productCache named with its module', async (_, args) => {
    const run = await cli(cache, ...args, '--invocations', '100', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings[0]).toMatchObject({
      kind: 'state',
      name: 'productCache',
      module: cache,
    });
  });

  it('--events with a bad line is one line on stderr and exit 2', async () => {
    const run = await cli(cache, '--events', 'specs/fixtures/malformed-event.json');
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      /^warmleak: specs\/fixtures\/malformed-event.json line \d+ is not valid JSON/,
    );
  });
});
