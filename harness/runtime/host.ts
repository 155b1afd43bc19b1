// Node's own module system, reached even when warmleak itself runs inside a test runner's module registry (Jest).
import { readFileSync } from 'node:fs';
import type { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

/** The main context's `process`: Jest gives each test file a sandbox with a copy of its own. */
const hostProcess = vm.runInThisContext('process') as NodeJS.Process;

/** The main context's global object (a handler loaded from a file lives there even under Jest). */
export const hostGlobal = vm.runInThisContext('globalThis') as typeof globalThis;

/**
 * True under a runner that runs test code in a context of its own: Jest (its own `process`, `require` and `module`)
 * and Vitest's vmThreads and vmForks pools (their own global object and a `node:module` without `register`).
 * There a handler loaded from a file goes through Node's own loaders and lives in the main context.
 */
export const sandboxed = hostProcess !== process || hostGlobal !== globalThis;

/** Node's real `require`, resolving from `fromUrl`; under Jest, Jest's registry would intercept a plain one. */
export function hostRequire(fromUrl: string): NodeJS.Require {
  const nodeModule = hostProcess.getBuiltinModule('node:module') as { createRequire: typeof createRequire };
  return nodeModule.createRequire(fromUrl);
}

let mainContextImport: ((url: string) => Promise<unknown>) | undefined;

/**
 * `import()` through the main context's ESM loader. Only a sandbox needs the vm route (its own `import()` does
 * not reach Node's loader); it is made lazily because Node flags the option as experimental with a warning.
 */
export function importInMainContext(url: string): Promise<unknown> {
  if (!sandboxed) return import(url);
  mainContextImport ??= new vm.Script('(url) => import(url)', {
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  }).runInThisContext() as (url: string) => Promise<unknown>;
  return mainContextImport(url);
}

/**
 * The ESM build of a package export (`tsx`, `./esm/api`), imported by Node itself. CommonJS builds of warmleak
 * must not `require` it: tsx's CommonJS copy of its ESM API cannot register hooks.
 */
export function importPackageEsm<T>(fromUrl: string, pkg: string, subpath: string): Promise<T> {
  const manifestPath = hostRequire(fromUrl).resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entry = manifest.exports?.[subpath]?.import;
  const target = typeof entry === 'string' ? entry : entry?.default;
  if (typeof target !== 'string') throw new Error(`${pkg} has no ESM export "${subpath}"`);
  return importInMainContext(pathToFileURL(join(dirname(manifestPath), target)).href) as Promise<T>;
}
