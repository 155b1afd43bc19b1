// Matcher logic written once for Vitest and Jest: each returns `{ pass, message }` from a check report.

import { runCheck } from '../check/index.js';
import type { CheckOptions } from '../check-options.js';
import type { HandlerSource } from '../runtime/types.js';
import type { FindingKind } from '../types.js';
import { leakMessage, noLeakMessage } from './failure-message.js';

export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

export const HANDLE_KINDS: FindingKind[] = ['handle', 'process', 'pending', 'tmp', 'listener'];

async function leakMatcher(
  received: unknown,
  options: CheckOptions,
  subject: string,
): Promise<MatcherResult> {
  const report = await runCheck(received as HandlerSource, options);
  const pass = report.verdict === 'leak';
  return {
    pass,
    message: () => (pass ? leakMessage(report, subject, options) : noLeakMessage(report, subject)),
  };
}

export interface MemoryOptions extends CheckOptions {
  /** Heap growth above this (lower bound of the 95% interval) fails. Default 32. */
  maxBytesPerInvocation?: number;
}

export const matchers = {
  /** `await expect(handler).not.toLeakState()`: every probe, as `expectNoStateLeak`. */
  toLeakState(received: unknown, options: CheckOptions = {}): Promise<MatcherResult> {
    return leakMatcher(received, options, 'state');
  },
  /** `await expect(handler).not.toLeakMemory({ maxBytesPerInvocation })`: the heap slope only. */
  toLeakMemory(received: unknown, options: MemoryOptions = {}): Promise<MatcherResult> {
    return leakMatcher(received, { ...options, kinds: ['heap'] }, 'memory');
  },
  /** `await expect(handler).not.toLeakHandles()`: processes, sockets, timers, /tmp files, pending work, listeners. */
  toLeakHandles(received: unknown, options: CheckOptions = {}): Promise<MatcherResult> {
    return leakMatcher(received, { ...options, kinds: HANDLE_KINDS }, 'handles');
  },
};

/** The matchers as seen on `expect(handler)`; R is the framework's return type. */
export interface WarmleakMatchers<R = unknown> {
  toLeakState(options?: CheckOptions): R;
  toLeakMemory(options?: MemoryOptions): R;
  toLeakHandles(options?: CheckOptions): R;
}
