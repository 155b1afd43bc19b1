// Where a syntax error is, for one line naming file:line:column: esbuild's report (TypeScript through tsx) or V8's.
import { spawnSync } from 'node:child_process';

export interface SyntaxErrorPlace {
  /** Absolute path as the compiler named it (tsx may name `x.ts` for `x.mts`). */
  file: string;
  line: number;
  /** 1-based; absent when V8 gave no caret to count. */
  column?: number;
  /** esbuild reports line:column itself; V8's column is counted from its caret. */
  compiler: 'esbuild' | 'v8';
  message: string;
}

// esbuild: "Transform failed with 1 error:\n/abs/file.ts:3:10: ERROR: Expected ..."
const ESBUILD = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m;
// V8: "file:line", the source line, then a caret under the culprit.
const V8 = /^(?:file:\/\/)?(\/.+?):(\d+)\s*$(?:\n.*\n( *)\^)?/m;

/**
 * The place of a syntax error thrown while compiling `file`, or undefined when `error` is not one. Native ESM syntax
 * errors carry no location in Node 20: `node --check` prints it (on the error path only).
 */
export function syntaxErrorPlace(error: unknown, file: string): SyntaxErrorPlace | undefined {
  if (!(error instanceof Error)) return undefined;
  const message = typeof error.message === 'string' ? error.message : '';
  const esbuild = ESBUILD.exec(message);
  if (esbuild)
    return {
      file: esbuild[1],
      line: Number(esbuild[2]),
      column: Number(esbuild[3]) + 1, // esbuild counts columns from 0; editors and V8 from 1
      message: esbuild[4],
      compiler: 'esbuild',
    };
  if (error.name !== 'SyntaxError') return undefined;
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const where = V8.exec(stack) ?? V8.exec(checkSyntax(file));
  const first = message.split('\n').find((line) => line.trim() !== '') ?? message;
  if (!where) return { file, line: 0, message: first, compiler: 'v8' };
  const place: SyntaxErrorPlace = { file: where[1], line: Number(where[2]), message: first, compiler: 'v8' };
  if (where[3] !== undefined) place.column = where[3].length + 1;
  return place;
}

function checkSyntax(file: string): string {
  const result = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  return result.stderr ?? '';
}
