// Plain, serialisable data shared by every part of the flow: probes emit measurements, analysis turns
// them into findings, a report carries findings, and reporters format reports (see DESIGN.md contracts).
import type { EventProgram } from './events/program.js';

/** What kind of thing grew or outlived its invocation. */
export type FindingKind =
  | 'state'
  | 'global'
  | 'heap'
  | 'handle'
  | 'process'
  | 'listener'
  | 'tmp'
  | 'pending'
  | 'carry-over';

export type Unit = 'elements' | 'bytes' | 'handles' | 'files' | 'listeners' | 'characters' | 'keys';

/** [invocations completed, value] */
export type SeriesPoint = [number, number];

/** One thing that grew or outlived its invocation. */
export interface Finding {
  kind: FindingKind;
  /** Variable, global, handle type or event name, in the user's words: `arrayB`, `process.on('beforeExit')`. */
  name: string;
  /** Property path below the variable when the growth is nested: `tracer.finished`. */
  path?: string;
  /** Source file relative to the project root: `src/lib/metrics.ts`. */
  module?: string;
  /** Carry-over findings: the event field whose value reached another request (`headers.authorization`). */
  field?: string;
  /** `file:line:column` where the thing was created, when known. */
  site?: string;
  growthPerInvocation: number;
  unit: Unit;
  series: SeriesPoint[];
  /** One sentence a person can act on. */
  message: string;
  /** Heap findings: what grew per invocation by constructor (`AuditEntry +1/invocation, 48 B`). */
  constructors?: Array<{ name: string; countPerInvocation: number; bytesPerInvocation: number }>;
  /** Heap findings: who holds the growth (`(closure scope of handler) -> audit -> pending -> AuditEntry`). */
  retainers?: string[];
}

export interface HeapReport {
  bytesPerInvocation: number;
  ci95: [number, number];
  /** The fitted Theil-Sen line's heapUsed at invocation 0: heapUsed ≈ intercept + bytesPerInvocation × invocations. */
  intercept?: number;
  /** [invocations completed, heapUsed bytes after a full GC] */
  series: SeriesPoint[];
  external?: { bytesPerInvocation: number; series: SeriesPoint[] };
  arrayBuffers?: { bytesPerInvocation: number; series: SeriesPoint[] };
}

export interface WarmTiming {
  p50: number;
  p99: number;
  mean: number;
}

export interface TimingReport {
  initMs: number;
  firstInvocationMs: number;
  warm: WarmTiming;
  /** The warm-duration distribution: [quantile 0..1, ms], from the fastest (0) to the slowest (1) invocation. */
  warmQuantiles?: SeriesPoint[];
}

export type Verdict = 'pass' | 'leak';

/** The JSON contract of `warmleak check --json` (DESIGN.md). Fields may be added, never renamed. */
export interface Report {
  verdict: Verdict;
  handler: string;
  invocations: number;
  findings: Finding[];
  heap: HeapReport;
  timing: TimingReport;
  /** What was sampled and passed, for the failure message's "checked" part. */
  checked?: string[];
  /** The probes that found nothing: `checked` without those that reported a finding. */
  passed?: string[];
  /** The run as planned: `invocations` is what a rerun should ask for (the report's own count adds phases). */
  plan?: { warmup: number; invocations: number; checkpoints: number };
  /** Invocations that threw or returned an error, by Lambda's errorType; the check went on after each. */
  errors?: ErrorsReport;
  /** What the check noted besides its findings; `checked` carries the same notes in words. */
  notes?: CheckNote[];
  /** Open handles and event listeners at each checkpoint, in total, whether or not they grew. */
  resources?: { handles: SeriesPoint[]; listeners: SeriesPoint[] };
  /** When the heap's steady growth reaches the function's memory size. */
  forecast?: MemoryForecast;
  /** How the check's wall-clock time divided. */
  time?: TimeSplit;
}

/**
 * Where a check's time went, in ms: `startupMs` starting the environment (its process, when isolated, and the
 * handler's load and the probes' start), `measurementMs` invocations and checkpoints, `analysisMs` deciding from
 * the series, naming what grew and building the report.
 */
export interface TimeSplit {
  startupMs: number;
  measurementMs: number;
  analysisMs: number;
}

/** The out-of-memory forecast as data: a line from the last heap checkpoint towards the memory size. */
export interface MemoryForecast {
  memorySizeMB: number;
  /** Steady heap growth the forecast extends (0 when the heap's 95% interval does not lie above the floor). */
  bytesPerInvocation: number;
  /** [invocations completed, heapUsed + external bytes] the line starts from. */
  from: SeriesPoint;
  /** Invocations from `from` until the memory size is reached; null when nothing grows. */
  invocationsUntilLimit: number | null;
  message: string;
}

/** The report's `errors` field: how many invocations failed, by errorType, and the first failure. */
export interface ErrorsReport {
  count: number;
  byType: Record<string, number>;
  /** The first error, with the 0-based invocation it happened in. */
  first?: { errorType: string; errorMessage: string; invocation: number };
}

/** A note of a check, as data; reporters word it (harness/check/notes.ts). */
export type CheckNote =
  /** A slow handler could not run enough invocations in the time budget for a heap slope to be trusted. */
  | { kind: 'heap-inconclusive'; invocations: number; needed: number }
  /** Heap growth kept only by test doubles' call history (aws-sdk-client-mock, jest.fn): the test's, not the handler's. */
  | { kind: 'test-doubles'; bytesPerInvocation: number; withoutTestDoubles: number }
  /**
   * A growing series of a function passed in (not `file#export`) already held `before` at invocation 0: state the
   * shared module kept from earlier tests (or its import). `suggestion` is the `'path#export'` form to check instead.
   */
  | { kind: 'imported-state'; name: string; module?: string; before: number; unit: Unit; suggestion: string }
  /** The handler logged more than the environment's fixed log buffer holds: transcripts lost their first lines. */
  | { kind: 'logs-dropped'; droppedRecords: number; invocations: number };

/**
 * One number a probe read at a checkpoint. Measurements with the same `key` across checkpoints form a
 * series; analysis decides from the series whether it grows.
 */
export interface Measurement {
  /** Stable identity across checkpoints, e.g. `state:specs/fixtures/arrays.cjs:arrayB`. */
  key: string;
  kind: FindingKind;
  name: string;
  path?: string;
  module?: string;
  site?: string;
  unit: Unit;
  value: number;
  /** Carry-over: the event field the measurement is about. */
  field?: string;
  /** Carry-over: what was seen first, for the finding's sentence (kept from the key's first measurement). */
  note?: string;
}

/** What a probe may look at. The handler is the function Lambda would call. */
export interface ProbeTarget {
  handler: Function;
  /** Absolute path of the handler's file when loaded from a file. */
  file?: string;
  /** Directory that module paths are reported relative to. */
  projectRoot: string;
  /** The environment's private /tmp. */
  tmpDir?: string;
  /** The compiled events of the run, whose generated values are canaries; absent for an event function. */
  events?: EventProgram;
  /** Report request data module-scope variables still hold after their invocation ended. */
  strict?: boolean;
}

/** What an invocation answered, for probes that look at responses and log lines. */
export interface InvocationOutput {
  response?: unknown;
  logLines: string[];
}

/**
 * One kind of measurement. Probes measure; they never decide what leaks. The check calls `start` once after
 * load, `sample` at each checkpoint (between invocations, in registry order) and `stop` once at the end.
 */
export interface Probe {
  readonly name: string;
  /** The finding kinds this probe's measurements carry; the registry runs it when any of them is wanted. */
  readonly kinds: readonly FindingKind[];
  /** Called once after load, before warm-up. */
  start?(target: ProbeTarget): void | Promise<void>;
  /** Sample the environment at a checkpoint (between invocations). */
  sample(target: ProbeTarget): Measurement[] | Promise<Measurement[]>;
  /** Called once when the run ends, also after a failure; undoes what `start` set up. */
  stop?(target: ProbeTarget): void | Promise<void>;
  /** Drops bookkeeping of what is gone, before any probe samples (so none of it shows up in the heap). */
  compact?(): void;
  /** Optional per-invocation boundaries, for probes that attribute work to the invocation that created it. */
  invocationStarted?(index: number): void;
  invocationEnded?(index: number, output?: InvocationOutput): void;
}
