// `simulate --handler`: the pool model fed with a handler's measured warm durations and cold-start cost.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  type HandlerSimulationResult,
  quantiles,
  simulateHandler,
} from '../harness/bench/simulate-handler.js';

const FIXTURE = 'specs/fixtures/bench-inventory-lookup.ts';
const run = promisify(execFile);
const cli = ['tsx', 'harness/cli/main.ts', 'simulate'];
const short = { coldSamples: 2, coldWarmup: 0, warmTimeMs: 0, warmIterations: 30, warmupIterations: 2 };

/** What must hold between the measured values and the settings the model ran with. */
function checkMeasuredSettings(result: HandlerSimulationResult): void {
  const measured = result.handlerDuration;
  expect(measured.source).toBe('measured');
  expect(measured.handler).toBe('specs/fixtures/bench-inventory-lookup.ts#handler');
  expect(Array.isArray(result.settings.handlerMs)).toBe(true);
  expect(result.settings.handlerMs).toHaveLength(measured.handlerMsSamples);
  expect(measured.handlerMsSamples).toBe(Math.min(measured.warmSamples, 1000));
  expect(measured.warmSamples).toBe(measured.warm.sampleCount);
  expect(measured.measuredInitMs).toBeCloseTo(
    measured.initDurationMs.mean + Math.max(0, measured.firstInvocationMs.mean - measured.warm.mean),
    9,
  );
  expect(result.settings.initMs).toBe(measured.initMsUsed);
  expect(measured.errors).toEqual({ cold: 0, warm: 0 });
}

describe('simulateHandler', () => {
  it('runs the model on the measured warm durations and cold-start cost', async () => {
    const result = await simulateHandler(FIXTURE, { rps: 5, requests: 3_000 }, short);
    checkMeasuredSettings(result);
    expect(result.handlerDuration.initMsUsed).toBe(result.handlerDuration.measuredInitMs);
    expect(result.requests).toBe(3_000);
    expect(result.coldStarts).toBe(result.environmentsCreated);
    expect(result.invocationsPerEnvironment.mean * result.environmentsCreated).toBeCloseTo(3_000, 6);
  });

  it('keeps a given initMs over the measured one, and measures in a process per environment when asked', async () => {
    const result = await simulateHandler(
      FIXTURE,
      { rps: 5, requests: 100, initMs: 250 },
      {
        ...short,
        isolation: 'process',
      },
    );
    checkMeasuredSettings(result);
    expect(result.handlerDuration.isolation).toBe('process');
    expect(result.handlerDuration.initMsUsed).toBe(250);
    expect(result.settings.initMs).toBe(250);
  });
});

describe('quantiles', () => {
  it('keeps every sample, sorted, up to the limit', () => {
    expect(quantiles([3, 1, 2], 5)).toEqual([1, 2, 3]);
  });

  it('takes the midpoint of each equal slice beyond it', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 99 - i);
    // Slice i of 4 covers 25 samples; its midpoint rank is floor((i + 0.5) x 25) = 12, 37, 62, 87.
    expect(quantiles(samples, 4)).toEqual([12, 37, 62, 87]);
  });
});

describe('warmleak simulate --handler --json', () => {
  it('prints one JSON object whose handler durations are the measured ones', async () => {
    const { stdout } = await run(
      'npx',
      [
        ...cli,
        '--rps',
        '10',
        '--duration',
        '10m',
        '--handler',
        FIXTURE,
        '--event-type',
        'apigw-http',
        '--json',
      ],
      { timeout: 60_000 },
    );
    const result = JSON.parse(stdout) as HandlerSimulationResult;
    checkMeasuredSettings(result);
    expect(result.requests).toBe(6_000);
    expect(result.settings.rps).toBe(10);
  });

  it('names the measured values in the text report', async () => {
    const { stdout } = await run('npx', [...cli, '--rps', '10', '--requests', '500', '--handler', FIXTURE], {
      timeout: 60_000,
    });
    expect(stdout).toContain('handler specs/fixtures/bench-inventory-lookup.ts#handler (measured)');
    expect(stdout).toMatch(
      /Measured \(inline, nodejs\d+\.x\): warm mean [\d.]+ ms, p50 [\d.]+ ms, p99 [\d.]+ ms over [\d,]+ invocations/,
    );
    expect(stdout).toMatch(
      /used: [\d,]+ warm-duration quantiles drawn at random per request; cold start adds [\d.]+ ms \(Init Duration \+ first invocation over warm\)/,
    );
  });

  it('says the duration was given when --handler-ms is used', async () => {
    const { stdout } = await run(
      'npx',
      [...cli, '--rps', '10', '--requests', '100', '--handler-ms', '500', '--json'],
      {
        timeout: 30_000,
      },
    );
    expect(JSON.parse(stdout).handlerDuration).toEqual({ source: 'given' });
  });

  it('refuses --handler together with --handler-ms, and --event without --handler (exit 2)', async () => {
    const both = await run(
      'npx',
      [...cli, '--rps', '10', '--requests', '10', '--handler', FIXTURE, '--handler-ms', '5'],
      {
        timeout: 30_000,
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(both).toMatchObject({ code: 2 });
    expect((both as { stderr: string }).stderr).toContain(
      'warmleak: pass either --handler FILE (measured durations) or --handler-ms MS, not both',
    );
    const orphan = await run(
      'npx',
      [...cli, '--rps', '10', '--requests', '10', '--handler-ms', '5', '--event-type', 'sqs'],
      {
        timeout: 30_000,
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(orphan).toMatchObject({ code: 2 });
    expect((orphan as { stderr: string }).stderr).toContain('warmleak: --event-type needs --handler FILE');
  });
});
