// The session of a check: owns the environment, the probes, the series book and the durations; runs the phases
// and the snapshot pair the plan asks for, and decides nothing.
import type { HeapGrowthExplanation } from '../analysis/retainers.js';
import { SeriesBook } from '../analysis/series-book.js';
import type { CheckOptions } from '../check-options.js';
import { InvocationError } from '../errors.js';
import { eventAt } from '../events/index.js';
import { type EventProgram, eventOf, programOf } from '../events/program.js';
import { explainHeapGrowth } from '../probes/heap-diff.js';
import { createProbes } from '../probes/index.js';
import { recordTmpWrites, sharesLiteralTmp } from '../probes/tmp-writes.js';
import { Environment } from '../runtime/environment.js';
import { setupTestDoubles, type TestDoubles } from '../runtime/test-doubles.js';
import type { HandlerSource, LambdaError } from '../runtime/types.js';
import type { Probe, ProbeTarget } from '../types.js';
import { withEagerFeedback } from './eager-feedback.js';
import { errorHint, InvocationErrors } from './errors.js';
import { bookCapacity, invocationCapacity, type Measured, type PhaseRecord, type PhaseStep } from './plan.js';
import type { CheckPolicy } from './policy.js';

export class CheckSession {
  readonly book: SeriesBook;
  readonly phases: PhaseRecord[] = [];
  readonly errors = new InvocationErrors();
  /** Invocations completed so far; the x of the next checkpoint. */
  index = 0;
  firstInvocationMs = 0;
  secondInvocationMs: number | undefined;
  explanation: HeapGrowthExplanation | undefined;
  /** Called after every checkpoint: the caller may pass on what was found so far. */
  onCheckpoint: (() => void) | undefined;
  private readonly durations: Float64Array;
  private measuredCount = 0;
  private measuring = false;
  private readonly hooked: Probe[];
  private readonly heapProbes: Probe[];
  private readonly started: Probe[] = [];
  private readonly target: ProbeTarget;

  private constructor(
    readonly env: Environment,
    readonly probes: Probe[],
    readonly options: CheckOptions,
    private readonly policy: CheckPolicy,
    private readonly eventFor: (index: number) => unknown,
    private readonly doubles: TestDoubles[],
    program: EventProgram | undefined,
  ) {
    this.book = new SeriesBook(bookCapacity(options, policy));
    this.durations = new Float64Array(invocationCapacity(options, policy));
    this.hooked = probes.filter((p) => p.invocationStarted || p.invocationEnded);
    // The heap first (its GC runs before the handles probe allocates), then the handles: a socket or timer series
    // that wobbled in the main phase must still be named if it grows while only the heap is watched.
    this.heapProbes = probes.filter((p) => p.name === 'heap' || p.name === 'handles');
    const environment = env;
    this.target = {
      get handler() {
        return environment.handler;
      },
      file: env.file,
      projectRoot: env.projectRoot,
      tmpDir: env.tmpDir,
      events: program,
      strict: options.strict,
    };
  }

  /** Loads the environment (its cold start) and starts every probe. */
  static async open(
    source: HandlerSource,
    options: CheckOptions,
    policy: CheckPolicy,
  ): Promise<CheckSession> {
    const program = programOf(options.event, options.events, options.projectRoot ?? process.cwd());
    const eventFor = program
      ? (i: number) => eventOf(program, i)
      : (i: number) => eventAt(options.event as (index: number) => unknown, i);
    const probes = createProbes(options.kinds);
    // In a shared /tmp the tmp probe counts what the handler's fs calls create. The fs functions are wrapped before
    // the handler loads, so that one it takes at load (`const { writeFileSync } = require('fs')`) records too.
    const early =
      probes.some((probe) => probe.name === 'tmp') && sharesLiteralTmp() ? recordTmpWrites() : undefined;
    try {
      const env = await Environment.create(source, options);
      // Mocks a setup file registered are the environment's, not the spec's: their history is cleared at checkpoints.
      const doubles = options.setupFiles?.length ? await setupTestDoubles(env.projectRoot) : [];
      const session = new CheckSession(env, probes, options, policy, eventFor, doubles, program);
      try {
        // After the handler loaded: what the probes compile here is theirs, and their checkpoints call it again.
        await withEagerFeedback(async () => {
          for (const probe of session.probes) {
            await probe.start?.(session.target);
            session.started.push(probe);
          }
        });
      } catch (error) {
        await session.close();
        throw error;
      }
      return session;
    } finally {
      early?.stop();
    }
  }

  /** What has been measured so far, for the plan. */
  measured(): Measured {
    return {
      requested: this.options,
      book: this.book,
      phases: this.phases,
      secondInvocationMs: this.secondInvocationMs,
      meanWarmMs: mean(this.warmDurations()),
      explanation: this.explanation,
    };
  }

  warmDurations(): Float64Array {
    return this.durations.subarray(0, this.measuredCount);
  }

  /** Runs one phase: `points` checkpoints spread across its invocations, the first before any if asked. */
  async run(step: PhaseStep): Promise<void> {
    const startX = this.index;
    this.measuring = step.name !== 'warmup' && step.name !== 'warmup-rest';
    const only = step.heapOnly ? this.heapProbes : this.probes;
    let done = 0;
    for (let k = 0; k < step.points; k++) {
      const until = Math.round((step.invocations * k) / (step.points - 1));
      while (done < until) {
        await this.invoke();
        done++;
      }
      if (k > 0 || step.sampleFirst) await this.sample(only);
    }
    while (done < step.invocations) {
      await this.invoke();
      done++;
    }
    this.phases.push({ name: step.name, startX, endX: this.index });
  }

  /** Names what grows and who holds it: two heap snapshots around a short extra run. */
  async explain(invocations: number): Promise<void> {
    this.explanation = await explainHeapGrowth(
      async (n) => {
        for (let i = 0; i < n; i++) await this.invoke();
      },
      { invocations },
    );
  }

  async close(): Promise<void> {
    for (const probe of this.started.reverse()) await probe.stop?.(this.target);
    this.started.length = 0;
    await this.env.dispose();
    // The stubs a setup file registered belong to this environment: an inline check must not leave them on the
    // packages the host process (the next check, the next test) shares.
    for (const sandbox of this.doubles) sandbox.restore?.();
  }

  private sample(only: Probe[]): Promise<void> {
    return withEagerFeedback(async () => {
      for (const probe of this.probes) probe.compact?.();
      for (const double of this.doubles) double.resetHistory();
      this.book.checkpoint(this.index);
      for (const probe of only) this.book.record(await probe.sample(this.target));
      this.onCheckpoint?.();
    });
  }

  /**
   * One invocation. A handled error is an outcome: counted, and the check goes on (Lambda keeps the environment
   * warm after it). A timeout or a runtime failure ends the environment, and so the check.
   */
  private async invoke(): Promise<void> {
    const index = this.index;
    this.options.onInvocation?.(index);
    for (const p of this.hooked) p.invocationStarted?.(index);
    const result = await this.env.invoke(this.eventFor(index));
    for (const p of this.hooked) p.invocationEnded?.(index, result);
    if (result.error) this.failed(result.error, result.timedOut, index);
    if (index === 0) this.firstInvocationMs = result.durationMs;
    else {
      if (index === 1) this.secondInvocationMs = result.durationMs;
      if (this.measuring && this.measuredCount < this.durations.length)
        this.durations[this.measuredCount++] = result.durationMs;
    }
    this.index++;
    if (this.errors.count === this.index && this.index >= this.policy.allFailingAfter) this.allFailed();
  }

  private failed(error: LambdaError, timedOut: boolean, index: number): void {
    this.errors.add(error, index);
    if (!timedOut && !error.errorType.startsWith('Runtime.') && !error.errorType.startsWith('Sandbox.'))
      return;
    const why = timedOut
      ? `${error.errorMessage}; raise the timeout or find what never settles`
      : `${error.errorType}: ${error.errorMessage}`;
    throw new InvocationError(`${this.env.handlerId} failed on invocation ${index + 1}: ${why}`, error);
  }

  /** No invocation succeeded: the check cannot measure anything, and says what to pass instead (one line). */
  allFailed(): never {
    const first = this.errors.first as NonNullable<InvocationErrors['first']>;
    const error = { errorType: first.errorType, errorMessage: first.errorMessage, trace: [] };
    throw new InvocationError(
      `${this.env.handlerId} failed on invocation ${first.invocation + 1}: ${first.errorType}: ${first.errorMessage} (${errorHint(first.errorType, first.errorMessage)})`,
      error,
    );
  }
}

function mean(values: Float64Array): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
