// Which entries of a shared /tmp the handler created: its own fs calls (write, open, mkdir, mkdtemp, copy, rename,
// link) name them, so files other processes write to the same /tmp are never counted. Reads and records only.
// The paths go to a list file as they are named, never into the handler's heap: a handler that leaves a file per
// call would otherwise grow warmleak's bookkeeping with it, in the heap being measured.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  makeEnvironmentDir,
  PRIVATE_TMP_VARIABLE,
  removeEnvironmentDir,
} from '../runtime/environment-dir.js';
import { isHandlerWork } from '../runtime/handler-scope.js';
import { callerVariable } from '../runtime/lambda-env.js';

/** The literal /tmp, which AWS documents and handlers write to by name (`/tmp/${key}`). */
export const LITERAL_TMP = '/tmp';

/**
 * Whether this environment shares the literal /tmp with other processes (inline, or a process environment without
 * a private mount): then only what the handler's own fs calls create there is its own. The one place that decides.
 */
export function sharesLiteralTmp(): boolean {
  return callerVariable(PRIVATE_TMP_VARIABLE) !== LITERAL_TMP;
}

// The fs functions the list is kept with, taken before any is wrapped: the recorder must not record itself.
const { openSync, writeSync, closeSync, readFileSync, writeFileSync } = fs;

/** One watching probe's list: a file of paths, one per line, in a directory of its own, and the last path written. */
interface Recorder {
  dir: string;
  file: string;
  fd: number;
  /** Skips a repeat of the path just written (a log appended to per line): one string, replaced, never a list. */
  last: string;
}

/** The recorders that watch (one or two: a check's early one and its probe's), allocated once each. */
const recorders = new Set<Recorder>();

// Which argument names the created path: the first, or the destination (copy, rename, link, symlink).
const FIRST = ['writeFile', 'appendFile', 'open', 'mkdir'];
const SECOND = ['copyFile', 'cp', 'rename', 'symlink', 'link'];
const CALLBACK = [...FIRST, ...SECOND].flatMap((name) => [name, `${name}Sync`]);
const saved: Array<{ owner: Record<string, unknown>; name: string; original: unknown }> = [];

/** `/tmp/x` for a string, Buffer or file: URL naming a path under /tmp, else undefined; allocates only for those. */
function tmpPathOf(path: unknown): string | undefined {
  let text: string;
  if (typeof path === 'string') text = path;
  else if (path instanceof URL) text = path.protocol === 'file:' ? fileURLToPath(path) : '';
  else if (Buffer.isBuffer(path)) text = path.toString();
  else return undefined;
  if (!isAbsolute(text)) text = resolve(text);
  return text.startsWith(`${LITERAL_TMP}/`) ? text : undefined;
}

function note(path: unknown): void {
  if (recorders.size === 0 || !isHandlerWork()) return;
  const tmp = tmpPathOf(path);
  if (!tmp) return;
  for (const recorder of recorders) {
    if (recorder.last === tmp) continue;
    recorder.last = tmp;
    writeSync(recorder.fd, `${tmp}\n`);
  }
}

function wrap(
  owner: Record<string, unknown>,
  name: string,
  at: number,
  result: 'none' | 'sync' | 'promise',
): void {
  const original = owner[name];
  if (typeof original !== 'function') return;
  saved.push({ owner, name, original });
  const wrapped = function (this: unknown, ...args: unknown[]) {
    note(args[at]);
    const out = (original as (...a: unknown[]) => unknown).apply(this, args);
    // mkdtemp names what it made only in its result.
    if (result === 'sync') note(out);
    if (result === 'promise')
      return (out as Promise<unknown>).then((made) => {
        note(made);
        return made;
      });
    return out;
  };
  owner[name] = wrapped;
}

/** mkdtemp's callback form: the directory is named in the callback's second argument. */
function wrapMkdtempCallback(owner: Record<string, unknown>): void {
  const original = owner.mkdtemp as (...a: unknown[]) => unknown;
  saved.push({ owner, name: 'mkdtemp', original });
  owner.mkdtemp = function (this: unknown, ...args: unknown[]) {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function')
      args[last] = (error: unknown, made: unknown) => {
        note(made);
        return callback(error, made);
      };
    return original.apply(this, args);
  };
}

function install(): void {
  const callbacks = fs as unknown as Record<string, unknown>;
  const promises = fs.promises as unknown as Record<string, unknown>;
  for (const name of CALLBACK)
    wrap(callbacks, name, SECOND.includes(name.replace(/Sync$/, '')) ? 1 : 0, 'none');
  wrap(callbacks, 'createWriteStream', 0, 'none');
  wrap(callbacks, 'mkdtempSync', 0, 'sync');
  wrapMkdtempCallback(callbacks);
  for (const name of [...FIRST, ...SECOND]) wrap(promises, name, SECOND.includes(name) ? 1 : 0, 'none');
  wrap(promises, 'mkdtemp', 0, 'promise');
  // ESM `import { writeFile } from 'node:fs'` bindings follow the module object only when asked to.
  syncBuiltinESMExports();
}

function uninstall(): void {
  for (const { owner, name, original } of saved.splice(0).reverse()) owner[name] = original;
  syncBuiltinESMExports();
}

/** What a watching probe reads its list through. */
export interface TmpWrites {
  /** The recorder's own directory, never to be counted as the handler's. */
  readonly dir: string;
  /** Every path recorded since the last `keep`, each once. */
  paths(): string[];
  /** Replaces the list with `paths` (those still there), so that the next read stats only what is left. */
  keep(paths: readonly string[]): void;
  stop(): void;
}

/**
 * Starts recording the paths under /tmp that the handler's own fs calls create; `stop` ends it (the fs functions
 * are restored with the last recorder). A handler that writes from native code or a child process is not seen
 * here: a process environment with its own /tmp sees those.
 */
export function recordTmpWrites(): TmpWrites {
  const dir = makeEnvironmentDir();
  const file = join(dir, 'tmp-writes');
  const recorder: Recorder = { dir, file, fd: openSync(file, 'a'), last: '' };
  if (recorders.size === 0) install();
  recorders.add(recorder);
  return {
    dir,
    paths: () => [...new Set(readFileSync(file, 'utf8').split('\n'))].filter((path) => path !== ''),
    keep(paths) {
      writeFileSync(file, paths.length > 0 ? `${paths.join('\n')}\n` : '');
      recorder.last = '';
    },
    stop() {
      if (!recorders.delete(recorder)) return;
      if (recorders.size === 0) uninstall();
      closeSync(recorder.fd);
      removeEnvironmentDir(dir);
    },
  };
}
