// Parses Lambda-style handler references (`path/to/file.ts#export`): the one rule every part of warmleak uses.
import { HandlerLoadError } from '../errors.js';

export interface HandlerSpec {
  /** The file part as written (relative or absolute). */
  file: string;
  /** The export to call; `handler` when the reference names none, like Lambda's `_HANDLER` default. */
  exportName: string;
}

export const DEFAULT_EXPORT_NAME = 'handler';

/** An export name, or a path into one (`service.handle`). */
const EXPORT_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/**
 * `src/handler.ts#main` -> file and export. The text after the last `#` is an export only when it reads as one;
 * otherwise the `#` belongs to the path (`reports/#2/handler.ts`), and no export is named.
 */
export function splitHandlerSpec(spec: string): { file: string; exportName?: string } {
  const hash = spec.lastIndexOf('#');
  if (hash >= 0 && EXPORT_PATH.test(spec.slice(hash + 1))) {
    return { file: spec.slice(0, hash), exportName: spec.slice(hash + 1) };
  }
  return { file: spec };
}

/** `src/handler.ts#main` -> { file: 'src/handler.ts', exportName: 'main' }; `src/handler.ts` -> export `handler`. */
export function parseHandlerSpec(spec: string): HandlerSpec {
  if (spec.endsWith('#')) {
    throw new HandlerLoadError(
      `handler reference "${spec}" has an empty export after "#"; write path/to/file.ts#handler`,
    );
  }
  const { file, exportName = DEFAULT_EXPORT_NAME } = splitHandlerSpec(spec);
  if (file.trim() === '') {
    throw new HandlerLoadError(
      `handler reference "${spec}" names no file; write it as path/to/file.ts#export`,
    );
  }
  return { file, exportName };
}

/** The reference as reports name it: always with its export (`src/handler.ts#handler`). */
export function handlerSpecOf(spec: string): string {
  const { file, exportName = DEFAULT_EXPORT_NAME } = splitHandlerSpec(spec);
  return `${file}#${exportName}`;
}

/** Whether a report's handler names a file (`file#export`) rather than a function passed in. */
export function namesFile(handler: string): boolean {
  const { file, exportName } = splitHandlerSpec(handler);
  return exportName !== undefined && file !== '';
}
