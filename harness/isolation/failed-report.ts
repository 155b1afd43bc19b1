// The report of an environment that died (out of memory, timed out, exited): the evidence found before it died,
// the failure in Lambda's words, and for an OOM the growing thing that most likely caused it.
import type { CheckedReport, EnvironmentFailure } from '../reporters/types.js';
import { handlerSpecOf } from '../runtime/handler-spec.js';
import type { Finding, Report, TimeSplit } from '../types.js';

export interface Death {
  source: string;
  /** 1-based invocation that was running when the environment died; 0 while loading. */
  invocation: number;
  error: EnvironmentFailure;
  maxMemoryUsedMB: number | undefined;
  durationMs: number;
  /** From the start to the first invocation, as the caller saw it; undefined when it never got there. */
  startupMs?: number;
  /** What the environment had found at its last checkpoint. */
  evidence?: Report;
}

/**
 * How a dead environment's time divided: start-up until its first invocation (all of it when it died loading),
 * analysis as far as its last checkpoint said, and the rest measuring, up to its death.
 */
function timeOf({ durationMs, startupMs, invocation, evidence }: Death): TimeSplit {
  const ms = (value: number) => Math.round(Math.max(0, value) * 10) / 10;
  const startup =
    invocation === 0 ? durationMs : Math.min(durationMs, startupMs ?? evidence?.time?.startupMs ?? 0);
  const analysis = Math.min(durationMs - startup, evidence?.time?.analysisMs ?? 0);
  return {
    startupMs: ms(startup),
    measurementMs: ms(durationMs - startup - analysis),
    analysisMs: ms(analysis),
  };
}

export function failedReport(death: Death): CheckedReport {
  const { evidence, invocation } = death;
  const error = { ...death.error };
  const cause = error.errorType === 'Runtime.OutOfMemory' ? likelyCause(evidence?.findings ?? []) : undefined;
  if (cause) error.errorMessage += `; likely cause: ${cause.message}`;
  const errors = evidence?.errors ?? { count: 0, byType: {} };
  return {
    verdict: 'leak',
    handler: evidence?.handler ?? handlerSpecOf(death.source),
    // The invocation it died in was made, and failed, as Lambda counts it: `1 of 2 invocations failed`.
    invocations: invocation,
    findings: evidence?.findings ?? [],
    heap: evidence?.heap ?? { bytesPerInvocation: 0, ci95: [0, 0], series: [] },
    timing: evidence?.timing ?? { initMs: 0, firstInvocationMs: 0, warm: { p50: 0, p99: 0, mean: 0 } },
    ...(evidence?.checked && { checked: evidence.checked }),
    // The failure that ended the environment is one more error of its type.
    errors: {
      ...errors,
      count: errors.count + 1,
      byType: { ...errors.byType, [error.errorType]: (errors.byType[error.errorType] ?? 0) + 1 },
      first: errors.first ?? {
        errorType: error.errorType,
        errorMessage: error.errorMessage,
        invocation: Math.max(0, invocation - 1),
      },
    },
    error,
    maxMemoryUsedMB: death.maxMemoryUsedMB,
    durationMs: death.durationMs,
    time: timeOf(death),
  };
}

/** The finding that grew the most memory: kept bytes first, then kept elements (each holds something). */
function likelyCause(findings: Finding[]): Finding | undefined {
  const rank = (f: Finding) => (f.unit === 'bytes' ? 2 : f.kind === 'state' || f.kind === 'global' ? 1 : 0);
  return [...findings].sort((a, b) => rank(b) - rank(a) || b.growthPerInvocation - a.growthPerInvocation)[0];
}
