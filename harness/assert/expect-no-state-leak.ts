// The framework-free assertion: resolves with the report when nothing grew, rejects with the culprits when something did.

import { runCheck } from '../check/index.js';
import type { CheckOptions } from '../check-options.js';
import type { HandlerSource } from '../runtime/types.js';
import type { Report } from '../types.js';
import { leakMessage } from './failure-message.js';

/** Thrown by `expectNoStateLeak`; `report` holds the findings as data. */
export class StateLeakError extends Error {
  override name = 'StateLeakError';
  constructor(
    readonly report: Report,
    options: CheckOptions = {},
  ) {
    super(leakMessage(report, 'state', options));
  }
}

/** `await expectNoStateLeak(handler)`: loads once, invokes warm, and fails naming what grew. */
export async function expectNoStateLeak(handler: HandlerSource, options: CheckOptions = {}): Promise<Report> {
  const report = await runCheck(handler, options);
  if (report.verdict === 'leak') throw new StateLeakError(report, options);
  return report;
}
