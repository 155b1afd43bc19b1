// warmleak's public surface: run a check, assert on it, and the plain types of its report.
export { expectNoStateLeak, StateLeakError } from './assert/expect-no-state-leak.js';
export { leakMessage, noLeakMessage } from './assert/failure-message.js';
export {
  type MatcherResult,
  type MemoryOptions,
  matchers,
  type WarmleakMatchers,
} from './assert/matchers.js';
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
export { CHECK_DEFAULTS, runCheck } from './check/index.js';
export type { CheckOptions } from './check-options.js';
export type { HandlerSettings, WarmleakConfig } from './config/index.js';
export { HandlerLoadError, InvalidEventError, InvocationError, UsageError, WarmleakError } from './errors.js';
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
export { type CleanupSummary, cleanupLeftovers } from './probes/cleanup.js';
export { createContext, Environment, LAMBDA_RUNTIMES, parseHandlerSpec } from './runtime/environment.js';
export { readEventFile } from './runtime/event-source.js';
export type * from './runtime/types.js';
export type * from './types.js';
