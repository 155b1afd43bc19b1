// Finds and loads the project's warmleak config (.ts through tsx, .mjs/.js natively, .json, or package.json's key).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { closestName } from '../closest-name.js';
import { UsageError } from '../errors.js';
import { syntaxErrorPlace } from '../runtime/syntax-error.js';
import type { HandlerSettings, LoadedConfig, WarmleakConfig } from './types.js';

export const CONFIG_FILES = [
  'warmleak.config.ts',
  'warmleak.config.mts',
  'warmleak.config.mjs',
  'warmleak.config.js',
  'warmleak.config.json',
] as const;

const SETTING_KEYS = new Set([
  'event',
  'events',
  'environment',
  'setupFiles',
  'strict',
  'memorySizeMB',
  'timeoutMs',
  'invocations',
  'allow',
  'isolation',
  'runtime',
  'env',
]);
const CONFIG_KEYS = new Set([...SETTING_KEYS, 'include', 'exclude', 'handlers', 'concurrency', 'template']);

/**
 * Loads `explicit` when given (a missing file is a usage error), otherwise the first config file found in `cwd`,
 * otherwise the `warmleak` key of cwd's package.json, otherwise an empty config.
 */
export async function loadConfig(cwd: string = process.cwd(), explicit?: string): Promise<LoadedConfig> {
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file))
      throw new UsageError(
        `config file ${explicit} does not exist; pass the path to warmleak.config.ts/.json`,
      );
    return { config: validate(await importConfig(file), explicit), file, dir: dirname(file) };
  }
  for (const name of CONFIG_FILES) {
    const file = resolve(cwd, name);
    if (existsSync(file)) return { config: validate(await importConfig(file), name), file, dir: cwd };
  }
  const packageJson = resolve(cwd, 'package.json');
  if (existsSync(packageJson)) {
    const key = readJson(packageJson).warmleak;
    if (key !== undefined)
      return { config: validate(key, 'package.json "warmleak"'), file: packageJson, dir: cwd };
  }
  return { config: {}, dir: cwd };
}

async function importConfig(file: string): Promise<unknown> {
  if (file.endsWith('.json')) return readJson(file);
  try {
    const loaded: { default?: unknown } = /\.[mc]?ts$/.test(file)
      ? // tsx compiles the TypeScript config on the fly, so users need no build step (the built CLI runs on plain node).
        await (await import('tsx/esm/api')).tsImport(pathToFileURL(file).href, import.meta.url)
      : await import(pathToFileURL(file).href);
    // A .ts file without "type": "module" loads as CommonJS, which wraps the default export once more.
    let config: unknown = loaded;
    while (config !== null && typeof config === 'object' && 'default' in config)
      config = (config as { default: unknown }).default;
    return config;
  } catch (error) {
    throw configLoadError(error, file);
  }
}

/** One line: a syntax error by config:line:column, anything else by its first line; never a stack. */
function configLoadError(error: unknown, file: string): UsageError {
  const shown = relative(process.cwd(), file) || file;
  const syntax = syntaxErrorPlace(error, file);
  if (syntax && syntax.line > 0) {
    const column = syntax.column ? `:${syntax.column}` : '';
    return new UsageError(
      `syntax error in ${shown}:${syntax.line}${column}: ${syntax.message}; fix the config file`,
    );
  }
  const message = error instanceof Error ? String(error.message) : String(error);
  const first = message.split('\n').find((line) => line.trim() !== '') ?? message;
  return new UsageError(`cannot load config ${shown}: ${first}; fix the config file`);
}

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot parse ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Unknown keys are usage errors, so that a typo (`memorySize`) does not silently check with defaults. */
function validate(value: unknown, where: string): WarmleakConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(`${where} must be an object`);
  const config = value as Record<string, unknown>;
  checkKeys(config, CONFIG_KEYS, where);
  checkSettings(config, where);
  for (const key of ['include', 'exclude'] as const) {
    const list = config[key];
    if (list !== undefined && !(Array.isArray(list) && list.every((p) => typeof p === 'string')))
      throw new UsageError(`${where}: "${key}" must be a list of files or globs`);
  }
  const template = config.template;
  if (
    template !== undefined &&
    !(
      typeof template === 'string' ||
      (Array.isArray(template) && template.every((t) => typeof t === 'string'))
    )
  )
    throw new UsageError(
      `${where}: "template" must be a template file (template.yaml, serverless.yml, cdk.out) or a list of them`,
    );
  if (config.concurrency !== undefined) positive(config.concurrency, `${where}: "concurrency"`);
  if (config.handlers !== undefined) {
    if (config.handlers === null || typeof config.handlers !== 'object')
      throw new UsageError(`${where}: "handlers" must be an object keyed by file or glob`);
    for (const [pattern, settings] of Object.entries(config.handlers)) {
      const at = `${where} handlers["${pattern}"]`;
      if (settings === null || typeof settings !== 'object') throw new UsageError(`${at} must be an object`);
      checkKeys(settings as Record<string, unknown>, SETTING_KEYS, at);
      checkSettings(settings as Record<string, unknown>, at);
    }
  }
  return config as WarmleakConfig;
}

function checkKeys(object: Record<string, unknown>, allowed: Set<string>, where: string): void {
  for (const key of Object.keys(object)) {
    if (allowed.has(key)) continue;
    const near = closestName(key, allowed);
    throw new UsageError(
      `${where}: unknown setting "${key}"; ${near ? `did you mean "${near}"?` : `use one of ${[...allowed].join(', ')}`}`,
    );
  }
}

function checkSettings(settings: HandlerSettings & Record<string, unknown>, where: string): void {
  for (const key of ['memorySizeMB', 'timeoutMs', 'invocations'] as const) {
    if (settings[key] !== undefined) positive(settings[key], `${where}: "${key}"`);
  }
  if (
    settings.isolation !== undefined &&
    settings.isolation !== 'inline' &&
    settings.isolation !== 'process'
  ) {
    throw new UsageError(`${where}: "isolation" must be "inline" or "process"`);
  }
  for (const key of ['env', 'environment'] as const) {
    const vars = settings[key];
    if (
      vars !== undefined &&
      (vars === null || typeof vars !== 'object' || Object.values(vars).some((v) => typeof v !== 'string'))
    )
      throw new UsageError(`${where}: "${key}" must be an object of string values ({ TABLE: 'orders' })`);
  }
  if (
    settings.setupFiles !== undefined &&
    !(Array.isArray(settings.setupFiles) && settings.setupFiles.every((f) => typeof f === 'string'))
  )
    throw new UsageError(`${where}: "setupFiles" must be a list of files (relative to the config)`);
  if (settings.strict !== undefined && typeof settings.strict !== 'boolean')
    throw new UsageError(`${where}: "strict" must be true or false`);
  const { events } = settings;
  if (events !== undefined && !(typeof events === 'string' || (Array.isArray(events) && events.length > 0)))
    throw new UsageError(
      `${where}: "events" must be a JSON array, JSON Lines file or folder (relative to the config), or a non-empty list`,
    );
  if (
    settings.allow !== undefined &&
    !(
      Array.isArray(settings.allow) &&
      settings.allow.every((a) => typeof a === 'string' || a instanceof RegExp)
    )
  ) {
    throw new UsageError(`${where}: "allow" must be a list of names, paths or regular expressions`);
  }
}

function positive(value: unknown, where: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new UsageError(`${where} must be a positive integer`);
}
