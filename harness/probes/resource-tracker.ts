// Records the async resources (timers, sockets, servers, child processes, watchers, file handles) created
// while an environment lives, with where user code created them, so probes can count the live ones.

import type { AsyncHook } from 'node:async_hooks';
import { createHook } from 'node:async_hooks';
import { findSourceMap } from 'node:module';
import { dirname, isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isHandlerWork } from '../runtime/handler-scope.js';
import { ownStack } from '../runtime/own-stack.js';
import { isOwnWork } from '../runtime/own-work.js';

/** async_hooks resource types worth a creation stack: long-lived handles and fire-and-forget work. */
export const TRACKED_TYPES: ReadonlySet<string> = new Set([
  'Timeout',
  'Immediate',
  'TCPWRAP',
  'TCPSERVERWRAP',
  'PIPEWRAP',
  'PIPESERVERWRAP',
  'UDPWRAP',
  'PROCESSWRAP',
  'FSEVENTWRAP',
  'STATWATCHER',
  'FILEHANDLE',
  'SIGNALWRAP',
  'WORKER',
  'HTTPCLIENTREQUEST',
]);

/** One resource created while the tracker was on. */
export interface TrackedResource {
  asyncId: number;
  type: string;
  /** Weak, so that tracking never keeps a closed handle or a fired timer's closure alive. */
  ref: WeakRef<object>;
  /** Holds a V8 stack until someone asks for the site; formatting is deferred because it costs more than capture. */
  stackHolder?: { stack?: string };
  /** Formatted once, then the holder is dropped. */
  site?: string | null;
  /** Whether user code itself called the API that created it (see calledByUserCode); read with the site. */
  calledByUser?: boolean;
  /** Order of creation across the tracker's life, so per-invocation windows are ranges. */
  seq: number;
  /** Created by the handler's load or invocations (their async context), not by the host around them. */
  byHandler: boolean;
  /** The resource whose callback created this one: where to look for a site when no user frame was on the stack. */
  trigger: number;
}

/**
 * Types that are not measured but often create a measured handle from their callback (a server
 * listening on an address after a lookup, a socket after a connect); kept briefly so sites can be inherited.
 */
const RELAY_TYPES: ReadonlySet<string> = new Set([
  'TickObject',
  'GETADDRINFOREQWRAP',
  'TCPCONNECTWRAP',
  'PIPECONNECTWRAP',
  'FSREQCALLBACK',
  'FSREQPROMISE',
]);

/**
 * How many relay records to keep: enough to bridge a callback, and few enough that the cap is reached during
 * warm-up, so warmleak's own bookkeeping is a plateau, not a slope in the heap series it measures.
 */
const RELAY_LIMIT = 512;

/** How many trigger links to follow looking for a user frame. */
const TRIGGER_DEPTH = 8;

// Where this file lives decides which stack frames are the harness's own: `harness/` in the source tree,
// `dist/` once built (and the whole package sits in node_modules for users anyway).
const here = dirname(fileURLToPath(import.meta.url));
const harnessDir = here.endsWith('/probes') ? dirname(here) : here;
const harnessFiles = new Set<string>();

/** Marks a file whose frames are a harness's, not the handler's (a spec's own driving loop). */
export function treatAsHarness(file: string): void {
  harnessFiles.add(file.startsWith('file://') ? fileURLToPath(file) : file);
}

/** Deep enough to get past puppeteer's and the AWS SDK's own frames to the handler's line. */
const STACK_DEPTH = 40;

/**
 * Records kept at once, in slots allocated when tracking first starts and reused for the process's life: the
 * tracker's own footprint in the heap it measures is a constant, never a slope.
 */
export const RECORD_SLOTS = 16_384;
/** One invocation's records a pending check looks at; a handler creating more in one call has the rest unseen. */
export const WINDOW_SLOTS = 1_024;

export class ResourceTracker {
  private records: Array<TrackedResource | undefined> = [];
  private ids = new Float64Array(0);
  private free = new Int32Array(0);
  private freeCount = 0;
  /** A ring: the newest RELAY_LIMIT relays, oldest overwritten first. */
  private relays: Array<TrackedResource | undefined> = [];
  private relayIds = new Float64Array(0);
  private relayNext = 0;
  private window: Array<TrackedResource | undefined> = [];
  private windowCount = -1;
  private hook: AsyncHook | undefined;
  private users = 0;
  private seq = 0;
  private insertsSincePrune = 0;
  /** Live resources not recorded because every slot was taken. */
  overflow = 0;

  /** Start (or join) tracking; pair each call with `release`. */
  acquire(): void {
    this.users += 1;
    if (this.hook) return;
    if (this.records.length === 0) this.allocate();
    // Only `init`: a destroy hook would make V8 track every promise's collection, which costs far more.
    this.hook = createHook({
      init: (asyncId, type, trigger, resource) => this.onInit(asyncId, type, trigger, resource),
    });
    this.hook.enable();
  }

  private allocate(): void {
    this.records = new Array(RECORD_SLOTS).fill(undefined);
    this.ids = new Float64Array(RECORD_SLOTS);
    this.free = new Int32Array(RECORD_SLOTS);
    this.relays = new Array(RELAY_LIMIT).fill(undefined);
    this.relayIds = new Float64Array(RELAY_LIMIT);
    this.window = new Array(WINDOW_SLOTS).fill(undefined);
    this.forgetAll();
  }

  private forgetAll(): void {
    this.records.fill(undefined);
    this.relays.fill(undefined);
    this.window.fill(undefined);
    this.ids.fill(0);
    this.relayIds.fill(0);
    // Slots are handed out from the top of the free list: slot 0 first.
    for (let i = 0; i < RECORD_SLOTS; i++) this.free[i] = RECORD_SLOTS - 1 - i;
    this.freeCount = this.records.length;
    this.relayNext = 0;
    this.windowCount = -1;
    this.overflow = 0;
  }

  /** Leave tracking; the last user turns the hook off and forgets every record (the slots stay for the next run). */
  release(): void {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0) return;
    this.hook?.disable();
    this.hook = undefined;
    this.forgetAll();
  }

  get active(): boolean {
    return this.hook !== undefined;
  }

  /** The sequence number the next resource will get; an invocation's resources are `[startSeq, endSeq)`. */
  get nextSeq(): number {
    return this.seq;
  }

  private onInit(asyncId: number, type: string, trigger: number, resource: object): void {
    const tracked = TRACKED_TYPES.has(type);
    if ((!tracked && !RELAY_TYPES.has(type)) || isOwnWork() || isReusedHandle(resource)) return;
    const stackHolder: { stack?: string } = {};
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = STACK_DEPTH;
    Error.captureStackTrace(stackHolder);
    Error.stackTraceLimit = limit;
    const byHandler = isHandlerWork();
    const record = {
      asyncId,
      type,
      ref: new WeakRef(resource),
      stackHolder,
      seq: this.seq++,
      trigger,
      byHandler,
    };
    if (!tracked) {
      this.relays[this.relayNext] = record;
      this.relayIds[this.relayNext] = asyncId;
      this.relayNext = (this.relayNext + 1) % RELAY_LIMIT;
      return;
    }
    // Keep slots free when nobody samples for a while (a run with only the cleanup probe).
    if (++this.insertsSincePrune >= 2048 || this.freeCount === 0) this.prune();
    if (this.freeCount === 0) {
      this.overflow += 1;
      return;
    }
    const slot = this.free[--this.freeCount];
    this.records[slot] = record;
    this.ids[slot] = asyncId;
    if (this.windowCount >= 0 && this.windowCount < WINDOW_SLOTS) this.window[this.windowCount++] = record;
  }

  /** The record (or relay) of a live async id, by a scan of the id slots: only sites up a trigger chain ask. */
  private byAsyncId(asyncId: number): TrackedResource | undefined {
    const slot = this.ids.indexOf(asyncId);
    if (slot !== -1 && this.records[slot]?.asyncId === asyncId) return this.records[slot];
    const relay = this.relayIds.indexOf(asyncId);
    if (relay !== -1 && this.relays[relay]?.asyncId === asyncId) return this.relays[relay];
    return undefined;
  }

  /**
   * The record's own user site, or the nearest one up its trigger chain (work created from a callback). A site in
   * a dependency is kept only when no user frame is up the chain: ioredis opens its socket from a nextTick that
   * the handler's `new Redis()` scheduled, and the handler's line is the one to fix.
   */
  siteOf(record: TrackedResource, projectRoot: string): string | undefined {
    let current: TrackedResource | undefined = record;
    let dependency: string | undefined;
    for (let depth = 0; current && depth < TRIGGER_DEPTH; depth++) {
      const site = siteOf(current, projectRoot);
      if (site !== undefined && !site.includes('node_modules/')) {
        if (current !== record) record.site = site;
        return site;
      }
      dependency ??= site;
      current = current.trigger > 0 ? this.byAsyncId(current.trigger) : undefined;
    }
    if (dependency !== undefined) record.site = dependency;
    return dependency;
  }

  /** Drops records of resources that are closed, fired or collected, and frees their slots. */
  prune(): void {
    this.insertsSincePrune = 0;
    for (let slot = 0; slot < this.records.length; slot++) {
      const record = this.records[slot];
      if (record === undefined || isAlive(record)) continue;
      this.records[slot] = undefined;
      this.ids[slot] = 0;
      this.free[this.freeCount++] = slot;
    }
  }

  /** Live resources created while tracking, oldest first. */
  alive(): TrackedResource[] {
    this.prune();
    const out: TrackedResource[] = [];
    for (const record of this.records) if (record !== undefined) out.push(record);
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** Starts collecting the records created from now on (one invocation's), without scanning every record later. */
  openWindow(): void {
    this.windowCount = 0;
  }

  /** Visits the records created since `openWindow`, alive or not (a pending check decides what still counts). */
  closeWindow(visit: (record: TrackedResource) => void): void {
    const count = Math.max(0, this.windowCount);
    this.windowCount = -1;
    for (let i = 0; i < count; i++) {
      const record = this.window[i] as TrackedResource;
      this.window[i] = undefined;
      visit(record);
    }
  }
}

/**
 * Node's http Agent, handing a kept-alive socket to its next request, announces the same native handle again under
 * a new async id, wrapped in a `ReusedHandle` (nodejs/node#23201). The socket was recorded when it was created;
 * recording it again would count one socket once per request.
 */
function isReusedHandle(resource: object): boolean {
  return (
    resource.constructor?.name === 'ReusedHandle' &&
    typeof (resource as { handle?: unknown }).handle === 'object'
  );
}

/** The one tracker the resource probes of this process share, so each resource is hooked once. */
export const sharedTracker = new ResourceTracker();

/** The resource's user-facing object: the Socket, Server or ChildProcess that owns a native handle. */
export function ownerOf(resource: object): Record<string | symbol, unknown> | undefined {
  for (const symbol of Object.getOwnPropertySymbols(resource)) {
    if (symbol.description === 'owner_symbol') {
      return (resource as Record<symbol, Record<string | symbol, unknown> | undefined>)[symbol];
    }
  }
  return undefined;
}

/** Whether a tracked resource still holds the event loop's attention (open handle, unfired timer). */
export function isAlive(record: TrackedResource): boolean {
  const resource = record.ref.deref() as Record<string, unknown> | undefined;
  if (!resource) return false;
  switch (record.type) {
    case 'Timeout':
    case 'Immediate':
      return resource._destroyed === false;
    case 'FILEHANDLE':
      return typeof resource.fd === 'number' && resource.fd >= 0;
    case 'HTTPCLIENTREQUEST': {
      // The async resource wraps the ClientRequest (`.req`); an upgraded request (a WebSocket) is done as a request.
      const request = (resource.req ?? resource) as Record<string, unknown>;
      const response = request.res as Record<string, unknown> | undefined | null;
      const socket = request.socket as Record<string, unknown> | undefined | null;
      return !(
        request.destroyed === true ||
        request.upgradeOrConnect === true ||
        response?.complete === true ||
        socket?.destroyed === true
      );
    }
    default: {
      // A closing handle still answers hasRef() until libuv calls back, but its owner has let go of it already.
      const owner = ownerOf(resource);
      if (owner && Object.hasOwn(owner, '_handle') && owner._handle !== resource) return false;
      // Native handle wraps answer hasRef() with a boolean while open and with nothing once closed.
      const hasRef = resource.hasRef;
      if (typeof hasRef === 'function') return typeof hasRef.call(resource) === 'boolean';
      return true;
    }
  }
}

/**
 * Reads the record's creation stack once: its site and whether user code called the API, then drops the stack.
 * A formatted stack kept on the record (~1 KB) would be the harness's own heap growth until the record goes.
 */
function readStack(record: TrackedResource, projectRoot: string): void {
  if (record.site !== undefined) return;
  const stack = ownStack(record.stackHolder);
  record.site = userSite(stack, projectRoot);
  record.calledByUser = calledByUserCode(stack);
  record.stackHolder = undefined;
}

/** `file:line:col` of the first user frame of the record's creation stack, relative to `projectRoot`. */
export function siteOf(record: TrackedResource, projectRoot: string): string | undefined {
  readStack(record, projectRoot);
  return record.site ?? undefined;
}

/** Whether user code called the timer (or other) API that created the record, not a library on its behalf. */
export function createdByUserCall(record: TrackedResource, projectRoot: string): boolean {
  readStack(record, projectRoot);
  return record.calledByUser === true;
}

/** The original source position of a generated one (TypeScript through tsx), when Node holds its source map. */
function originalPosition(url: string, line: number, column: number): [number, number] {
  try {
    const entry = findSourceMap(url)?.findEntry(line - 1, column - 1) as
      | { originalLine?: number; originalColumn?: number }
      | undefined;
    if (entry && typeof entry.originalLine === 'number' && typeof entry.originalColumn === 'number') {
      return [entry.originalLine + 1, entry.originalColumn + 1];
    }
  } catch {
    // no usable map: keep the generated position
  }
  return [line, column];
}

/** Whether a record was created by user code (or a dependency it called) rather than by warmleak itself. */
export function isHarnessOwned(record: TrackedResource, projectRoot: string): boolean {
  return siteOf(record, projectRoot) === undefined;
}

const LOCATION = /^(.*):(\d+):(\d+)$/;

/** The `file:line:col` part of one V8 stack line: inside the last parentheses, or the whole frame when unnamed. */
function frameLocation(line: string): string | undefined {
  const frame = line.trim();
  if (!frame.startsWith('at ')) return undefined;
  if (frame.endsWith(')')) return frame.slice(frame.lastIndexOf('(') + 1, -1);
  return frame.slice(3).replace(/^async /, '');
}

/** Frames of the timer APIs themselves, between the hook's frames and whoever called `setTimeout`/`setImmediate`. */
const TIMER_API_FRAME =
  /^(node:timers|node:internal\/timers|node:internal\/async_hooks|timers\.js|node:internal\/process\/task_queues)/;

/**
 * Whether user code called the timer API itself, rather than a library or Node's own internals on its behalf
 * (undici's keep-alive and body timers under `fetch`, an SDK's socket timeouts): those are the library's
 * housekeeping, replaced on the next request, not work the handler left behind.
 */
export function calledByUserCode(stack: string | undefined): boolean {
  if (!stack) return false;
  let pastHook = false;
  for (const frame of stack.split('\n').slice(1)) {
    const location = frameLocation(frame) ?? '';
    const url = LOCATION.exec(location)?.[1] ?? location;
    const file = url.startsWith('file://') ? fileURLToPath(url) : url;
    const harness = file.startsWith(`${harnessDir}/`) || harnessFiles.has(file);
    if (harness && !pastHook) continue;
    pastHook = true;
    if (harness) return false;
    if (file === '' || TIMER_API_FRAME.test(file)) continue;
    return isAbsolute(file) && !file.includes('/node_modules/');
  }
  return false;
}

/**
 * Picks the first frame outside node internals and node_modules; falls back to the first node_modules
 * frame when no user frame exists. Returns null when warmleak (or only Node) created the resource. The picked
 * frame's position is source-mapped here: warmleak reads its own stacks unmapped (see ownStack), or with a test
 * runner's formatter, which leaves the handler's modules (loaded through tsx) at generated positions.
 */
export function userSite(stack: string | undefined, projectRoot: string): string | null {
  if (!stack) return null;
  let dependencyFrame: string | null = null;
  let pastHook = false;
  for (const frame of stack.split('\n').slice(1)) {
    const location = frameLocation(frame);
    const match = location ? LOCATION.exec(location) : null;
    const url = match?.[1] ?? '';
    let file = url;
    if (file.startsWith('file://')) file = fileURLToPath(file);
    const harness = file.startsWith(`${harnessDir}/`) || harnessFiles.has(file);
    // The hook's own frames come first; any warmleak frame after them means warmleak created the
    // resource, and frames below it are its callers (a spec calling the check), not the creator.
    if (harness && !pastHook) continue;
    pastHook = true;
    if (harness) return null;
    if (!match || !isAbsolute(file)) continue; // node:internal/..., native, eval
    const [line, column] = originalPosition(url, Number(match[2]), Number(match[3]));
    const site = `${relative(projectRoot, file)}:${line}:${column}`;
    if (file.includes('/node_modules/')) {
      dependencyFrame ??= site;
      continue;
    }
    return site;
  }
  return dependencyFrame;
}
