// Loads a handler module from a file into its own fresh module instance (entry and its relative imports), and
// unloads it again; TypeScript loads through tsx without a build step. Failures become one-line HandlerLoadErrors.
// A process that holds one environment (process isolation) loads a JavaScript handler natively, as Lambda does:
// tsx is registered only where it is needed, and never inside the timed Init phase.

import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as TsxCjs from 'tsx/cjs/api';
import type * as TsxEsm from 'tsx/esm/api';
import { HandlerLoadError } from '../errors.js';
import { hostRequire, importInMainContext, importPackageEsm } from './host.js';
import { syntaxErrorPlace } from './syntax-error.js';

// tsx is reached through Node's own loaders: under Jest, Jest's registry would hand tsx a copy of `module` to
// patch, and the handler would never load. Required on first use: a JavaScript handler never pays for it.
const nodeRequire = hostRequire(import.meta.url);
const registerCjs = (options: { namespace: string }) =>
  (nodeRequire('tsx/cjs/api') as typeof TsxCjs).register(options);
let esmApi: Promise<typeof TsxEsm> | undefined;
const registerEsm = async (options: { namespace: string }) => {
  esmApi ??= importPackageEsm<typeof TsxEsm>(import.meta.url, 'tsx', './esm/api');
  return (await esmApi).register(options);
};

const EMPTY_MODULE = 'data:text/javascript,';
const warmedUp = new Set<ModuleFormat>();

/**
 * The module of no code that tsx compiles once per process and format before the first load's timer starts, so
 * that starting its compiler (esbuild's service) is not in any Init Duration. Next to this file, from source and
 * built alike; undefined if a build left it out.
 */
function warmUpFile(format: ModuleFormat): string | undefined {
  if (warmedUp.has(format)) return undefined;
  warmedUp.add(format);
  const path = fileURLToPath(
    new URL(format === 'module' ? './typescript-warm-up.mts' : './typescript-warm-up.cts', import.meta.url),
  );
  return existsSync(path) ? path : undefined;
}

export const HANDLER_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const JAVASCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs'];

export interface LoadedHandler {
  handler: Function;
  /** How long evaluating the module took: Lambda's Init Duration, without registering tsx. */
  initDurationMs: number;
  /** The process's resident bytes as the module began to evaluate: what it held before is not the function's. */
  residentAtLoad: number;
  /** Forgets this module instance so that a later load gets a new one (Lambda's reset, `fresh`, dispose). */
  unload(): Promise<void>;
}

type ModuleFormat = 'commonjs' | 'module';

/** Loads `exportName` from `file` (absolute). Every call yields a new module instance of the file and its imports. */
export async function loadHandler(
  file: string,
  exportName: string,
  projectRoot: string,
): Promise<LoadedHandler> {
  const shown = displayPath(file, projectRoot);
  checkFile(file, shown);
  const { moduleExports, unload, initDurationMs, residentAtLoad } = await loadModule(
    file,
    shown,
    projectRoot,
  );
  const handler = pickExport(moduleExports, exportName, shown);
  if (handler === undefined) {
    await unload();
    const available = exportNames(moduleExports);
    const list = available.length > 0 ? available.join(', ') : 'none';
    throw new HandlerLoadError(
      `${shown} has no export "${exportName}" (exports: ${list}); export it or write ${shown}#<export>`,
    );
  }
  if (typeof handler !== 'function') {
    await unload();
    throw new HandlerLoadError(
      `${shown}#${exportName} is ${describe(handler)}, not a function; export the handler function itself`,
    );
  }
  return { handler, unload, initDurationMs, residentAtLoad };
}

/**
 * Loads a setup file (`--setup`, `setupFiles`) the way a handler is loaded, so that what it registers (a mocked
 * client, a MockAgent) meets the same packages the handler imports. Errors name the setup file and its fix.
 */
export async function loadSetupFile(file: string, projectRoot: string): Promise<{ unload(): Promise<void> }> {
  const shown = displayPath(file, projectRoot);
  if (!existsSync(file) || !statSync(file).isFile())
    throw new HandlerLoadError(
      `setup file not found: ${shown}; check the --setup path (relative to the project root)`,
    );
  try {
    return await loadModule(file, shown, projectRoot);
  } catch (error) {
    if (!(error instanceof HandlerLoadError)) throw error;
    throw new HandlerLoadError(
      `setup file ${error.message.replace(/fix the handler source|fix the module's top-level code/, 'fix the setup file')}`,
    );
  }
}

interface LoadedModule {
  moduleExports: unknown;
  initDurationMs: number;
  residentAtLoad: number;
  unload(): Promise<void>;
}

let nativeLoads = false;
let loads = 0;

let nativeTypeScript = false;

/**
 * Called by a process that holds exactly one environment: its first load, if of JavaScript, is Node's own (no tsx,
 * no namespace), which is what Lambda runs; with `typescript`, a TypeScript one too, through tsx's hooks for the
 * whole process, as `node --import tsx` loads it. Later loads (a reset, `fresh`) still get fresh instances through
 * a tsx namespace.
 */
export function loadFirstHandlerNatively(options: { typescript?: boolean } = {}): void {
  nativeLoads = true;
  nativeTypeScript = options.typescript === true;
}

let tsxForProcess: Promise<void> | undefined;

/**
 * tsx's hooks for the whole process (ESM and CommonJS), as `--import tsx` registers them, unless the process was
 * started with them: the worker's own modules then loaded without going through them. Once per process; a load
 * that comes while a spare is still registering waits for it.
 */
function registerTsxForProcess(): Promise<void> {
  tsxForProcess ??= (async () => {
    if (process.execArgv.includes(pathToFileURL(nodeRequire.resolve('tsx')).href)) return;
    (nodeRequire('tsx/cjs/api') as typeof TsxCjs).register();
    esmApi ??= importPackageEsm<typeof TsxEsm>(import.meta.url, 'tsx', './esm/api');
    (await esmApi).register();
  })();
  return tsxForProcess;
}

/**
 * For a process started ahead of a TypeScript handler (a spare), while it waits: tsx's hooks and its compiler for
 * both module formats, so that taking the spare starts none of them.
 */
export async function prepareTypeScript(): Promise<void> {
  await warmUpNatively('module');
  await warmUpNatively('commonjs');
}

/** A fresh instance of `file` and its relative imports, through tsx in the format Node (and Lambda) would use. */
async function loadModule(file: string, shown: string, projectRoot: string): Promise<LoadedModule> {
  const format = moduleFormat(file);
  const javascript = JAVASCRIPT_EXTENSIONS.includes(extname(file));
  const native = nativeLoads && loads === 0 && (javascript || nativeTypeScript);
  loads += 1;
  if (native) return loadNatively(file, format, shown, projectRoot);
  // Creation sites and traces then name lines of the TypeScript the user wrote, not of tsx's output.
  if (!process.sourceMapsEnabled) process.setSourceMapsEnabled(true);
  // A namespace per load gives the entry and everything it imports through tsx a private cache entry.
  const namespace = randomUUID();
  const parent = pathToFileURL(join(projectRoot, 'noop.js')).href;
  if (format === 'commonjs') {
    const api = registerCjs({ namespace });
    const unload = async () => {
      forgetCommonJs(namespace);
      api.unregister();
    };
    // Node remembers relative resolutions per directory, so another load's cached modules would be reused for
    // our relative imports; hide them while this instance loads.
    const hidden = hideOtherLoads();
    const warmUp = warmUpFile(format);
    if (warmUp) {
      try {
        api.require(warmUp, parent);
      } catch {
        // only a warm-up: the handler's own load says what is wrong
      }
    }
    try {
      return await evaluateModule(
        async () => ({ exports: api.require(file, parent) }),
        unload,
        file,
        shown,
        projectRoot,
      );
    } finally {
      Object.assign(requireCache, hidden);
    }
  }
  const api = await registerEsm({ namespace });
  const unload = () => api.unregister();
  // tsx's hooks start on the first import through a registration (and its compiler on the first TypeScript):
  // a module of no code starts them outside Init Duration.
  const warmUp = warmUpFile(format);
  await api.import(warmUp ? pathToFileURL(warmUp).href : EMPTY_MODULE, parent).catch(() => undefined);
  const url = pathToFileURL(file).href;
  return evaluateModule(
    async () => ({ exports: await api.import(url, parent) }),
    unload,
    file,
    shown,
    projectRoot,
  );
}

/** Node's own require or import: the module lives in Node's caches, so unloading forgets the CommonJS entries. */
async function loadNatively(
  file: string,
  format: ModuleFormat,
  shown: string,
  projectRoot: string,
): Promise<LoadedModule> {
  if (!JAVASCRIPT_EXTENSIONS.includes(extname(file))) await warmUpNatively(format);
  const before = new Set(Object.keys(requireCache));
  const unload = async () => {
    for (const key of Object.keys(requireCache)) if (!before.has(key)) delete requireCache[key];
  };
  const evaluate =
    format === 'commonjs'
      ? async () => ({ exports: nodeRequire(file) })
      : async () => ({ exports: await importInMainContext(pathToFileURL(file).href) });
  return evaluateModule(evaluate, unload, file, shown, projectRoot);
}

/**
 * Evaluates the handler's module, Lambda's init: Init Duration is the evaluation alone, and what the process held
 * just before it is the host's, not the function's. A failure forgets the instance and says what is wrong with it.
 * The exports come wrapped, so that a module exporting `then` is never awaited (its function never called).
 */
async function evaluateModule(
  evaluate: () => Promise<{ exports: unknown }>,
  unload: () => Promise<void>,
  file: string,
  shown: string,
  projectRoot: string,
): Promise<LoadedModule> {
  const residentAtLoad = process.memoryUsage.rss();
  const start = performance.now();
  try {
    const { exports: moduleExports } = await evaluate();
    return { moduleExports, unload, initDurationMs: performance.now() - start, residentAtLoad };
  } catch (error) {
    await unload();
    throw loadFailure(error, file, shown, projectRoot);
  }
}

/** tsx's hooks for the process, source maps on, and tsx's compiler started, all before Init Duration's timer. */
async function warmUpNatively(format: ModuleFormat): Promise<void> {
  await registerTsxForProcess();
  if (!process.sourceMapsEnabled) process.setSourceMapsEnabled(true);
  const warmUp = warmUpFile(format);
  if (!warmUp) return;
  try {
    if (format === 'commonjs') nodeRequire(warmUp);
    else await importInMainContext(pathToFileURL(warmUp).href);
  } catch {
    // only a warm-up: the handler's own load says what is wrong
  }
}

export function displayPath(file: string, projectRoot: string): string {
  const rel = relative(projectRoot, file);
  return rel.startsWith('..') || rel === '' ? file : rel.split('\\').join('/');
}

function checkFile(file: string, shown: string): void {
  if (!existsSync(file)) {
    throw new HandlerLoadError(
      `handler file not found: ${shown}; check the path (relative to the project root)`,
    );
  }
  if (!statSync(file).isFile()) {
    throw new HandlerLoadError(`handler path ${shown} is not a file; point at the handler's .ts or .js file`);
  }
  if (!HANDLER_EXTENSIONS.includes(extname(file))) {
    throw new HandlerLoadError(
      `handler file ${shown} has an unsupported extension; use one of ${HANDLER_EXTENSIONS.join(' ')}`,
    );
  }
}

/** How Node (and Lambda) would treat the file: by extension, else by the nearest package.json "type". */
function moduleFormat(file: string): ModuleFormat {
  const ext = extname(file);
  if (ext === '.mjs' || ext === '.mts') return 'module';
  if (ext === '.cjs' || ext === '.cts') return 'commonjs';
  return packageType(dirname(file));
}

const packageTypes = new Map<string, ModuleFormat>();

function packageType(dir: string): ModuleFormat {
  const known = packageTypes.get(dir);
  if (known) return known;
  let type: ModuleFormat = 'commonjs';
  const manifest = join(dir, 'package.json');
  if (existsSync(manifest)) {
    try {
      type = JSON.parse(readFileSync(manifest, 'utf8')).type === 'module' ? 'module' : 'commonjs';
    } catch {
      type = 'commonjs';
    }
  } else if (dirname(dir) !== dir) {
    type = packageType(dirname(dir));
  }
  packageTypes.set(dir, type);
  return type;
}

const requireCache = nodeRequire.cache;

/** Drops every require-cache entry this load created (tsx marks them with `?namespace=<id>`). */
function forgetCommonJs(namespace: string): void {
  const marker = `?namespace=${namespace}`;
  for (const key of Object.keys(requireCache)) {
    if (key.endsWith(marker)) delete requireCache[key];
  }
}

function hideOtherLoads(): NodeJS.Dict<NodeJS.Module> {
  const hidden: NodeJS.Dict<NodeJS.Module> = {};
  for (const key of Object.keys(requireCache)) {
    if (key.includes('?namespace=')) {
      hidden[key] = requireCache[key];
      delete requireCache[key];
    }
  }
  return hidden;
}

function pickExport(moduleExports: unknown, exportName: string, _shown: string): unknown {
  if (moduleExports === null || (typeof moduleExports !== 'object' && typeof moduleExports !== 'function')) {
    return undefined;
  }
  const record = moduleExports as Record<string, unknown>;
  if (Object.hasOwn(record, exportName)) return record[exportName];
  // A CommonJS module imported as ESM, or `export default { handler }`, keeps its exports under `default`.
  const inner = record.default as Record<string, unknown> | undefined;
  if (
    inner !== null &&
    (typeof inner === 'object' || typeof inner === 'function') &&
    Object.hasOwn(inner, exportName)
  ) {
    return inner[exportName];
  }
  return undefined;
}

function exportNames(moduleExports: unknown): string[] {
  if (moduleExports === null || (typeof moduleExports !== 'object' && typeof moduleExports !== 'function'))
    return [];
  return Object.keys(moduleExports as object).filter((name) => name !== '__esModule');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** One line naming what went wrong while evaluating the module: syntax error with file:line, or what it threw. */
function loadFailure(error: unknown, file: string, shown: string, projectRoot: string): HandlerLoadError {
  const err = error instanceof Error ? error : new Error(String(error));
  const message = err.message ?? '';
  const syntax = syntaxErrorPlace(err, file);
  if (syntax) {
    // Handler messages name the column only where esbuild gave one, as they always have.
    const column = syntax.compiler === 'esbuild' ? `:${syntax.column}` : '';
    const place =
      syntax.line > 0 ? `${displayAny(syntax.file, projectRoot, file)}:${syntax.line}${column}` : shown;
    return new HandlerLoadError(`syntax error in ${place}: ${syntax.message}; fix the handler source`);
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    return new HandlerLoadError(
      `${shown} cannot be loaded: ${firstLine(message)}; install or fix the import`,
    );
  }
  return new HandlerLoadError(
    `${shown} threw while loading (Init phase): ${err.name}: ${firstLine(message)}; fix the module's top-level code`,
  );
}

function displayAny(path: string, projectRoot: string, file: string): string {
  const clean = path.replace(/\?.*$/, '').replace(/^file:\/\//, '');
  // tsx hands esbuild `x.ts` for `x.mts`/`x.cts`; name the file the user wrote.
  const same = clean.slice(0, -extname(clean).length) === file.slice(0, -extname(file).length);
  return displayPath(same ? file : clean, projectRoot);
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? text;
}
