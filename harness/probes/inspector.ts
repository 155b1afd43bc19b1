// A same-thread `node:inspector` session for probes: synchronous protocol calls, RemoteObject ids for live
// values in any execution context (Vitest, Jest's vm context, CommonJS, native ESM), and script ids mapped to files.
import { Session } from 'node:inspector';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostGlobal } from '../runtime/host.js';

/** The subset of the protocol's RemoteObject the probes read. */
export interface RemoteObject {
  type: string;
  subtype?: string;
  className?: string;
  description?: string;
  value?: unknown;
  objectId?: string;
}

export interface PropertyDescriptor {
  name: string;
  value?: RemoteObject;
  get?: RemoteObject;
  set?: RemoteObject;
  isOwn?: boolean;
  symbol?: RemoteObject;
}

export interface InternalProperty {
  name: string;
  value?: RemoteObject;
}

export interface Properties {
  result: PropertyDescriptor[];
  internalProperties?: InternalProperty[];
  /** `#field`s of a class instance: V8 lists them apart from own properties, without calling anything. */
  privateProperties?: PropertyDescriptor[];
}

/** Holds one target value on the global object only for the instant it takes to resolve its object id. */
const HANDOFF_KEY = '__warmleakInspectorHandoff__';

/**
 * One connected inspector session. Runtime.* and Debugger.enable answer synchronously on a same-thread session,
 * so `post` returns the result directly; a call that did not answer synchronously is an internal bug.
 */
export class InspectorSession {
  private readonly session = new Session();
  private readonly scriptUrls = new Map<string, string>();
  /** The execution context that last resolved a value (undefined: the default one). */
  private connected = false;
  /** How many times unknown script ids sent it to learn script URLs (coverage, then Debugger if still unknown). */
  scriptRefreshes = 0;
  /** Protocol round trips since the counter was last reset, for cost reports. */
  roundTrips = 0;

  constructor() {
    this.session.connect();
    this.connected = true;
    this.session.on('Debugger.scriptParsed', (message: { params: { scriptId: string; url: string } }) => {
      this.scriptUrls.set(message.params.scriptId, message.params.url);
    });
  }

  post<T = any>(method: string, params?: object): T {
    let answered = false;
    let failure: Error | null = null;
    let result: T | undefined;
    this.roundTrips++;
    // node:inspector serialises messages with JSON: a handler's `Object.prototype.toJSON` would corrupt every one.
    // Set aside for this synchronous call only, so the handler never sees it missing.
    const toJSON = Object.getOwnPropertyDescriptor(Object.prototype, 'toJSON');
    if (toJSON) Reflect.deleteProperty(Object.prototype, 'toJSON');
    try {
      this.session.post(method, params as never, (error: Error | null, value?: unknown) => {
        answered = true;
        failure = error;
        result = value as T;
      });
    } finally {
      if (toJSON) Reflect.defineProperty(Object.prototype, 'toJSON', toJSON);
    }
    if (!answered) throw new Error(`inspector: ${method} did not answer synchronously`);
    if (failure) throw failure;
    return result as T;
  }

  /** Own properties and internal properties; the answer's objects join the group of `objectId`. */
  getProperties(objectId: string): Properties {
    return this.post<Properties>('Runtime.getProperties', { objectId, ownProperties: true });
  }

  release(objectGroup: string): void {
    if (this.connected) this.post('Runtime.releaseObjectGroup', { objectGroup });
  }

  /**
   * The URL of a script, learning new scripts when the id is unknown: first from V8's best-effort coverage (a list
   * of the scripts whose functions are compiled, with their URLs; a heap walk of a few ms that changes nothing),
   * then, for a script it does not list, with a Debugger.enable/disable pair. The first Debugger.enable in a
   * process costs 40-120 ms (V8 makes every function debuggable), a third of a process environment's start.
   * The debugger stays off between checkpoints so the handler runs at full speed.
   */
  scriptUrl(scriptId: string): string | undefined {
    if (!this.scriptUrls.has(scriptId)) {
      this.scriptRefreshes++;
      this.learnFromCoverage();
      if (!this.scriptUrls.has(scriptId)) {
        this.post('Debugger.enable');
        this.post('Debugger.disable');
      }
      // Unknown after a refresh means a script Debugger does not report (native); remember that.
      if (!this.scriptUrls.has(scriptId)) this.scriptUrls.set(scriptId, '');
    }
    return this.scriptUrls.get(scriptId) || undefined;
  }

  /** Script ids and URLs from `Profiler.getBestEffortCoverage`: no profiler or debugger is left running. */
  private learnFromCoverage(): void {
    const coverage = this.post<{ result: { scriptId: string; url: string }[] }>(
      'Profiler.getBestEffortCoverage',
    );
    for (const script of coverage.result) this.scriptUrls.set(script.scriptId, script.url);
  }

  /**
   * A RemoteObject id for a live value, kept in `objectGroup` until released. The value is handed over on
   * this context's global object; when the default context does not see it (Jest runs tests in a vm context),
   * every execution context is tried.
   */
  objectIdOf(value: object | Function, objectGroup: string): string {
    // Handed over on the main context's global, where Runtime.evaluate looks by default: under Jest, warmleak and
    // the handler live in a sandbox context, but one isolate's contexts can reach each other's objects. Evaluating
    // in other execution contexts by id is not safe: a vm context being collected crashes V8 (seen on Node 24).
    Object.defineProperty(hostGlobal, HANDOFF_KEY, {
      value,
      configurable: true,
      enumerable: false,
      writable: true,
    });
    try {
      const found = this.post('Runtime.evaluate', {
        expression: `globalThis.${HANDOFF_KEY}`,
        objectGroup,
        silent: true,
      }).result?.objectId as string | undefined;
      if (!found) throw new Error('inspector: the value is not reachable from the main context');
      return found;
    } finally {
      delete (hostGlobal as Record<string, unknown>)[HANDOFF_KEY];
    }
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    this.session.disconnect();
  }
}

/** The file a script URL names: file URLs, plain paths (CommonJS, Jest), and tsx's `data:` URLs with `filePath=`. */
export function fileOfScriptUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('data:')) {
    const match = /[?&]filePath=([^&#]+)$/.exec(url);
    return match ? decodeURIComponent(match[1]) : undefined;
  }
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url.replace(/[?#].*$/, ''));
    } catch {
      return undefined;
    }
  }
  const path = url.replace(/[?#].*$/, '');
  return isAbsolute(path) ? path : undefined;
}

/** A file relative to the project root with forward slashes: `specs/fixtures/lib/metrics.ts`. */
export function moduleName(file: string, projectRoot: string): string {
  const name = relative(projectRoot, file);
  return name.split('\\').join('/');
}

/** The number in a RemoteObject description such as `Array(4)`, `Map(2)`, `Uint8Array(16)`. */
export function describedSize(remote: RemoteObject): number | undefined {
  const match = /\((\d+)\)$/.exec(remote.description ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The internal property of a function or object by name (`[[Scopes]]`, `[[FunctionLocation]]`). */
export function internal(properties: Properties, name: string): RemoteObject | undefined {
  return properties.internalProperties?.find((property) => property.name === name)?.value;
}
