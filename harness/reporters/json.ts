// The JSON contract of DESIGN.md: one report object for one handler, an array of them for several. For several, the
// array streams: each element is written as its check ends, indented exactly as JSON.stringify(array, null, 2) does.
import { inertJson } from './escape.js';
import { SKIPPED_REASON } from './format.js';
import { batchReporter, type StreamingReporter } from './stream.js';
import type { LoadFailure } from './types.js';

/** A handler that could not be checked: no verdict, its error in Lambda's words. */
function failedEntry(failure: LoadFailure) {
  return {
    handler: failure.handler,
    ...(failure.functionName ? { functionName: failure.functionName } : {}),
    error: { errorType: failure.errorType, errorMessage: failure.message },
  };
}

const pretty = (value: unknown) => inertJson(JSON.stringify(value, null, 2));

export const jsonStream: StreamingReporter = (options = {}) => {
  // Load failures and skipped functions follow the reports, as they always have: they are small and few.
  const after: unknown[] = [];
  // One handler (not `several`) prints one object, known only at the end: the lone report waits for it.
  const held: unknown[] = [];
  let written = 0;
  const element = (value: unknown) => {
    const text = `${written === 0 ? '[\n' : ',\n'}  ${pretty(value).split('\n').join('\n  ')}`;
    written += 1;
    return text;
  };
  return {
    report(report) {
      if (!options.several) {
        held.push(report);
        return '';
      }
      return element(report);
    },
    failure(failure) {
      after.push(failedEntry(failure));
      return '';
    },
    end() {
      // A template function that is not Node.js is listed too, with no verdict: why it was skipped.
      const skipped = (options.skipped ?? []).map((fn) => ({
        handler: fn.template,
        functionName: fn.name,
        template: fn.template,
        skipped: { runtime: fn.runtime, reason: SKIPPED_REASON },
      }));
      const rest = [...held, ...after, ...skipped];
      if (!options.several && held.length === 1 && rest.length === 1) return `${pretty(held[0])}\n`;
      if (written === 0 && rest.length === 0) return '[]\n';
      return `${rest.map(element).join('')}\n]\n`;
    },
  };
};

export const jsonReporter = batchReporter(jsonStream, 'given');
