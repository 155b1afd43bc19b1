// The JSON contract of DESIGN.md: one report object for one handler, an array of them for several.
import { inertJson } from './escape.js';
import type { Reporter } from './types.js';

export const jsonReporter: Reporter = (reports, options = {}) => {
  // A handler that could not be checked keeps its place in the array: no verdict, its error in Lambda's words.
  const failed = (options.failures ?? []).map((failure) => ({
    handler: failure.handler,
    ...(failure.functionName ? { functionName: failure.functionName } : {}),
    error: { errorType: failure.errorType, errorMessage: failure.message },
  }));
  const value =
    reports.length === 1 && failed.length === 0 && !options.several ? reports[0] : [...reports, ...failed];
  return `${inertJson(JSON.stringify(value, null, 2))}\n`;
};
