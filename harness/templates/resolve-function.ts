// The steps every format shares: a function's runtime, its handler file on disk, and its configuration values.
import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FunctionDescription, SkippedFunction, TemplateFunction, TemplateProblem } from './model.js';
import { numberValue, stringValue, type ValueScope, variablesValue } from './values.js';

/** Lambda's order for a handler module, then the TypeScript source a bundler or plugin builds it from. */
export const JAVASCRIPT_FIRST = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'] as const;
/** For templates whose build compiles TypeScript next to the source (serverless-esbuild, esbuild entry points). */
export const TYPESCRIPT_FIRST = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const;

export type Resolved =
  | { function: TemplateFunction }
  | { skipped: SkippedFunction }
  | { problem: TemplateProblem };

/** Turns what a format reader found into a function warmleak can check, a skipped function, or a one-line problem. */
export function resolveFunction(found: FunctionDescription, scope: ValueScope, root: string): Resolved {
  const { name, template } = found;
  const notes = [...found.notes];
  const runtime =
    found.runtime === undefined ? undefined : stringValue(found.runtime, 'Runtime', scope, notes);
  if (found.notRunnable) return { skipped: { name, template, runtime: found.notRunnable } };
  if (runtime !== undefined && !/^nodejs\d+\.x$/.test(runtime))
    return { skipped: { name, template, runtime } };
  const problem = (message: string): Resolved => ({ problem: { template, name, message } });
  if (runtime === undefined)
    return problem('has no Runtime; set Runtime (e.g. nodejs22.x) on it or in Globals');
  if (typeof found.handler !== 'string' || found.handler === '')
    return problem('has no Handler; set Handler (e.g. app.lambdaHandler)');
  const handler = splitHandler(found.handler);
  if (!handler)
    return problem(`has handler "${found.handler}", which is not module.export; write e.g. app.handler`);
  const file = findHandlerFile(found, handler.module);
  if (!file) {
    const tried = `${relativePath(root, join(found.codeDir, handler.module))}.{${found.extensions.map((e) => e.slice(1)).join(',')}}`;
    return problem(`handler ${found.handler}: no file ${tried}; check its code location and Handler`);
  }
  return {
    function: {
      name,
      template,
      file: relativePath(root, file),
      exportName: handler.exportName,
      lambdaName:
        found.lambdaName === undefined ? name : stringValue(found.lambdaName, 'FunctionName', scope, notes),
      runtime,
      memorySizeMB: numberValue(found.memorySize, 'MemorySize', scope, notes),
      timeoutMs: secondsToMs(numberValue(found.timeout, 'Timeout', scope, notes)),
      env: variablesValue(found.variables, scope, notes),
      eventType: found.eventType,
      notes,
    },
  };
}

/**
 * Lambda's handler setting -> module path and export. Like Lambda's Node.js runtime, the module is everything up
 * to the first dot of the last path segment: `src/handlers/hello.main` -> `src/handlers/hello` and `main`;
 * `index.handlers.main` -> `index` and `handlers.main`.
 */
export function splitHandler(handler: string): { module: string; exportName: string } | undefined {
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  if (dot <= slash + 1 || dot === handler.length - 1) return undefined;
  return { module: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
}

/** The handler's file: a bundler entry point whose name matches the module, else the module with each extension in order. */
function findHandlerFile(found: FunctionDescription, module: string): string | undefined {
  const base = module.slice(module.lastIndexOf('/') + 1);
  for (const entry of found.entryPoints ?? []) {
    const withoutExtension = entry.replace(/^\.\//, '').replace(/\.[cm]?[jt]sx?$/, '');
    const entryBase = withoutExtension.slice(withoutExtension.lastIndexOf('/') + 1);
    const file = join(found.codeDir, entry);
    if ((withoutExtension === module || entryBase === base) && isFile(file)) return file;
  }
  for (const extension of found.extensions) {
    const file = join(found.codeDir, `${module}${extension}`);
    if (isFile(file)) return file;
  }
  return undefined;
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}

/** Project-relative with forward slashes, as every report names files. */
export function relativePath(root: string, file: string): string {
  return relative(root, file).split('\\').join('/') || '.';
}
