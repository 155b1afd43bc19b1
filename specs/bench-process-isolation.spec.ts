// benchWarmCold with isolation 'process': a fresh child per cold sample, warm invocations in one more child; shape,
// arithmetic and clean-up only, never timings.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { benchWarmCold, formatWarmCold, type WarmColdResult } from '../harness/bench/warm-cold.js';
import { HandlerLoadError, InvocationError, UsageError } from '../harness/errors.js';
import { apiGatewayHttpEvent } from '../harness/events/index.js';
import { readProcessTable } from '../harness/probes/processes.js';

const FIXTURE = 'specs/fixtures/bench-order-total.ts';
const event = apiGatewayHttpEvent({ body: '{"country":"DE","items":[{"price":10,"qty":3}]}' });

/** Children of this process still alive (not zombies): the bench must leave none behind. */
function liveChildren(): number[] {
  return [...readProcessTable().values()]
    .filter((entry) => entry.ppid === process.pid && entry.state !== 'Z')
    .map((entry) => entry.pid);
}

describe('benchWarmCold with a process per environment', async () => {
  const before = liveChildren();
  const result = await benchWarmCold(FIXTURE, {
    event,
    isolation: 'process',
    coldSamples: 2,
    coldWarmup: 0,
    warmTimeMs: 0,
    warmIterations: 20,
    warmupIterations: 2,
    memorySizesMB: [128, 512],
    keepSamples: true,
  });

  it('counts one cold sample per child and times warm invocations inside another', () => {
    expect(result.isolation).toBe('process');
    expect(result.handler).toBe('specs/fixtures/bench-order-total.ts#handler');
    expect(result.runtime).toMatch(/^nodejs\d+\.x$/);
    expect(result.cold.initDurationMs.sampleCount).toBe(2);
    expect(result.cold.totalMs.sampleCount).toBe(2);
    expect(result.cold.wallClockMs?.sampleCount).toBe(2);
    expect(result.cold.processStartMs?.sampleCount).toBe(2);
    expect(result.warm.sampleCount).toBeGreaterThanOrEqual(20);
    expect(typeof result.warm.rme).toBe('number');
    expect(result.errors).toEqual({ cold: 0, warm: 0 });
  });

  it('splits the wall-clock cold start into process start, Init Duration and first invocation', () => {
    const samples = result.samples as NonNullable<WarmColdResult['samples']>;
    expect(samples.initDurationMs).toHaveLength(2);
    expect(samples.warm).toHaveLength(result.warm.sampleCount);
    const wall = result.cold.wallClockMs as NonNullable<WarmColdResult['cold']['wallClockMs']>;
    const start = result.cold.processStartMs as NonNullable<WarmColdResult['cold']['processStartMs']>;
    // Each process start is its wall clock minus what the child measured, so the means add up.
    expect(start.mean).toBeCloseTo(
      wall.mean - result.cold.initDurationMs.mean - result.cold.firstInvocationMs.mean,
      6,
    );
    expect(result.coldWarmRatio).toBeCloseTo(result.cold.totalMs.mean / result.warm.mean, 9);
    expect(result.cost.map((c) => c.memoryMB)).toEqual([128, 512]);
  });

  it('prints the wall clock and process start rows', () => {
    const text = formatWarmCold(result);
    expect(text).toContain('(nodejs');
    expect(text).toContain(', a process per environment)');
    expect(text).toMatch(/cold wall clock\s+[\d.]+ ms/);
    expect(text).toMatch(/process start\s+[\d.]+ ms/);
  });

  it('leaves no child process behind', () => {
    expect(liveChildren().filter((pid) => !before.includes(pid))).toEqual([]);
  });
});

describe('process mode errors', () => {
  it('needs a handler file and a plain event', async () => {
    await expect(benchWarmCold(async () => ({}), { isolation: 'process' })).rejects.toThrow(
      "isolation 'process' needs a handler file",
    );
    await expect(benchWarmCold(FIXTURE, { isolation: 'process', event: () => ({}) })).rejects.toThrow(
      UsageError,
    );
  });

  it("rethrows the child's load error as a HandlerLoadError", async () => {
    const failure = benchWarmCold('specs/fixtures/no-such-handler.ts', {
      isolation: 'process',
      coldSamples: 1,
      coldWarmup: 0,
    });
    await expect(failure).rejects.toThrow(HandlerLoadError);
  });

  it('names a child that exited mid-run, and where', async () => {
    // The fixture calls process.exit(3) on its third invocation: the cold samples survive, the warm child does not.
    const failure = await benchWarmCold('specs/fixtures/exits-on-third-call.cjs', {
      isolation: 'process',
      coldSamples: 1,
      coldWarmup: 0,
      warmupIterations: 0,
      warmTimeMs: 0,
      warmIterations: 5,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvocationError);
    expect((failure as Error).message).toContain(
      "the environment's process exited with status 3 during its warm invocations",
    );
  });
});

describe('warmleak bench --isolation process --json', () => {
  it('prints one JSON object with the wall-clock cold start', async () => {
    const { stdout } = await promisify(execFile)(
      'npx',
      [
        'tsx',
        'harness/cli/main.ts',
        'bench',
        FIXTURE,
        '--isolation',
        'process',
        '--cold-samples',
        '2',
        '--warm-time',
        '20',
        '--memory',
        '128',
        '--json',
      ],
      { timeout: 60_000 },
    );
    const result = JSON.parse(stdout) as WarmColdResult;
    expect(result.isolation).toBe('process');
    expect(result.cold.wallClockMs?.sampleCount).toBe(2);
    expect(result.cost.map((c) => c.memoryMB)).toEqual([128]);
  });

  it('rejects an unknown isolation mode with exit 2', async () => {
    const failure = await promisify(execFile)(
      'npx',
      ['tsx', 'harness/cli/main.ts', 'bench', FIXTURE, '--isolation', 'thread'],
      { timeout: 30_000 },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain(
      'warmleak: --isolation "thread" must be inline or process',
    );
  });
});
