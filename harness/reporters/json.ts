// The JSON contract of DESIGN.md: one report object for one handler, an array of them for several.
import type { Reporter } from './types.js';

export const jsonReporter: Reporter = (reports, options = {}) => {
  const value = reports.length === 1 && !options.several ? reports[0] : reports;
  return `${JSON.stringify(value, null, 2)}\n`;
};
