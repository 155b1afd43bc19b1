// The check's plan on synthetic series, with no environment: which phases it asks for, and what it decides.
import { describe, expect, it } from 'vitest';
import { HEAP_FLOOR_BYTES_PER_INVOCATION } from '../harness/analysis/heap.js';
import type { HeapGrowthExplanation } from '../harness/analysis/retainers.js';
import { SeriesBook } from '../harness/analysis/series-book.js';
import {
  bookCapacity,
  type Decision,
  type Measured,
  nextStep,
  type PhaseRecord,
} from '../harness/check/plan.js';
import { CHECK_POLICY } from '../harness/check/policy.js';
import type { Measurement } from '../harness/types.js';

/** The handler as seen by the probes: what each series reads after `x` invocations. */
interface Synthetic {
  state?: (x: number) => number;
  heapUsed?: (x: number) => number;
  /** Open sockets at one site; sampled in heap phases too, as the session does. */
  sockets?: (x: number) => number;
  /** Files under /tmp; not sampled in heap phases, as in the session. */
  tmpFiles?: (x: number) => number;
  durationMs?: number;
  explanation?: HeapGrowthExplanation;
}

const BASE_HEAP = 8_000_000;

function sample(handler: Synthetic, x: number, heapOnly: boolean): Measurement[] {
  const used = handler.heapUsed?.(x) ?? BASE_HEAP;
  const heap: Measurement[] = [
    { key: 'heap:used', kind: 'heap', name: 'heapUsed', unit: 'bytes', value: used },
    { key: 'heap:external', kind: 'heap', name: 'external', unit: 'bytes', value: 1_000_000 },
    { key: 'heap:arrayBuffers', kind: 'heap', name: 'arrayBuffers', unit: 'bytes', value: 10_000 },
  ];
  if (handler.sockets) {
    const value = handler.sockets(x);
    heap.push({
      key: 'handle:TCP socket:h.js:3',
      kind: 'handle',
      name: 'TCP socket',
      site: 'h.js:3',
      unit: 'handles',
      value,
    });
  }
  if (heapOnly) return heap;
  if (handler.tmpFiles) {
    const files = handler.tmpFiles(x);
    heap.push({ key: 'tmp:files', kind: 'tmp', name: '/tmp', path: 'files', unit: 'files', value: files });
  }
  if (!handler.state) return heap;
  const state: Measurement = {
    key: 'state:handler.js:cache',
    kind: 'state',
    name: 'cache',
    module: 'handler.js',
    unit: 'elements',
    value: handler.state(x),
  };
  return [...heap, state];
}

/** Plays the session's part: runs each step the plan asks for on the synthetic handler, until it is done. */
function drive(handler: Synthetic, requested: Measured['requested'] = {}) {
  const book = new SeriesBook(bookCapacity(requested));
  const phases: PhaseRecord[] = [];
  const steps: string[] = [];
  let x = 0;
  let explanation: HeapGrowthExplanation | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const measured: Measured = {
      requested,
      book,
      phases,
      secondInvocationMs: x >= 2 ? (handler.durationMs ?? 0.05) : undefined,
      meanWarmMs: handler.durationMs ?? 0.05,
      explanation,
    };
    const step = nextStep(measured);
    if (step.kind === 'done') return { steps, decision: step.decision, invocations: x };
    if (step.kind === 'explain') {
      steps.push('explain');
      x += step.invocations;
      explanation = handler.explanation;
      continue;
    }
    if (steps.at(-1) !== step.name) steps.push(step.name);
    const startX = x;
    for (let k = 0; k < step.points; k++) {
      const at = startX + Math.round((step.invocations * k) / (step.points - 1));
      if (k === 0 && !step.sampleFirst) continue;
      book.checkpoint(at);
      book.record(sample(handler, at, step.heapOnly));
    }
    x = startX + step.invocations;
    phases.push({ name: step.name, startX, endX: x });
  }
  throw new Error('the plan never finished');
}

const names = (decision: Decision) => decision.findings.map((f) => `${f.kind}:${f.name}`);

describe('the check plan, driven by synthetic series', () => {
  it('a cache that plateaus after the main phase: confirmation, then pass', () => {
    const run = drive({ state: (x) => Math.min(x, 700) });
    expect(run.steps).toEqual(['warmup', 'warmup-rest', 'main', 'confirmation']);
    expect(run.invocations).toBe(20 + 500 + 1000);
    expect(names(run.decision)).toEqual([]);
  });

  it('an unexplained heap slope: heap phase, repeat, then explain, then a heap finding with its explanation', () => {
    const explanation: HeapGrowthExplanation = {
      constructors: [{ name: 'Object', countPerInvocation: 1, bytesPerInvocation: 200 }],
      retainerPaths: ['(closure scope of handler) -> seen'],
    };
    const run = drive({ heapUsed: (x) => BASE_HEAP + 200 * x, explanation });
    expect(run.steps).toEqual([
      'warmup',
      'warmup-rest',
      'main',
      'confirmation',
      'heap',
      'heap-repeat',
      'explain',
    ]);
    expect(names(run.decision)).toEqual(['heap:heap']);
    expect(run.decision.findings[0].retainers).toEqual(['(closure scope of handler) -> seen']);
    expect(run.decision.heap.report.bytesPerInvocation).toBeCloseTo(200, 5);
  });

  it('a heap slope that flattens in its repeat is no leak, and needs no explanation', () => {
    // Library caches settle after thousands of invocations: growth until 3,600, flat after.
    const run = drive({ heapUsed: (x) => BASE_HEAP + 200 * Math.min(x, 3600) });
    expect(run.steps).toEqual(['warmup', 'warmup-rest', 'main', 'confirmation', 'heap', 'heap-repeat']);
    expect(names(run.decision)).toEqual([]);
  });

  it('heap growth kept only by test doubles is a note, not a finding', () => {
    const explanation: HeapGrowthExplanation = {
      constructors: [],
      retainerPaths: [],
      bytesPerInvocationWithoutTestDoubles: 3,
    };
    const run = drive({ heapUsed: (x) => BASE_HEAP + 300 * x, explanation });
    expect(names(run.decision)).toEqual([]);
    expect(run.decision.notes).toEqual([
      { kind: 'test-doubles', bytesPerInvocation: 300, withoutTestDoubles: 3 },
    ]);
  });

  it('a slow handler: a shorter run, and the heap verdict inconclusive', () => {
    const run = drive({ heapUsed: (x) => BASE_HEAP + 1_000_000 * x, durationMs: 1000 });
    expect(run.decision.shape).toEqual({ warmup: 2, invocations: 8, checkpoints: 9 });
    expect(run.steps).not.toContain('heap');
    expect(run.decision.heap.leaking).toBe(false);
    expect(run.decision.notes).toEqual([{ kind: 'heap-inconclusive', invocations: 32, needed: 200 }]);
    expect(names(run.decision)).toEqual([]);
  });

  it("the main phase's first interval is the check's own start: a one-off step there starts no heap phase", () => {
    // Every probe's first sample and V8 compiling the harness for this check: +60 KB before the second checkpoint.
    const run = drive({ heapUsed: (x) => BASE_HEAP + (x > 20 ? 60_000 : 0) });
    expect(run.steps).toEqual(['warmup', 'warmup-rest', 'main']);
    expect(run.decision.heap.report.bytesPerInvocation).toBe(0);
    expect(run.decision.heap.report.series[0][0]).toBe(70);
  });

  it('a leak that keeps its pace after the first interval is still a heap finding', () => {
    const explanation: HeapGrowthExplanation = {
      constructors: [{ name: 'Object', countPerInvocation: 1, bytesPerInvocation: 200 }],
      retainerPaths: ['(closure scope of handler) -> seen'],
    };
    const run = drive({ heapUsed: (x) => BASE_HEAP + (x > 20 ? 60_000 : 0) + 200 * x, explanation });
    expect(run.steps).toContain('heap');
    expect(names(run.decision)).toEqual(['heap:heap']);
  });

  it('sockets that pile up only while the heap phase watches are named, not left as heap growth', () => {
    // In the main phase the count wobbles (a keep-alive socket closing and reopening), then one leaks per 100 calls.
    const sockets = (x: number) => (x <= 1520 ? (x / 50) % 2 : Math.floor((x - 1520) / 100));
    const run = drive({ sockets, heapUsed: (x) => BASE_HEAP + 200 * x });
    expect(run.steps).toContain('heap');
    expect(run.steps).not.toContain('explain');
    expect(names(run.decision)).toEqual(['handle:TCP socket']);
    expect(run.decision.findings[0].growthPerInvocation).toBeCloseTo(0.01, 3);
  });

  it('a state leak needs no heap phase: the variable explains the heap it takes', () => {
    const run = drive({ state: (x) => 3 * x, heapUsed: (x) => BASE_HEAP + 24 * 3 * x });
    expect(run.steps).not.toContain('heap');
    expect(run.steps).not.toContain('explain');
    expect(names(run.decision)).toEqual(['state:cache']);
    expect(run.decision.findings[0].growthPerInvocation).toBe(3);
  });

  it('exact steps at every confirmation checkpoint end the confirmation early; a cap seen late still passes', () => {
    const exact = drive({ state: (x) => x });
    expect(names(exact.decision)).toEqual(['state:cache']);
    // Two confirmation checkpoints, at half the decisive share and at it: three points on one line.
    expect(exact.invocations).toBe(20 + 500 + 1000 * CHECK_POLICY.decisiveConfirmationShare);
    expect(exact.decision.findings[0].series.filter(([x]) => x > 520).map(([x]) => x)).toEqual([895, 1270]);
    // A cache capped at 750 with --invocations 300 keeps exact steps until 620 and must not be cut off there.
    const capped = drive({ state: (x) => Math.min(x, 750) }, { invocations: 300 });
    expect(names(capped.decision)).toEqual([]);
    expect(capped.invocations).toBe(20 + 300 + 600);
  });

  it('a socket left open per invocation, exact at every main checkpoint, needs no confirmation', () => {
    // No cache fills with handles: +1 per invocation at all 11 checkpoints decides it, and the heap it takes.
    const run = drive({ sockets: (x) => x, heapUsed: (x) => BASE_HEAP + 400 * x });
    expect(run.steps).toEqual(['warmup', 'warmup-rest', 'main']);
    expect(run.invocations).toBe(20 + 500);
    expect(names(run.decision)).toEqual(['handle:TCP socket']);
    expect(run.decision.findings[0].growthPerInvocation).toBe(1);
  });

  it('sockets that grow by uneven steps (a pool filling) still get their confirmation', () => {
    const run = drive({ sockets: (x) => Math.round(3 * Math.sqrt(x)), heapUsed: (x) => BASE_HEAP + 400 * x });
    expect(run.steps).toContain('confirmation');
    expect(run.invocations).toBeGreaterThan(20 + 500);
  });

  it('/tmp gaining under a file per invocation gets a confirmation: a settling browser profile passes', () => {
    // Chromium launched once writes its profile on timers after launch: a slow handler's 8 main invocations
    // (one screenshot each) saw 154 -> 161 files, then nothing more.
    const settling = drive({ tmpFiles: (x) => 154 + Math.min(7, Math.floor(x * 0.85)), durationMs: 1000 });
    expect(settling.steps).toContain('confirmation');
    expect(names(settling.decision)).toEqual([]);
    // Half a file per invocation that keeps its pace through the confirmation is still a leak.
    const everyOther = drive({ tmpFiles: (x) => 10 + Math.floor(x / 2), durationMs: 1000 });
    expect(everyOther.steps).toContain('confirmation');
    expect(names(everyOther.decision)).toEqual(['tmp:/tmp']);
  });

  it('a file left in /tmp per invocation is decided by the main phase, with no confirmation', () => {
    const run = drive({ tmpFiles: (x) => 3 + x, durationMs: 1000 });
    expect(run.steps).toEqual(['warmup', 'main']);
    expect(names(run.decision)).toEqual(['tmp:/tmp']);
    expect(run.decision.findings[0].growthPerInvocation).toBe(1);
  });

  it('a clean handler whose heap interval sits inside the allowance gets no heap phase', () => {
    const run = drive({ heapUsed: (x) => BASE_HEAP + 10 * x + (x % 3) * 100 });
    expect(run.steps).toEqual(['warmup', 'warmup-rest', 'main']);
    expect(run.decision.heap.report.ci95[1]).toBeLessThan(HEAP_FLOOR_BYTES_PER_INVOCATION);
    expect(names(run.decision)).toEqual([]);
  });
});
