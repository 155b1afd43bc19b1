// warmleak's public surface, grouped by the folder each part lives in: assert, bench, check, config, events,
// runtime. Anything else exported says why it is here.
// ---- assert: expectNoStateLeak and the Vitest/Jest matchers -----------------------------------------------
export { expectNoStateLeak, StateLeakError } from './assert/expect-no-state-leak.js';
// The failure message's words, for a test runner or a reporter of one's own.
export { leakMessage, noLeakMessage } from './assert/failure-message.js';
export {
  type MatcherResult,
  type MemoryOptions,
  matchers,
  type WarmleakMatchers,
} from './assert/matchers.js';

// ---- bench: cold and warm duration, cost, the environment-pool model --------------------------------------
export {
  billedDurationMs,
  costPerMillion,
  costTable,
  type LambdaPricing,
  X86_US_EAST_1_PRICING,
} from './bench/cost.js';
export {
  SIMULATION_DEFAULTS,
  type SimulationOptions,
  type SimulationResult,
  simulatePool,
} from './bench/simulate.js';
export {
  type HandlerSimulationResult,
  type MeasuredHandlerDuration,
  simulateHandler,
} from './bench/simulate-handler.js';
export {
  type BenchIsolation,
  type BenchWarmColdOptions,
  benchWarmCold,
  formatWarmCold,
  type WarmColdResult,
} from './bench/warm-cold.js';

// ---- check: run one and read its report (the report's types are at the end) -------------------------------
export { CHECK_DEFAULTS, runCheck } from './check/index.js';
export type { CheckOptions } from './check-options.js';

// ---- config: warmleak.config.ts ---------------------------------------------------------------------------
export { defineConfig, type HandlerSettings, type WarmleakConfig } from './config/index.js';
// The typed errors a user can hit, from any part.
export { HandlerLoadError, InvalidEventError, InvocationError, UsageError, WarmleakError } from './errors.js';

// ---- events: Lambda trigger events ------------------------------------------------------------------------
export {
  albEvent,
  apiGatewayHttpEvent,
  apiGatewayRestEvent,
  createEvent,
  type DeepPartial,
  dynamoDbStreamEvent,
  EVENT_TYPES,
  type EventType,
  type EventTypeMap,
  eventAt,
  eventBridgeEvent,
  functionUrlEvent,
  isEventType,
  s3Event,
  scheduledEvent,
  snsEvent,
  sqsEvent,
} from './events/index.js';

// ---- runtime: one Lambda execution environment, and what it leaves behind ---------------------------------
// What a check kills and removes at its end, for a harness that drives an Environment itself.
export { type CleanupSummary, cleanupLeftovers } from './probes/cleanup.js';
export { createContext, Environment, LAMBDA_RUNTIMES, parseHandlerSpec } from './runtime/environment.js';
export { readEventFile } from './runtime/event-source.js';
export type * from './runtime/types.js';
// The report's plain types (the JSON contract).
export type * from './types.js';
