// Heavy logging is not a leak: what warmleak keeps of a handler's log lines is one buffer of fixed size (Lambda's
// Telemetry API defaults, 262,144 bytes and 10,000 records), and a transcript that lost lines says how many, as
// Lambda's `platform.logsDropped` does. About 70 s on two busy cores (the CLI check of 2,000 lines per call dominates).
import { afterEach, describe, expect, it } from 'vitest';
import { Environment } from '../harness/runtime/environment.js';
import { LOG_BUFFER_BYTES, LOG_BUFFER_RECORDS, LogBuffer } from '../harness/runtime/logs.js';
import type { Report } from '../harness/types.js';
import { checkCli } from './fixtures/check-cli.js';

const fx = (name: string) => `specs/fixtures/fidelity/${name}`;
let env: Environment | undefined;
afterEach(async () => {
  await env?.dispose();
  env = undefined;
});

const droppedRecord = (line: string) => {
  const [, , kind, record] = line.split('\t');
  expect(kind).toBe('platform.logsDropped');
  return JSON.parse(record) as { droppedRecords: number; droppedBytes: number; reason: string };
};

describe('the log buffer', () => {
  it('holds the latest lines within its bytes and records, and counts what it dropped', () => {
    const log = new LogBuffer(1000, 8);
    const from = log.mark();
    for (let n = 0; n < 20; n++) log.append(`line ${n} ${'x'.repeat(90)}`);
    const read = log.read(from, log.mark());
    // 98-100 bytes a line: 10 fit the bytes, 8 the records.
    expect(read.lines.map((line) => line.split(' ')[1])).toEqual([
      '12',
      '13',
      '14',
      '15',
      '16',
      '17',
      '18',
      '19',
    ]);
    expect(read.droppedRecords).toBe(12);
    expect(read.droppedBytes).toBe(10 * 97 + 2 * 98);
    expect(log.droppedBetween(from, log.mark())).toBe(12);
  });

  it('keeps multi-byte text intact across the wrap, and cuts a line longer than the whole buffer', () => {
    const log = new LogBuffer(64, 4);
    log.append('a'.repeat(50));
    const from = log.mark();
    log.append('grüße 🌍 ok'); // 15 bytes: does not fit the 14 left, starts over at 0
    expect(log.read(from, log.mark())).toEqual({
      lines: ['grüße 🌍 ok'],
      droppedRecords: 0,
      droppedBytes: 0,
    });
    log.append('é'.repeat(100));
    const read = log.read(from, log.mark());
    expect(read.lines).toEqual(['é'.repeat(32)]);
    expect(read.droppedRecords).toBe(1);
  });
});

describe('an invocation that logs more than the buffer holds', () => {
  it('keeps its last lines, with a platform.logsDropped line after START naming the count', async () => {
    env = await Environment.create(async () => {
      for (let row = 0; row < 20_000; row++) console.log({ message: 'imported row', row });
      return 'ok';
    });
    const result = await env.invoke({});
    const lines = result.logLines;
    expect(lines[0]).toMatch(/^START RequestId: /);
    const record = droppedRecord(lines[1]);
    const held = lines.slice(2, -2);
    expect(record.droppedRecords + held.length).toBe(20_000);
    expect(held.length).toBeLessThanOrEqual(LOG_BUFFER_RECORDS);
    expect(Buffer.byteLength(held.join(''))).toBeLessThanOrEqual(LOG_BUFFER_BYTES);
    expect(held.at(-1)).toMatch(/\tINFO\t\{ message: 'imported row', row: 19999 \}$/);
    expect(record.reason).toContain(`${LOG_BUFFER_RECORDS} log lines or ${LOG_BUFFER_BYTES} bytes`);
    expect(lines.at(-2)).toMatch(/^END RequestId: /);
  });

  it('an invocation that logs a few lines has no such line, and its error line is kept', async () => {
    env = await Environment.create(async () => {
      console.log('one');
      throw new Error('order rejected');
    });
    const lines = (await env.invoke({})).logLines;
    expect(lines.some((line) => line.includes('platform.logsDropped'))).toBe(false);
    expect(lines.slice(1, -2).map((line) => line.split('\t')[2])).toEqual(['INFO', 'ERROR']);
    expect(lines[2]).toContain('"errorMessage":"order rejected"');
  });
});

describe('npx warmleak check on a handler logging 2,000 lines per call at 128 MB', () => {
  const run = async (name: string) => {
    const { code, stdout, stderr } = await checkCli([fx(name), '--memory', '128', '--json'], 150_000);
    expect(stderr).not.toMatch(/OutOfMemory|heap out of memory/);
    return { code, report: JSON.parse(stdout) as Report };
  };

  it('passes at 128 MB, the heap verdict included: no out-of-memory, no failed invocation, the dropped lines counted', async () => {
    const { code, report } = await run('import-log-rows.ts');
    expect(report.findings.map((f) => f.message)).toEqual([]);
    expect(code).toBe(0);
    // Every probe ran, the heap's included: its verdict is part of the pass.
    expect(report.checked).toContain('heap');
    expect(report.errors?.count ?? 0).toBe(0);
    const note = report.notes?.find((n) => n.kind === 'logs-dropped');
    expect(note).toMatchObject({ kind: 'logs-dropped', invocations: report.invocations });
    // Each call logs 2,000 lines of ~160 bytes (320 KB): the first few hundred of each do not fit.
    const perInvocation = (note as { droppedRecords: number }).droppedRecords / report.invocations;
    expect(perInvocation).toBeGreaterThan(100);
    expect(perInvocation).toBeLessThan(2000);
    expect(report.checked?.some((c) => c.startsWith('platform.logsDropped:'))).toBe(true);
  }, 160_000);

  it('the twin keeping one summary per call in a module array is named', async () => {
    const { code, report } = await run('import-log-rows-kept.ts');
    expect(code).toBe(1);
    expect(report.findings.map((f) => `${f.kind}:${f.name}`)).toContain('state:recentSummaries');
  }, 160_000);
});
