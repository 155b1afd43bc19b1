// The JSON contract of DESIGN.md: one report object for one handler, an array of them for several.
import { inertJson } from './escape.js';
import { SKIPPED_REASON } from './format.js';
import type { Reporter } from './types.js';

export const jsonReporter: Reporter = (reports, options = {}) => {
  // A handler that could not be checked keeps its place in the array: no verdict, its error in Lambda's words.
  const failed = (options.failures ?? []).map((failure) => ({
    handler: failure.handler,
    ...(failure.functionName ? { functionName: failure.functionName } : {}),
    error: { errorType: failure.errorType, errorMessage: failure.message },
  }));
  // A template function that is not Node.js is listed too, with no verdict: why it was skipped.
  const skipped = (options.skipped ?? []).map((fn) => ({
    handler: fn.template,
    functionName: fn.name,
    template: fn.template,
    skipped: { runtime: fn.runtime, reason: SKIPPED_REASON },
  }));
  const value =
    reports.length === 1 && failed.length === 0 && skipped.length === 0 && !options.several
      ? reports[0]
      : [...reports, ...failed, ...skipped];
  return `${inertJson(JSON.stringify(value, null, 2))}\n`;
};
