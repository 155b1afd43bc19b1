// Billed duration and cost per million invocations, checked against arithmetic done by hand.
import { describe, expect, it } from 'vitest';
import {
  billedDurationMs,
  coldBilledDurationMs,
  costPerMillion,
  costTable,
  X86_US_EAST_1_PRICING,
} from '../harness/bench/cost.js';

describe('billedDurationMs', () => {
  it('rounds up to the next whole millisecond, as REPORT lines do', () => {
    expect(billedDurationMs(12.01)).toBe(13);
    expect(billedDurationMs(12)).toBe(12);
    expect(billedDurationMs(0.3)).toBe(1);
    expect(billedDurationMs(1500.0001)).toBe(1501);
  });

  it('bills at least 1 ms and ignores floating-point noise', () => {
    expect(billedDurationMs(0)).toBe(1);
    expect(billedDurationMs(0.1 + 0.2 + 11.7)).toBe(12);
  });

  it('rejects a negative or non-finite duration', () => {
    expect(() => billedDurationMs(-1)).toThrow(
      'duration must be a finite number of milliseconds >= 0, got -1',
    );
    expect(() => billedDurationMs(Number.NaN)).toThrow(RangeError);
  });

  it('bills Init Duration + Duration on a cold start, rounded once', () => {
    // 180.4 + 20.3 = 200.7 -> 201, not 181 + 21 = 202.
    expect(coldBilledDurationMs(180.4, 20.3)).toBe(201);
    expect(coldBilledDurationMs(180.4, 20.3, false)).toBe(21);
  });
});

describe('costPerMillion', () => {
  it('uses the x86 us-east-1 prices', () => {
    expect(X86_US_EAST_1_PRICING.pricePerGbSecond).toBe(0.0000166667);
    expect(X86_US_EAST_1_PRICING.pricePerRequest * 1_000_000).toBeCloseTo(0.2, 12);
  });

  it('prices 100 ms at 128 MB', () => {
    // 0.125 GB x 0.1 s = 0.0125 GB-s; x 1e6 = 12,500 GB-s; x $0.0000166667 = $0.20833375; + $0.20 requests.
    const cost = costPerMillion(100, 128);
    expect(cost.billedDurationMs).toBe(100);
    expect(cost.gbSecondsPerInvocation).toBeCloseTo(0.0125, 12);
    expect(cost.computeCostPerMillion).toBeCloseTo(0.20833375, 9);
    expect(cost.requestCostPerMillion).toBeCloseTo(0.2, 12);
    expect(cost.costPerMillion).toBeCloseTo(0.40833375, 9);
  });

  it('bills 2.3 ms as 3 ms at 1024 MB', () => {
    // 1 GB x 0.003 s = 0.003 GB-s; x 1e6 = 3,000 GB-s; x $0.0000166667 = $0.0500001.
    const cost = costPerMillion(2.3, 1024);
    expect(cost.billedDurationMs).toBe(3);
    expect(cost.computeCostPerMillion).toBeCloseTo(0.0500001, 9);
    expect(cost.costPerMillion).toBeCloseTo(0.2500001, 9);
  });

  it('takes other prices as an option', () => {
    // Arm: 0.5 GB x 1 s x 1e6 = 500,000 GB-s x $0.0000133334 = $6.6667; requests free in this made-up price list.
    const cost = costPerMillion(1000, 512, { pricePerGbSecond: 0.0000133334, pricePerRequest: 0 });
    expect(cost.computeCostPerMillion).toBeCloseTo(6.6667, 9);
    expect(cost.costPerMillion).toBeCloseTo(6.6667, 9);
  });

  it('rejects a memory size that is not positive', () => {
    expect(() => costPerMillion(10, 0)).toThrow('memory must be a positive number of MB, got 0');
  });
});

describe('costTable', () => {
  it('gives one row per memory size, in order, proportional to memory', () => {
    const rows = costTable(10, [128, 512, 1024]);
    expect(rows.map((r) => r.memoryMB)).toEqual([128, 512, 1024]);
    expect(rows.map((r) => r.billedDurationMs)).toEqual([10, 10, 10]);
    // 128 MB: 0.125 x 0.01 x 1e6 x 0.0000166667 = $0.020833375; 512 MB is 4x, 1024 MB is 8x.
    expect(rows[0].computeCostPerMillion).toBeCloseTo(0.020833375, 9);
    expect(rows[1].computeCostPerMillion).toBeCloseTo(0.0833335, 9);
    expect(rows[2].computeCostPerMillion).toBeCloseTo(0.166667, 9);
  });
});
