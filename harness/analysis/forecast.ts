// Forecasts: how many invocations, and how long at a request rate, until steady growth reaches a limit
// (the function's memory size for the heap, Lambda's ephemeral storage for /tmp).
import type { HeapReport, MemoryForecast } from '../types.js';

/** Seed 002: containers served ~8,333 requests on average over ~69.4 minutes before being recycled. */
export const OBSERVED_CONTAINER_LIFE = { invocations: 8_300, minutes: 69 } as const;

export const MIB = 1024 * 1024;
/** Lambda's smallest memory size. */
export const DEFAULT_MEMORY_SIZE_MB = 128;
/** Lambda's default ephemeral storage (/tmp). */
export const DEFAULT_EPHEMERAL_STORAGE_MB = 512;
export const DEFAULT_REQUESTS_PER_SECOND = 10;

export interface LimitForecastInput {
  /** Steady growth per invocation, in the limit's unit (bytes). */
  growthPerInvocation: number;
  /** Where the series stands now. */
  current: number;
  limit: number;
  requestsPerSecond?: number;
  /** What reaches the limit, for the sentence: `this container`, `/tmp`. */
  subject?: string;
  /** The limit in words: `128 MB`, `512 MB of /tmp`. */
  limitLabel?: string;
}

export interface LimitForecast {
  /** Invocations from now until the limit; Infinity when nothing grows, 0 when already over. */
  invocationsUntilLimit: number;
  /** At `requestsPerSecond`; Infinity when nothing grows. */
  secondsUntilLimit: number;
  requestsPerSecond: number;
  /** True when the limit comes before a container is commonly recycled (seed 002's ~8,300 invocations). */
  withinContainerLife: boolean;
  message: string;
}

/** `~42 s`, `~17 min`, `~2.4 h`, `~3.1 days`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'never';
  if (seconds < 120) return `~${Math.round(seconds)} s`;
  if (seconds < 2 * 3600) return `~${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `~${(seconds / 3600).toFixed(1)} h`;
  return `~${(seconds / 86_400).toFixed(1)} days`;
}

function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

/** The arithmetic shared by every limit: (limit - current) / growth, then / rate. */
export function forecastLimit(input: LimitForecastInput): LimitForecast {
  const rate = input.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
  const subject = input.subject ?? 'this container';
  const limitLabel = input.limitLabel ?? `${formatCount(input.limit)} bytes`;
  const headroom = input.limit - input.current;
  if (!(input.growthPerInvocation > 0)) {
    return {
      invocationsUntilLimit: Number.POSITIVE_INFINITY,
      secondsUntilLimit: Number.POSITIVE_INFINITY,
      requestsPerSecond: rate,
      withinContainerLife: false,
      message: `${capitalise(subject)} does not grow towards ${limitLabel}.`,
    };
  }
  const invocationsUntilLimit = Math.max(0, Math.floor(headroom / input.growthPerInvocation));
  const secondsUntilLimit = invocationsUntilLimit / rate;
  const withinContainerLife = invocationsUntilLimit < OBSERVED_CONTAINER_LIFE.invocations;
  const life = `~${formatCount(OBSERVED_CONTAINER_LIFE.invocations)} invocations / ~${OBSERVED_CONTAINER_LIFE.minutes} min`;
  const comparison = withinContainerLife
    ? `sooner than containers commonly live (${life}), so expect failures in production`
    : `containers are commonly recycled sooner (${life}), which hides the leak until traffic per container or the data grows`;
  const message =
    invocationsUntilLimit === 0
      ? `${capitalise(subject)} is already at ${limitLabel}.`
      : `At ${rate} req/s ${subject} reaches ${limitLabel} after ${formatDuration(secondsUntilLimit)} (${formatCount(invocationsUntilLimit)} invocations); ${comparison}.`;
  return { invocationsUntilLimit, secondsUntilLimit, requestsPerSecond: rate, withinContainerLife, message };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** When the heap reaches the function's memory size. */
export function forecastOutOfMemory(input: {
  bytesPerInvocation: number;
  currentBytes: number;
  memorySizeMB?: number;
  requestsPerSecond?: number;
}): LimitForecast {
  const memorySizeMB = input.memorySizeMB ?? DEFAULT_MEMORY_SIZE_MB;
  return forecastLimit({
    growthPerInvocation: input.bytesPerInvocation,
    current: input.currentBytes,
    limit: memorySizeMB * MIB,
    requestsPerSecond: input.requestsPerSecond,
    subject: 'this container',
    limitLabel: `${memorySizeMB} MB`,
  });
}

/** When files left in /tmp fill the function's ephemeral storage. */
export function forecastTmpFull(input: {
  bytesPerInvocation: number;
  currentBytes: number;
  ephemeralStorageMB?: number;
  requestsPerSecond?: number;
}): LimitForecast {
  const storageMB = input.ephemeralStorageMB ?? DEFAULT_EPHEMERAL_STORAGE_MB;
  return forecastLimit({
    growthPerInvocation: input.bytesPerInvocation,
    current: input.currentBytes,
    limit: storageMB * MIB,
    requestsPerSecond: input.requestsPerSecond,
    subject: '/tmp',
    limitLabel: `${storageMB} MB`,
  });
}

/**
 * The report's forecast: the heap's last checkpoint extended at its fitted slope towards the memory size. Only
 * growth whose 95% interval lies above `allowedBytes` (the heap verdict's floor) is extended; noise is not a trend.
 */
export function memoryForecast(
  heap: HeapReport,
  options: { memorySizeMB?: number; allowedBytes: number },
): MemoryForecast | undefined {
  const last = heap.series[heap.series.length - 1];
  if (!last) return undefined;
  const external = heap.external?.series.find(([x]) => x === last[0])?.[1] ?? 0;
  const bytesPerInvocation = heap.ci95[0] > options.allowedBytes ? heap.bytesPerInvocation : 0;
  const memorySizeMB = options.memorySizeMB ?? DEFAULT_MEMORY_SIZE_MB;
  const forecast = forecastOutOfMemory({
    bytesPerInvocation,
    currentBytes: last[1] + external,
    memorySizeMB,
  });
  return {
    memorySizeMB,
    bytesPerInvocation,
    from: [last[0], last[1] + external],
    invocationsUntilLimit: Number.isFinite(forecast.invocationsUntilLimit)
      ? forecast.invocationsUntilLimit
      : null,
    message: forecast.message,
  };
}
