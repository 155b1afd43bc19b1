// The reporter registry: `--reporter <name>` picks one; each only formats reports.
import { githubReporter, githubStream } from './github.js';
import { htmlReporter, htmlStream } from './html.js';
import { jsonReporter, jsonStream } from './json.js';
import { junitReporter, junitStream } from './junit.js';
import { markdownReporter, markdownStream } from './markdown.js';
import type { StreamingReporter } from './stream.js';
import { textReporter, textStream } from './text.js';
import type { Reporter, ReporterName } from './types.js';

export const reporters: Record<ReporterName, Reporter> = {
  text: textReporter,
  json: jsonReporter,
  junit: junitReporter,
  github: githubReporter,
  html: htmlReporter,
  markdown: markdownReporter,
};

/** The same formats piece by piece, as `warmleak check` writes them while its environments end (stream.ts). */
export const reportStreams: Record<ReporterName, StreamingReporter> = {
  text: textStream,
  json: jsonStream,
  junit: junitStream,
  github: githubStream,
  html: htmlStream,
  markdown: markdownStream,
};

export function isReporterName(name: string): name is ReporterName {
  return Object.hasOwn(reporters, name);
}

export type { ReportStream, StreamingReporter } from './stream.js';
export type {
  CheckedReport,
  EnvironmentFailure,
  LoadFailure,
  Reporter,
  ReporterName,
  ReporterOptions,
} from './types.js';
export { githubReporter, htmlReporter, jsonReporter, junitReporter, markdownReporter, textReporter };
