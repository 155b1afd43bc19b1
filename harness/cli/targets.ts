// Turns `check` arguments into handler targets: files or globs with an optional `#export`, split into CI shards.
import { existsSync } from 'node:fs';
import { glob, isDynamicPattern } from 'tinyglobby';
import { globToRegExp } from '../config/resolve.js';
import { UsageError } from '../errors.js';
import { splitHandlerSpec } from '../runtime/handler-spec.js';
import type { TemplateFunction } from '../templates/index.js';

/** One handler to check: a file relative to the working directory and the export Lambda would call. */
export interface Target {
  file: string;
  /** Absent means the runtime's default (`handler`). */
  exportName?: string;
  /** `file#export` as the user wrote it, or `file` alone; what reports and runCheck receive. */
  spec: string;
  /** The template function this target checks, with its own settings; absent for a file given directly. */
  function?: TemplateFunction;
}

export interface Shard {
  /** 1-based, as in `--shard 1/4`. */
  index: number;
  count: number;
}

/** `src/handler.ts#main` -> file and export; a `#` followed by something that is not an identifier stays in the path. */
export function splitExport(pattern: string): { path: string; exportName?: string } {
  const { file, exportName } = splitHandlerSpec(pattern);
  return file === '' ? { path: pattern } : { path: file, exportName };
}

/**
 * Expands files and globs into targets sorted by file, without duplicates. A glob that matches nothing is a
 * usage error: in CI a typo must fail loudly rather than check nothing and pass.
 */
export interface TargetOptions {
  /** Globs of files a glob never yields (tests, shared code): the config's `exclude`. */
  exclude?: string[];
  /**
   * The config's handlers keys: a key naming an export (`src/orders.ts#main`, `src/**\/*.ts#main`) replaces the
   * default `handler` of every file it matches that was given without an export.
   */
  handlerKeys?: string[];
}

export async function resolveTargets(
  patterns: string[],
  cwd: string = process.cwd(),
  options: TargetOptions = {},
): Promise<Target[]> {
  if (patterns.length === 0)
    throw new UsageError(
      'no handler given and no template.yaml, serverless.yml or cdk.out here; run warmleak check <file>[#export], pass --template FILE, or list handlers in warmleak.config',
    );
  const targets = new Map<string, Target>();
  for (const pattern of patterns) {
    const { path, exportName } = splitExport(pattern);
    const normalised = path.split('\\').join('/');
    // A path that exists is a file even if its name has glob characters in it (`[id].ts`).
    const files =
      isDynamicPattern(normalised) && !existsSync(`${cwd}/${normalised}`)
        ? await glob(normalised, {
            cwd,
            ignore: ['**/node_modules/**', ...(options.exclude ?? [])],
            onlyFiles: true,
            expandDirectories: false,
          })
        : [normalised.replace(/^\.\//, '')];
    if (files.length === 0)
      throw new UsageError(
        `no file matches "${path}"; check the glob (quote it so the shell does not expand it)`,
      );
    for (const file of files) {
      for (const name of exportName ? [exportName] : exportsFor(file, options.handlerKeys ?? [])) {
        const spec = name ? `${file}#${name}` : file;
        targets.set(spec, { file, exportName: name, spec });
      }
    }
  }
  return [...targets.values()].sort((a, b) =>
    a.file === b.file ? a.spec.localeCompare(b.spec) : a.file < b.file ? -1 : 1,
  );
}

/** The exports handlers keys name for a file given without one; `[undefined]` (Lambda's default) when none does. */
function exportsFor(file: string, keys: string[]): Array<string | undefined> {
  const names = new Set<string>();
  for (const key of keys) {
    const { path, exportName } = splitExport(key);
    if (exportName && globToRegExp(path.replace(/^\.\//, '')).test(file)) names.add(exportName);
  }
  return names.size > 0 ? [...names] : [undefined];
}

/** Parses `i/n` with 1 <= i <= n. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be i/n with 1 <= i <= n (e.g. --shard 1/4), got "${text}"`);
  }
  return { index, count };
}

/**
 * The targets of one shard: the sorted list of distinct files is dealt out like cards (the 1st file to shard 1, the
 * 2nd to shard 2, ..., the n+1-th to shard 1 again), so every file lands in exactly one shard, all exports of a
 * file stay together, and files that sit together in the tree (one folder's handlers, all alike in cost) spread
 * over every shard instead of making one shard the matrix's slowest. A template's functions are units of their
 * own (several may share one handler file with different settings).
 */
export function shardTargets(targets: Target[], shard: Shard): Target[] {
  const unitOf = (target: Target) =>
    target.function ? `${target.function.template}#${target.function.name}` : target.file;
  const units = [...new Set(targets.map(unitOf))].sort();
  const mine = new Set(units.filter((_, position) => position % shard.count === shard.index - 1));
  return targets.filter((target) => mine.has(unitOf(target)));
}
