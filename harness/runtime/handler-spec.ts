// Parses Lambda-style handler references (`path/to/file.ts#export`) into a file path and an export name.
import { HandlerLoadError } from '../errors.js';

export interface HandlerSpec {
  /** The file part as written (relative or absolute). */
  file: string;
  /** The export to call; `handler` when the reference names none, like Lambda's `_HANDLER` default. */
  exportName: string;
}

export const DEFAULT_EXPORT_NAME = 'handler';

/** `src/handler.ts#main` -> { file: 'src/handler.ts', exportName: 'main' }; `src/handler.ts` -> export `handler`. */
export function parseHandlerSpec(spec: string): HandlerSpec {
  const hash = spec.lastIndexOf('#');
  const file = hash === -1 ? spec : spec.slice(0, hash);
  const exportName = hash === -1 ? DEFAULT_EXPORT_NAME : spec.slice(hash + 1);
  if (file.trim() === '') {
    throw new HandlerLoadError(
      `handler reference "${spec}" names no file; write it as path/to/file.ts#export`,
    );
  }
  if (exportName.trim() === '') {
    throw new HandlerLoadError(
      `handler reference "${spec}" has an empty export after "#"; write path/to/file.ts#handler`,
    );
  }
  return { file, exportName };
}
