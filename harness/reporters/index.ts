// The reporter registry: `--reporter <name>` picks one; each only formats reports.
import { githubReporter } from './github.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { textReporter } from './text.js';
import type { Reporter, ReporterName } from './types.js';

export const reporters: Record<ReporterName, Reporter> = {
  text: textReporter,
  json: jsonReporter,
  junit: junitReporter,
  github: githubReporter,
  html: htmlReporter,
  markdown: markdownReporter,
};

export function isReporterName(name: string): name is ReporterName {
  return Object.hasOwn(reporters, name);
}

export type {
  CheckedReport,
  EnvironmentFailure,
  LoadFailure,
  Reporter,
  ReporterName,
  ReporterOptions,
} from './types.js';
export { githubReporter, htmlReporter, jsonReporter, junitReporter, markdownReporter, textReporter };
