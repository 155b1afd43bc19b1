// The out-of-memory and /tmp forecasts, checked against arithmetic done by hand.
import { describe, expect, it } from 'vitest';
import {
  forecastLimit,
  forecastOutOfMemory,
  forecastTmpFull,
  formatDuration,
} from '../harness/analysis/forecast.js';

const MIB = 1024 * 1024;

describe('forecastOutOfMemory', () => {
  it('counts invocations and hours until 128 MB at 10 req/s', () => {
    // (128 - 20) MiB / 1,024 B = 110,592 invocations; / 10 req/s = 11,059.2 s = 3.07 h.
    const forecast = forecastOutOfMemory({ bytesPerInvocation: 1024, currentBytes: 20 * MIB });
    expect(forecast.invocationsUntilLimit).toBe(110_592);
    expect(forecast.secondsUntilLimit).toBeCloseTo(11_059.2, 6);
    expect(forecast.withinContainerLife).toBe(false);
    expect(forecast.message).toBe(
      'At 10 req/s this container reaches 128 MB after ~3.1 h (110,592 invocations); containers are commonly recycled sooner (~8,300 invocations / ~69 min), which hides the leak until traffic per container or the data grows.',
    );
  });

  it('warns when the limit comes within a container life', () => {
    // (256 - 56) MiB / 64 KiB = 3,200 invocations; / 2 req/s = 1,600 s = ~27 min.
    const forecast = forecastOutOfMemory({
      bytesPerInvocation: 64 * 1024,
      currentBytes: 56 * MIB,
      memorySizeMB: 256,
      requestsPerSecond: 2,
    });
    expect(forecast.invocationsUntilLimit).toBe(3200);
    expect(forecast.secondsUntilLimit).toBe(1600);
    expect(forecast.withinContainerLife).toBe(true);
    expect(forecast.message).toBe(
      'At 2 req/s this container reaches 256 MB after ~27 min (3,200 invocations); sooner than containers commonly live (~8,300 invocations / ~69 min), so expect failures in production.',
    );
  });

  it('says never when nothing grows', () => {
    const forecast = forecastOutOfMemory({ bytesPerInvocation: 0, currentBytes: 20 * MIB });
    expect(forecast.invocationsUntilLimit).toBe(Number.POSITIVE_INFINITY);
    expect(forecast.message).toBe('This container does not grow towards 128 MB.');
  });
});

describe('forecastTmpFull', () => {
  it('uses 512 MB of ephemeral storage by default', () => {
    // (512 - 12) MiB / 5 MiB = 100 invocations; / 10 req/s = 10 s.
    const forecast = forecastTmpFull({ bytesPerInvocation: 5 * MIB, currentBytes: 12 * MIB });
    expect(forecast.invocationsUntilLimit).toBe(100);
    expect(forecast.secondsUntilLimit).toBe(10);
    expect(forecast.message).toMatch(/^At 10 req\/s \/tmp reaches 512 MB after ~10 s \(100 invocations\)/);
  });
});

describe('forecastLimit', () => {
  it('is generic over the limit and reports an already exceeded one', () => {
    expect(
      forecastLimit({ growthPerInvocation: 1, current: 10, limit: 5, limitLabel: '5 files' }).message,
    ).toBe('This container is already at 5 files.');
  });

  it('formats durations in s, min, h and days', () => {
    expect(formatDuration(42)).toBe('~42 s');
    expect(formatDuration(1020)).toBe('~17 min');
    expect(formatDuration(8640)).toBe('~2.4 h');
    expect(formatDuration(3 * 86_400)).toBe('~3.0 days');
  });
});
