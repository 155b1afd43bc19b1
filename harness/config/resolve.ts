// Merges a config's defaults and every matching per-handler override into the settings of one handler.
import { splitHandlerSpec } from '../runtime/handler-spec.js';
import type { HandlerSettings, WarmleakConfig } from './types.js';

/** Does an override key (`src/a.ts`, `src/a.ts#main`, `src/**\/handler.ts`, `HelloWorldFunction`) apply to this handler? */
export function matchesHandler(key: string, file: string, spec: string, functionName?: string): boolean {
  if (key === spec || key === file || key === functionName) return true;
  const split = splitHandlerSpec(key);
  const [pattern, exportName] = split.file !== '' ? [split.file, split.exportName] : [key, undefined];
  if (exportName !== undefined && spec !== `${file}#${exportName}`) return false;
  return globToRegExp(pattern.replace(/^\.\//, '')).test(file);
}

/** Settings for one handler: top-level defaults, then each matching override in the order written. */
export function settingsFor(
  config: WarmleakConfig,
  file: string,
  spec: string,
  functionName?: string,
): HandlerSettings {
  const {
    include: _include,
    exclude: _exclude,
    handlers,
    concurrency: _concurrency,
    template: _template,
    ...defaults
  } = config;
  let settings: HandlerSettings = { ...defaults };
  for (const [key, override] of Object.entries(handlers ?? {})) {
    if (matchesHandler(key, file, spec, functionName)) settings = { ...settings, ...override };
  }
  return settings;
}

/** The glob subset people write for handler paths: `**`, `*`, `?`, `{a,b}`. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      braces++;
      source += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (char === ',' && braces > 0) source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
