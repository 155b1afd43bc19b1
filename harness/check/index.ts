// One leak check: a session measures, the plan decides the next step until it is done, the report is its data.
import { type CheckOptions, warnUnknownOptions } from '../check-options.js';
import { UsageError } from '../errors.js';
import type { HandlerSource } from '../runtime/types.js';
import type { Report, TimeSplit } from '../types.js';
import { withEagerFeedback } from './eager-feedback.js';
import { evidence, nextStep } from './plan.js';
import { CHECK_POLICY } from './policy.js';
import { buildReport } from './report.js';
import { CheckSession } from './session.js';

export const CHECK_DEFAULTS = CHECK_POLICY.defaults;
/**
 * Evidence is sent only when it changed: a named series moved, or the heap rose by more than this since the last
 * evidence sent. Building it is an analysis (~3-5 ms), and each build, even every fourth checkpoint, leaves V8
 * metadata in the heap it measures (feedback and IC handlers for the analysis's own functions): 80-90
 * B/invocation of a fresh process's no-op main phase. A clean handler's heap moves by kilobytes, a heap on its way
 * to an OOM by megabytes: a death keeps its series to within this much of where it died.
 */
const EVIDENCE_HEAP_STEP_BYTES = 1024 * 1024;

/** Runs one check and returns its report; the environment and everything it left running are cleaned up. */
export async function runCheck(source: HandlerSource, options: CheckOptions = {}): Promise<Report> {
  warnUnknownOptions(options);
  positiveInteger('invocations', options.invocations, 2, CHECK_POLICY.maxInvocations);
  positiveInteger('warmup', options.warmup, 0);
  positiveInteger('checkpoints', options.checkpoints, 3);
  const opened = performance.now();
  const session = await CheckSession.open(source, options, CHECK_POLICY);
  const time = { startupMs: performance.now() - opened, measurementMs: 0, analysisMs: 0 };
  const { onEvidence } = options;
  // The evidence sent at a checkpoint is analysis done inside a phase: its time moves from one to the other.
  let sentAt = -1;
  if (onEvidence)
    session.onCheckpoint = () => {
      const { book } = session;
      if (!book.movedSince(sentAt, EVIDENCE_HEAP_STEP_BYTES)) return;
      sentAt = book.size - 1;
      const since = performance.now();
      // With the time so far: an environment that dies after this checkpoint still says how its time divided.
      onEvidence({ ...buildReport(session, evidence(session.measured())), time: roundedTime(time) });
      const spent = performance.now() - since;
      time.analysisMs += spent;
      time.measurementMs -= spent;
    };
  try {
    for (;;) {
      let since = performance.now();
      // The plan runs between phases, once each: its code, like a checkpoint's, is the harness's (see eager-feedback).
      const step = withEagerFeedback(() => nextStep(session.measured(), CHECK_POLICY));
      if (step.kind === 'done') {
        if (session.errors.count === session.index) session.allFailed();
        const report = buildReport(session, step.decision);
        time.analysisMs += performance.now() - since;
        return { ...report, time: roundedTime(time) };
      }
      time.analysisMs += performance.now() - since;
      since = performance.now();
      if (step.kind === 'explain') await session.explain(step.invocations);
      else await session.run(step);
      time[step.kind === 'explain' ? 'analysisMs' : 'measurementMs'] += performance.now() - since;
    }
  } finally {
    await session.close();
  }
}

function roundedTime(time: TimeSplit): TimeSplit {
  const ms = (value: number) => Math.round(value * 10) / 10;
  return {
    startupMs: ms(time.startupMs),
    measurementMs: ms(time.measurementMs),
    analysisMs: ms(time.analysisMs),
  };
}

function positiveInteger(name: string, value: number | undefined, min: number, max = Infinity): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw new UsageError(`${name} must be an integer >= ${min}, got ${value}`);
  }
  if (value !== undefined && value > max)
    throw new UsageError(`${name} must be at most ${max}, got ${value}`);
}
