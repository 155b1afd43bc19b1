// The harness rehearses before it measures: the first check in a process first runs the same session code (its
// invocations, checkpoints, evidence and plan) against a built-in handler that keeps nothing, before the user's
// module loads, so that V8 has compiled the harness before the first measured checkpoint.
import { setTimeout } from 'node:timers';
import type { CheckOptions } from '../check-options.js';
import { collectAtCheckpoints } from '../probes/heap.js';
import { evidence, nextStep, type PhaseStep, runShape } from './plan.js';
import { CHECK_POLICY } from './policy.js';
import { buildReport } from './report.js';
import { CheckSession } from './session.js';

/**
 * Why: a fresh process compiles as it goes. Over its first thousands of invocations and first dozens of
 * checkpoints V8 allocates feedback vectors, baseline and optimised code, deoptimisation data and dependent-code
 * lists for the harness's own functions (and Node's async_hooks and timers under them). A no-op handler checked
 * in a fresh process read 150-290 B per invocation in its main phase from that alone (built CLI, Node 20), so every
 * clean handler ran a 2,000-invocation heap phase. The same check in a process that had already run one read
 * ~20 B. The rehearsal is shaped like the check about to run (its main phase with every probe, then a heap-only
 * phase as long), at most a default check's 500 invocations: what runs per checkpoint gets its feedback and
 * baseline code, what runs per invocation its first optimised code. A short check (`--invocations 30`) gets a
 * short rehearsal: its cost stays in proportion.
 */
function rehearsalSteps(options: CheckOptions): PhaseStep[] {
  const shape = runShape({ requested: options });
  const invocations = Math.min(shape.invocations, CHECK_POLICY.defaults.invocations);
  const points = Math.min(shape.checkpoints, invocations + 1);
  const phase = (name: PhaseStep['name'], count: number, at: number, heapOnly: boolean): PhaseStep => ({
    kind: 'phase',
    name,
    invocations: count,
    points: at,
    sampleFirst: name === 'main',
    heapOnly,
  });
  return [
    phase('warmup', Math.min(shape.warmup, CHECK_POLICY.defaults.warmup), 0, false),
    phase('main', invocations, points, false),
    phase('heap', invocations, points, true),
  ];
}

let calls = 0;

/**
 * A handler that keeps nothing, the rehearsal's own: it answers in the shapes handlers answer in, and now and then
 * logs a line, sets and clears a guard timer or awaits a timer, so the paths a handler's logs and timers take (the
 * log capture, the resource tracker's site capture, Node's timer lists) are compiled too. node:timers, not the
 * globals: a spec's fake timers would never fire.
 */
const keepNothing = async () => {
  calls += 1;
  if (calls % 10 === 0) clearTimeout(setTimeout(() => {}, 1000));
  if (calls % 50 === 0) console.log('rehearsal', calls);
  if (calls % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  if (calls % 3 === 0) return undefined;
  return calls % 3 === 1 ? { statusCode: 200, body: '{}' } : 'ok';
};

/** Short enough that the environment's timeout timer fires, and is re-armed, during the rehearsal. */
const REHEARSAL_TIMEOUT_MS = 100;

let rehearsal: Promise<void> | undefined;

/**
 * Runs the rehearsal once per process, with the probes of the check about to run; a check that starts while it
 * runs (a spare process rehearses while it waits for its request) waits for it to end.
 */
export function rehearseOnce(options: CheckOptions): Promise<void> {
  rehearsal ??= rehearse(options);
  return rehearsal;
}

async function rehearse(options: CheckOptions): Promise<void> {
  const session = await CheckSession.open(
    keepNothing,
    {
      kinds: options.kinds,
      projectRoot: options.projectRoot,
      runtime: options.runtime,
      timeoutMs: REHEARSAL_TIMEOUT_MS,
    },
    CHECK_POLICY,
  );
  collectAtCheckpoints(false);
  try {
    // A check with `onEvidence` builds a report at checkpoints; the plan decides between phases.
    session.onCheckpoint = () => void buildReport(session, evidence(session.measured()));
    for (const step of rehearsalSteps(options)) {
      nextStep(session.measured(), CHECK_POLICY);
      await session.run(step);
    }
    buildReport(session, evidence(session.measured()));
  } catch {
    // A rehearsal only warms code: one that failed (an invocation timed out on a stalled machine) measured nothing.
  } finally {
    collectAtCheckpoints(true);
    await session.close();
  }
}
