// What Lambda bills for a duration: billed milliseconds and the cost of a million invocations at each memory size.

/** Lambda's prices, per GB-second of billed duration and per request. */
export interface LambdaPricing {
  pricePerGbSecond: number;
  pricePerRequest: number;
}

/**
 * x86, us-east-1, first tier (up to 6 billion GB-seconds a month), excluding the free tier:
 * $0.0000166667 per GB-second and $0.20 per million requests, from https://aws.amazon.com/lambda/pricing/
 * (also https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html), as of 2025.
 * Arm is $0.0000133334 per GB-second; pass it in `pricing` for arm64 functions.
 */
export const X86_US_EAST_1_PRICING: Readonly<LambdaPricing> = Object.freeze({
  pricePerGbSecond: 0.0000166667,
  pricePerRequest: 0.2 / 1_000_000,
});

/** The memory sizes `warmleak bench` reports when none are given. */
export const DEFAULT_MEMORY_SIZES_MB: readonly number[] = Object.freeze([128, 512, 1024]);

/**
 * Billed Duration as in Lambda's REPORT line: rounded up to the next whole millisecond, at least 1 ms.
 * The small tolerance stops 12.000000001 (floating-point noise from summing timings) billing as 13 ms.
 */
export function billedDurationMs(durationMs: number): number {
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`duration must be a finite number of milliseconds >= 0, got ${durationMs}`);
  }
  return Math.max(1, Math.ceil(durationMs - 1e-9));
}

export interface InvocationCost {
  memoryMB: number;
  /** The duration Lambda bills per invocation. */
  billedDurationMs: number;
  /** memory (GB, 1024 MB each) x billed seconds, per invocation. */
  gbSecondsPerInvocation: number;
  /** US dollars for one million invocations: compute + requests. */
  costPerMillion: number;
  computeCostPerMillion: number;
  requestCostPerMillion: number;
}

/** The cost of one million invocations that each run `durationMs` at `memoryMB`. */
export function costPerMillion(
  durationMs: number,
  memoryMB: number,
  pricing: LambdaPricing = X86_US_EAST_1_PRICING,
): InvocationCost {
  if (!Number.isFinite(memoryMB) || memoryMB <= 0) {
    throw new RangeError(`memory must be a positive number of MB, got ${memoryMB}`);
  }
  const billed = billedDurationMs(durationMs);
  const gbSecondsPerInvocation = (memoryMB / 1024) * (billed / 1000);
  const computeCostPerMillion = gbSecondsPerInvocation * pricing.pricePerGbSecond * 1_000_000;
  const requestCostPerMillion = pricing.pricePerRequest * 1_000_000;
  return {
    memoryMB,
    billedDurationMs: billed,
    gbSecondsPerInvocation,
    costPerMillion: computeCostPerMillion + requestCostPerMillion,
    computeCostPerMillion,
    requestCostPerMillion,
  };
}

/** `costPerMillion` at each memory size, in the order given. */
export function costTable(
  durationMs: number,
  memorySizesMB: readonly number[] = DEFAULT_MEMORY_SIZES_MB,
  pricing: LambdaPricing = X86_US_EAST_1_PRICING,
): InvocationCost[] {
  return memorySizesMB.map((memoryMB) => costPerMillion(durationMs, memoryMB, pricing));
}

/**
 * Billed Duration of a cold invocation. Since 1 August 2025 Lambda bills the INIT phase of on-demand
 * ZIP functions on managed runtimes too (AWS Compute Blog, "AWS Lambda standardizes billing for INIT
 * Phase"), so a cold start bills Init Duration + Duration, rounded up once.
 */
export function coldBilledDurationMs(initDurationMs: number, durationMs: number, billInit = true): number {
  return billedDurationMs(billInit ? initDurationMs + durationMs : durationMs);
}
