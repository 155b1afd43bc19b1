// The shared function model: what a SAM, CloudFormation, Serverless or CDK template says about one function.
import type { EventType } from '../events/index.js';

/** One Node.js function a template describes, resolved to a handler warmleak can load. */
export interface TemplateFunction {
  /** Logical id (SAM, CloudFormation, CDK) or function key (Serverless): the name every reporter shows. */
  name: string;
  /** The template it came from, relative to the project root (`template.yaml`, `cdk.out/App.template.json`). */
  template: string;
  /** Handler file relative to the project root. */
  file: string;
  /** The export Lambda calls (`lambdaHandler`, or a dotted path such as `handlers.main`). */
  exportName: string;
  /** The function name Lambda would see in `AWS_LAMBDA_FUNCTION_NAME` and `context.functionName`. */
  lambdaName: string;
  /** Lambda's runtime identifier as the template wrote it (`nodejs22.x`). */
  runtime: string;
  memorySizeMB?: number;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** The built-in sample event its first event source produces. */
  eventType?: EventType;
  /** What had to be approximated, one sentence each: a placeholder for an intrinsic, an event with no sample. */
  notes: string[];
}

/** A function the template describes that warmleak cannot check (another language, a container image). */
export interface SkippedFunction {
  name: string;
  template: string;
  /** `python3.12`, `java21`, `container image`. */
  runtime: string;
}

/** A template or a function in it that cannot be read: one line naming the file and the problem. */
export interface TemplateProblem {
  template: string;
  /** The function the problem is about; absent when the whole template is unusable. */
  name?: string;
  message: string;
}

/** Everything read from one or more templates. */
export interface TemplateFunctions {
  functions: TemplateFunction[];
  skipped: SkippedFunction[];
  problems: TemplateProblem[];
}

/**
 * A function as a format reader found it, before the shared steps (runtime, handler file, values) turn it into a
 * `TemplateFunction`. Values may still hold intrinsics (`{ Ref: 'Table' }`).
 */
export interface FunctionDescription {
  name: string;
  template: string;
  /** Absolute directory the handler path is relative to (CodeUri, the asset folder, the service folder). */
  codeDir: string;
  /** Lambda's handler setting (`app.lambdaHandler`, `src/handlers/hello.main`). */
  handler: unknown;
  runtime: unknown;
  memorySize: unknown;
  /** In seconds, as every format writes it. */
  timeout: unknown;
  variables: unknown;
  lambdaName: unknown;
  eventType?: EventType;
  /** Handler file extensions in the order to try (Lambda's own order is .js, .mjs, .cjs). */
  extensions: readonly string[];
  /** Source entry points a bundler builds from (SAM esbuild `EntryPoints`), relative to `codeDir`. */
  entryPoints?: string[];
  /** Why this function is not on disk as code warmleak can run (`container image`), if it is not. */
  notRunnable?: string;
  notes: string[];
}
