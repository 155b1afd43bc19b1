// One leak check: a session measures, the plan decides the next step until it is done, the report is its data.
import { type CheckOptions, warnUnknownOptions } from '../check-options.js';
import { UsageError } from '../errors.js';
import type { HandlerSource } from '../runtime/types.js';
import type { Report } from '../types.js';
import { evidence, nextStep } from './plan.js';
import { CHECK_POLICY } from './policy.js';
import { buildReport } from './report.js';
import { CheckSession } from './session.js';

export const CHECK_DEFAULTS = CHECK_POLICY.defaults;

/** Runs one check and returns its report; the environment and everything it left running are cleaned up. */
export async function runCheck(source: HandlerSource, options: CheckOptions = {}): Promise<Report> {
  warnUnknownOptions(options);
  positiveInteger('invocations', options.invocations, 2, CHECK_POLICY.maxInvocations);
  positiveInteger('warmup', options.warmup, 0);
  positiveInteger('checkpoints', options.checkpoints, 3);
  const session = await CheckSession.open(source, options, CHECK_POLICY);
  const { onEvidence } = options;
  if (onEvidence) session.onCheckpoint = () => onEvidence(buildReport(session, evidence(session.measured())));
  try {
    for (;;) {
      const step = nextStep(session.measured(), CHECK_POLICY);
      if (step.kind === 'done') {
        if (session.errors.count === session.index) session.allFailed();
        return buildReport(session, step.decision);
      }
      if (step.kind === 'explain') await session.explain(step.invocations);
      else await session.run(step);
    }
  } finally {
    await session.close();
  }
}

function positiveInteger(name: string, value: number | undefined, min: number, max = Infinity): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw new UsageError(`${name} must be an integer >= ${min}, got ${value}`);
  }
  if (value !== undefined && value > max)
    throw new UsageError(`${name} must be at most ${max}, got ${value}`);
}
