// warmleak's public surface: run a check, assert on it, and the plain types of its report.
export { expectNoStateLeak, StateLeakError } from './assert/expect-no-state-leak.js';
export { leakMessage, noLeakMessage } from './assert/failure-message.js';
export {
  type MatcherResult,
  type MemoryOptions,
  matchers,
  type WarmleakMatchers,
} from './assert/matchers.js';
export { CHECK_DEFAULTS, runCheck } from './check.js';
export type { CheckOptions } from './check-options.js';
export { HandlerLoadError, InvalidEventError, InvocationError, UsageError, WarmleakError } from './errors.js';
export { createContext, Environment, LAMBDA_RUNTIMES, parseHandlerSpec } from './runtime/environment.js';
export { readEventFile } from './runtime/event-source.js';
export { createEvent, EVENT_TYPES } from './events/index.js';
export type * from './runtime/types.js';
export type * from './types.js';
