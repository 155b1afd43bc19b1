// The shape of warmleak.config.{ts,mjs,js,json} and of the `warmleak` key in package.json.
import type { LambdaRuntime } from '../runtime/types.js';

export type Isolation = 'inline' | 'process';

/** Settings of one handler; top-level settings in the config are the defaults for every handler. */
export interface HandlerSettings {
  /**
   * The event each invocation receives: a trigger name (`'sqs'`, `'apigw-http'`), a path to a JSON file relative
   * to the config file, or the event value itself (any non-string).
   */
  event?: unknown;
  /**
   * Events replayed in order and cycled: a JSON array, JSON Lines file or folder of .json files (relative to the
   * config file), or the list itself. String values may hold generators (`{{uuid}}`, `{{seq}}`). Instead of `event`.
   */
  events?: string | unknown[];
  /** Lambda's MemorySize in MB; in process isolation it sets the V8 heap limit as Lambda's runtime does. */
  memorySizeMB?: number;
  /** Lambda's Timeout, in milliseconds here. */
  timeoutMs?: number;
  /** Measured invocations after warm-up. */
  invocations?: number;
  /** Names or paths whose growth is intentional; RegExp only from a .ts/.js config. */
  allow?: Array<string | RegExp>;
  isolation?: Isolation;
  runtime?: LambdaRuntime;
  /** The function's environment variables. */
  env?: Record<string, string>;
  /** The function's environment variables, by Lambda's name for them (merged over `env`). */
  environment?: Record<string, string>;
  /** Modules loaded into the environment before the handler (relative to the config file): mocks, MockAgent. */
  setupFiles?: string[];
  /** Also report module-scope variables still holding request data after their invocation ended. */
  strict?: boolean;
}

export interface WarmleakConfig extends HandlerSettings {
  /** Handlers (files, globs, `file#export`) checked when `warmleak check` is given none. */
  include?: string[];
  /** Files that globs (in `include` or on the command line) never yield: `['src/**\/*.test.ts', 'src/lib/**']`. */
  exclude?: string[];
  /** SAM/CloudFormation template, serverless.yml or cdk.out whose functions are checked when none are given. */
  template?: string | string[];
  /**
   * Per-handler overrides keyed by file, `file#export`, glob, or a template function's name (logical id or
   * Serverless function key); every matching key applies, in order. A key with an export
   * (`src/orders.ts#main`) also makes that export the handler checked for the files it matches.
   */
  handlers?: Record<string, HandlerSettings>;
  /** Environments run at the same time; defaults to the number of cores. */
  concurrency?: number;
}

/** A config as loaded: its settings and where it came from, for resolving relative event paths. */
export interface LoadedConfig {
  config: WarmleakConfig;
  /** Absolute path of the config file (package.json for the `warmleak` key); absent when there is none. */
  file?: string;
  /** Directory relative paths in the config are resolved against. */
  dir: string;
}

/** Typed helper for warmleak.config.ts: `export default defineConfig({ ... })`. */
export function defineConfig(config: WarmleakConfig): WarmleakConfig {
  return config;
}
