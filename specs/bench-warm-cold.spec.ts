// benchWarmCold: the result's shape and its arithmetic (ratio, billed duration, cost), never its timings.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { costPerMillion, X86_US_EAST_1_PRICING } from '../harness/bench/cost.js';
import {
  benchWarmCold,
  describeSamples,
  formatWarmCold,
  priceAt,
  type WarmColdResult,
} from '../harness/bench/warm-cold.js';
import { UsageError } from '../harness/errors.js';
import { apiGatewayHttpEvent } from '../harness/events/index.js';

const FIXTURE = 'specs/fixtures/bench-order-total.ts';
const event = apiGatewayHttpEvent({ body: '{"country":"DE","items":[{"price":10,"qty":3}]}' });

describe('benchWarmCold on a handler file', async () => {
  const result = await benchWarmCold(FIXTURE, {
    event,
    coldSamples: 3,
    warmTimeMs: 0,
    warmIterations: 50,
    warmupIterations: 5,
    memorySizesMB: [128, 1024],
  });

  it('names the handler and counts the samples it asked for', () => {
    expect(result.handler).toBe('specs/fixtures/bench-order-total.ts#handler');
    expect(result.cold.initDurationMs.sampleCount).toBe(3);
    expect(result.cold.firstInvocationMs.sampleCount).toBe(3);
    expect(result.cold.totalMs.sampleCount).toBe(3);
    expect(result.warm.sampleCount).toBeGreaterThanOrEqual(50);
    expect(result.errors).toEqual({ cold: 0, warm: 0 });
    expect(result.isolation).toBe('inline');
    expect(result.cold.wallClockMs).toBeUndefined();
    expect(result.samples).toBeUndefined();
  });

  it("reports tinybench's margin of error for the timed phases only", () => {
    expect(typeof result.warm.rme).toBe('number');
    expect(typeof result.cold.totalMs.moe).toBe('number');
    expect(result.cold.initDurationMs.rme).toBeNull();
  });

  it('computes the cold/warm ratio from the means', () => {
    expect(result.coldWarmRatio).toBeCloseTo(result.cold.totalMs.mean / result.warm.mean, 9);
  });

  it('prices each memory size from the measured means', () => {
    expect(result.cost.map((c) => c.memoryMB)).toEqual([128, 1024]);
    for (const cost of result.cost) {
      const warm = costPerMillion(result.warm.mean, cost.memoryMB);
      expect(cost.warm).toEqual({
        billedDurationMs: warm.billedDurationMs,
        costPerMillion: warm.costPerMillion,
      });
      expect(cost.cold.billedDurationMs).toBe(
        Math.max(1, Math.ceil(result.cold.initDurationMs.mean + result.cold.firstInvocationMs.mean - 1e-9)),
      );
    }
    expect(result.pricing).toEqual(X86_US_EAST_1_PRICING);
  });

  it('serialises to JSON without losing a field', () => {
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe('benchWarmCold on a function', () => {
  it('times an already-imported handler', async () => {
    const result = await benchWarmCold(
      async function quote() {
        return { statusCode: 200 };
      },
      { coldSamples: 2, coldWarmup: 0, warmTimeMs: 0, warmIterations: 10, warmupIterations: 0 },
    );
    expect(result.handler).toBe('quote');
    expect(result.warm.sampleCount).toBeGreaterThanOrEqual(10);
    expect(result.cost.map((c) => c.memoryMB)).toEqual([128, 512, 1024]);
  });

  it('counts invocations that return a Lambda error', async () => {
    const result = await benchWarmCold(
      async () => {
        throw new TypeError('price missing');
      },
      { coldSamples: 2, coldWarmup: 0, warmTimeMs: 0, warmIterations: 5, warmupIterations: 0 },
    );
    expect(result.errors.cold).toBe(2);
    expect(result.errors.warm).toBeGreaterThanOrEqual(5);
  });

  it('rejects memory sizes Lambda does not offer', async () => {
    await expect(benchWarmCold(FIXTURE, { memorySizesMB: [64] })).rejects.toThrow(UsageError);
    await expect(benchWarmCold(FIXTURE, { memorySizesMB: [64] })).rejects.toThrow(
      'memory sizes must be between 128 and 10240 MB, got 64',
    );
  });
});

describe('bench arithmetic', () => {
  it('bills a cold start as Init Duration + first invocation, rounded up once', () => {
    // 180.4 + 20.3 = 200.7 -> 201 ms at 512 MB: 0.5 GB x 0.201 s x 1e6 x $0.0000166667 = $1.675003 + $0.20.
    const cost = priceAt(512, 2.2, 180.4, 20.3, true, X86_US_EAST_1_PRICING);
    expect(cost.cold.billedDurationMs).toBe(201);
    expect(cost.cold.costPerMillion).toBeCloseTo(1.87500335, 6);
    // Warm 2.2 ms -> 3 ms: 0.5 x 0.003 x 1e6 x 0.0000166667 = $0.02500005 + $0.20.
    expect(cost.warm.billedDurationMs).toBe(3);
    expect(cost.warm.costPerMillion).toBeCloseTo(0.22500005, 8);
    expect(priceAt(512, 2.2, 180.4, 20.3, false, X86_US_EAST_1_PRICING).cold.billedDurationMs).toBe(21);
  });

  it('summarises samples with nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(describeSamples(samples)).toEqual({
      mean: 50.5,
      p50: 50,
      p99: 99,
      min: 1,
      max: 100,
      moe: null,
      rme: null,
      sampleCount: 100,
    });
  });
});

describe('formatWarmCold', () => {
  const timing = (mean: number, rme: number | null, sampleCount: number) => ({
    mean,
    p50: mean,
    p99: mean * 2,
    min: mean / 2,
    max: mean * 3,
    moe: rme === null ? null : (mean * rme) / 100,
    rme,
    sampleCount,
  });
  const result: WarmColdResult = {
    handler: 'src/orders.ts#handler',
    runtime: 'nodejs20.x',
    node: 'v20.20.2',
    isolation: 'inline',
    cold: {
      initDurationMs: timing(180, null, 10),
      firstInvocationMs: timing(20, null, 10),
      totalMs: timing(200, 3.1, 10),
    },
    warm: timing(2, 1.2, 9640),
    coldWarmRatio: 100,
    errors: { cold: 0, warm: 0 },
    cost: [priceAt(128, 2, 180, 20, true, X86_US_EAST_1_PRICING)],
    pricing: X86_US_EAST_1_PRICING,
    notes: ['Durations are measured on this machine.'],
  };

  it('prints timings, the ratio and a cost row per memory size', () => {
    const text = formatWarmCold(result);
    expect(text).toContain('warmleak bench src/orders.ts#handler (nodejs20.x on Node v20.20.2)');
    expect(text).toMatch(/Init Duration\s+180 ms\s+180 ms\s+360 ms\s+10\n/);
    expect(text).toMatch(/warm\s+2\.00 ms\s+2\.00 ms\s+4\.00 ms\s+±1\.2%\s+9,640\n/);
    expect(text).toContain('cold / warm: 100.0x');
    // 128 MB: warm 2 ms -> $0.2042; cold 200 ms -> 0.125 x 0.2 x 1e6 x 0.0000166667 + 0.2 = $0.6167.
    expect(text).toMatch(/128 MB\s+2 ms\s+\$0\.2042\s+200 ms\s+\$0\.6167\n/);
    expect(text).toContain('Note: Durations are measured on this machine.');
  });
});

describe('warmleak bench --json', () => {
  it('prints one JSON object with timings and costs', async () => {
    const { stdout } = await promisify(execFile)(
      'npx',
      [
        'tsx',
        'harness/cli/main.ts',
        'bench',
        FIXTURE,
        '--memory',
        '128,512',
        '--cold-samples',
        '2',
        '--warm-time',
        '50',
        '--event-type',
        'apigw-http',
        '--json',
      ],
      { timeout: 60_000 },
    );
    const result = JSON.parse(stdout) as WarmColdResult;
    expect(result.handler).toBe('specs/fixtures/bench-order-total.ts#handler');
    expect(result.cold.initDurationMs.sampleCount).toBe(2);
    expect(result.cost.map((c) => c.memoryMB)).toEqual([128, 512]);
    expect(Object.keys(result)).toEqual([
      'handler',
      'runtime',
      'node',
      'isolation',
      'cold',
      'warm',
      'coldWarmRatio',
      'errors',
      'cost',
      'pricing',
      'notes',
    ]);
  });
});
