// The plan of a check: a pure function from what has been measured so far to the next step (phase, explain, done).
import { carryOverFindings } from '../analysis/carry-over.js';
import { growthFindings } from '../analysis/findings.js';
import { assessGrowth } from '../analysis/growth.js';
import { HEAP_FLOOR_BYTES_PER_INVOCATION } from '../analysis/heap.js';
import { explainsHeap, heapAnalysis, heapFinding, withExplanation } from '../analysis/heap-verdict.js';
import type { HeapGrowthExplanation } from '../analysis/retainers.js';
import type { SeriesBook } from '../analysis/series-book.js';
import { tmpFindings } from '../analysis/tmp-verdict.js';
import type { Finding, FindingKind, SeriesPoint } from '../types.js';
import type { CheckNote } from './notes.js';
import { CHECK_POLICY, type CheckPolicy } from './policy.js';

export type PhaseName = 'warmup' | 'warmup-rest' | 'main' | 'confirmation' | 'heap' | 'heap-repeat';

/** What the user asked for; undefined fields take the policy's defaults. */
export interface RequestedRun {
  invocations?: number;
  warmup?: number;
  checkpoints?: number;
  allow?: Array<string | RegExp>;
  maxBytesPerInvocation?: number;
  memorySizeMB?: number;
}

/** One phase as the session ran it: invocations `startX` (exclusive) to `endX`, the index after its last. */
export interface PhaseRecord {
  name: PhaseName;
  startX: number;
  endX: number;
}

/** Everything the session has measured so far. */
export interface Measured {
  requested: RequestedRun;
  book: SeriesBook;
  phases: PhaseRecord[];
  /** Duration of the second invocation (the first warm one), once it ran. */
  secondInvocationMs?: number;
  /** Mean duration of the measured (post-warm-up) invocations so far. */
  meanWarmMs: number;
  /** What the snapshot pair found, once an `explain` step ran. */
  explanation?: HeapGrowthExplanation;
}

/** `points` checkpoints spread over `invocations`, the first before any of them unless `sampleFirst` is false. */
export interface PhaseStep {
  kind: 'phase';
  name: PhaseName;
  invocations: number;
  points: number;
  sampleFirst: boolean;
  /** Only the heap is sampled: the other probes' walks would add their own garbage to what it measures. */
  heapOnly: boolean;
}

export interface Decision {
  findings: Finding[];
  heap: ReturnType<typeof heapAnalysis>;
  notes: CheckNote[];
  shape: RunShape;
}

export type Step =
  | PhaseStep
  | { kind: 'explain'; invocations: number }
  | { kind: 'done'; decision: Decision };

export interface RunShape {
  warmup: number;
  invocations: number;
  checkpoints: number;
}

/** The run as planned: the requested one, shrunk to the time budget when the first warm invocation was slow. */
export function runShape(
  m: Pick<Measured, 'requested' | 'secondInvocationMs'>,
  policy = CHECK_POLICY,
): RunShape {
  const { requested } = m;
  let warmup = requested.warmup ?? policy.defaults.warmup;
  let invocations = requested.invocations ?? policy.defaults.invocations;
  let checkpoints = Math.min(requested.checkpoints ?? policy.defaults.checkpoints, invocations + 1);
  const second = m.secondInvocationMs;
  if (second !== undefined && second > policy.slowInvocationMs) {
    // A slow handler (a browser launched per call) gets a run that fits the time budget, unless told otherwise.
    if (requested.warmup === undefined) warmup = Math.min(warmup, 2);
    if (requested.invocations === undefined) {
      const fits = Math.floor(policy.slowBudgetMs / second);
      invocations = Math.max(policy.minInvocations, Math.min(invocations, fits));
      checkpoints = Math.min(checkpoints, invocations + 1);
    }
  }
  return { warmup, invocations, checkpoints };
}

/** Checkpoints the series book needs for the longest run this request can become. */
export function bookCapacity(requested: RequestedRun, policy = CHECK_POLICY): number {
  const { checkpoints } = runShape({ requested }, policy);
  return checkpoints + confirmationGrid(checkpoints) + 2 + 2 * policy.heapCheckpoints;
}

/** Invocations the longest run of this request can measure (the durations buffer is sized up front). */
export function invocationCapacity(requested: RequestedRun, policy = CHECK_POLICY): number {
  const { invocations } = runShape({ requested }, policy);
  return invocations * (1 + policy.confirmationLength) + 2 * heapInvocations(invocations, policy);
}

/** The confirmation's checkpoints when it is for the heap: evenly spread, about half as many as the main phase's. */
const confirmationGrid = (checkpoints: number) => Math.ceil(checkpoints / 2);
const heapInvocations = (invocations: number, policy: CheckPolicy) =>
  Math.max(policy.heapConfirmationInvocations, invocations * 4);

/** The next step of the check. The session runs it, records it, and asks again until the plan is done. */
export function nextStep(m: Measured, policy: CheckPolicy = CHECK_POLICY): Step {
  const shape = runShape(m, policy);
  const last = m.phases.at(-1);
  const phase = (
    name: PhaseName,
    invocations: number,
    points: number,
    sampleFirst = false,
    heapOnly = false,
  ) => ({ kind: 'phase', name, invocations, points, sampleFirst, heapOnly }) as const;
  if (last === undefined && shape.warmup > 0) return phase('warmup', Math.min(2, shape.warmup), 0);
  if (last === undefined || last.name === 'warmup') {
    const rest = shape.warmup - (last?.endX ?? 0);
    if (rest > 0) return phase('warmup-rest', rest, 0);
    return phase('main', shape.invocations, shape.checkpoints, true);
  }
  if (last.name === 'warmup-rest') return phase('main', shape.invocations, shape.checkpoints, true);
  if (last.name === 'main' || last.name === 'confirmation') {
    const chunk = confirmationChunk(m, shape, policy);
    if (chunk) return phase('confirmation', chunk.invocations, 2);
  }
  const state = assess(m, shape, policy);
  if (state.heapPhase) {
    const repeat = state.heapPhase === 'heap-repeat';
    return phase(
      state.heapPhase,
      repeat ? heapPhaseLength(m, shape, policy) : state.heapCount,
      policy.heapCheckpoints,
      false,
      true,
    );
  }
  return finish(m, shape, state, policy);
}

/** The next stretch of the confirmation phase (one checkpoint each), or none when it is done or not needed. */
function confirmationChunk(
  m: Measured,
  shape: RunShape,
  policy: CheckPolicy,
): { invocations: number } | undefined {
  const chunks = m.phases.filter((p) => p.name === 'confirmation').length;
  const shares = confirmationShares(m, shape, policy);
  if (chunks >= shares.length) return undefined;
  const cachesWatched = chunks > 0 && shares[chunks - 1] >= policy.decisiveConfirmationShare;
  if (decisive(m, policy, cachesWatched)) return undefined;
  if (chunks === 0 && !growthWorthConfirming(m, policy)) return undefined;
  // Growth so far may be a cache still filling towards its cap, or one-off heap growth: run longer, look again.
  const count = shape.invocations * policy.confirmationLength;
  const at = (k: number) => (k === 0 ? 0 : Math.round(count * shares[k - 1]));
  return { invocations: at(chunks + 1) - at(chunks) };
}

/**
 * Where the confirmation's checkpoints fall, as shares of its length. For a cache-like series, two up to the
 * decisive share (three points on a line are enough to see exact steps, and a cap reached before it breaks the
 * line), then the even grid's late ones, which a plateau and the heap verdict read. For heap growth alone, the
 * even grid: its slope needs the points.
 */
function confirmationShares(m: Measured, shape: RunShape, policy: CheckPolicy): number[] {
  const grid = confirmationGrid(shape.checkpoints);
  const even = Array.from({ length: grid }, (_, k) => (k + 1) / grid);
  if (!cacheLikeGrowth(m, policy)) return even;
  const share = policy.decisiveConfirmationShare;
  return [share / 2, share, ...even.filter((s) => s > share)];
}

/** A cache-like series grew over the main phase. */
function cacheLikeGrowth(m: Measured, policy: CheckPolicy): boolean {
  const untilX = confirmationStart(m) ?? Number.POSITIVE_INFINITY;
  for (const series of m.book.byKey.values()) {
    const growth = assessGrowth(m.book.points(series).filter(([x]) => x <= untilX));
    if (growth.growing && mayReachCap(series.meta, growth.perInvocation, policy)) return true;
  }
  return false;
}

/** Growth that a cap may end: a cache-like kind's, or /tmp gaining less than a file per invocation. */
function mayReachCap(
  series: { kind: FindingKind; unit?: string },
  rate: number,
  policy: CheckPolicy,
): boolean {
  if (policy.cacheLike.includes(series.kind)) return true;
  return series.kind === 'tmp' && series.unit === 'files' && rate < policy.settlingTmpFiles;
}

function growthWorthConfirming(m: Measured, policy: CheckPolicy): boolean {
  return cacheLikeGrowth(m, policy) || heapAnalysis(m.book, m.requested, mainHeapStart(m, policy)).leaking;
}

/**
 * Evidence decisive both ways: something grows, and every series still growing has kept exactly one step per
 * invocation at every checkpoint. A handle, process or pending series is decisive from the main phase on: no
 * confirmation tells it more. A cache-like one (state, global, listener) only once the confirmation has watched it
 * for `decisiveConfirmationShare` of its length, since a cache filling towards a cap also gains one entry per call
 * until it reaches it. Heap growth none of them explains is not decided here: the confirmation is also for it.
 */
function decisive(m: Measured, policy: CheckPolicy, cachesWatched: boolean): boolean {
  const startX = confirmationStart(m);
  const grown = growthFindings(m.book, { allow: m.requested.allow, confirmationStartX: startX });
  const growing = [...grown.findings, ...grown.allowed];
  if (growing.length === 0) return false;
  for (const finding of growing) {
    const cacheLike = mayReachCap(finding, finding.growthPerInvocation, policy);
    if (cacheLike && (!cachesWatched || startX === undefined)) return false;
    const since = cacheLike ? (startX as number) : (mainStart(m) ?? 0);
    if (!exactSteps(finding.series.filter(([x]) => x >= since))) return false;
  }
  return explainsHeap(growing) || !heapAnalysis(m.book, m.requested, mainHeapStart(m, policy)).leaking;
}

/** The same positive step per invocation between every pair of checkpoints. */
function exactSteps(points: SeriesPoint[]): boolean {
  if (points.length < 3) return false;
  const [x0, v0] = points[0];
  const [xn, vn] = points[points.length - 1];
  const rate = (vn - v0) / (xn - x0);
  if (!(rate > 0)) return false;
  return points.every(([x, v]) => Math.abs(v - v0 - rate * (x - x0)) < 1e-9 * Math.max(1, Math.abs(vn)));
}

function mainStart(m: Measured): number | undefined {
  return m.phases.find((p) => p.name === 'main')?.startX;
}

function confirmationStart(m: Measured): number | undefined {
  return m.phases.find((p) => p.name === 'confirmation')?.startX;
}

/**
 * Where the main phase's heap series starts: at its second checkpoint. In its first interval every probe samples for
 * the first time and V8 compiles the harness's code for this check's objects: a no-op, in a process that has already
 * run a check, gains 15-40 KB there and is flat after it (10,000 invocations, 11 checkpoints). That is the check's
 * own cost, once, not the handler's per invocation. The whole series is kept when too few points would remain.
 */
function mainHeapStart(m: Measured, policy: CheckPolicy): number {
  const main = m.phases.find((p) => p.name === 'main');
  if (!main) return 0;
  const points = m.book.pointsOf('heap:used', main.startX);
  return points.length - 1 >= policy.minHeapSeriesPoints ? points[1][0] : main.startX;
}

interface Assessment {
  findings: Finding[];
  explained: boolean;
  heap: ReturnType<typeof heapAnalysis>;
  notes: CheckNote[];
  heapPhase?: 'heap' | 'heap-repeat';
  heapCount: number;
}

/** Findings and the heap verdict from everything measured so far, and whether a heap phase is due. */
function assess(m: Measured, shape: RunShape, policy: CheckPolicy): Assessment {
  const confirmationStartX = confirmationStart(m);
  const heapStartX = m.phases.find((p) => p.name === 'heap')?.startX;
  const grown = growthFindings(m.book, {
    allow: m.requested.allow,
    confirmationStartX,
    untilX: heapStartX,
  });
  const findings = [...tmpFindings(grown.findings), ...carryOverFindings(m.book)];
  let explained = explainsHeap([...findings, ...grown.allowed]);
  const notes: CheckNote[] = [];
  let heap = heapAnalysis(m.book, m.requested, confirmationStartX ?? mainHeapStart(m, policy));
  const heapCount = heapPhaseLength(m, shape, policy);
  const first = m.phases.find((p) => p.name === 'heap');
  const second = m.phases.find((p) => p.name === 'heap-repeat');
  if (first === undefined) {
    const allowed = m.requested.maxBytesPerInvocation ?? HEAP_FLOOR_BYTES_PER_INVOCATION;
    // A short phase's interval is wide: a slope above the allowance is reason enough to look longer, unless
    // the whole interval already sits inside the allowance.
    const { bytesPerInvocation, ci95 } = heap.report;
    const suspect = heap.leaking || (bytesPerInvocation > allowed && ci95[1] > allowed);
    if (suspect && !explained) {
      if (heapCount >= policy.minHeapPhaseInvocations)
        return { findings, explained, heap, notes, heapPhase: 'heap', heapCount };
      // A slow handler cannot run enough invocations in the time budget for a heap slope to be trusted: a
      // browser launch leaves megabytes of garbage per call. Its named probes still speak for it.
      heap = { ...heap, leaking: false };
      notes.push({
        kind: 'heap-inconclusive',
        invocations: heapCount,
        needed: policy.minHeapPhaseInvocations,
      });
    }
    return { findings, explained, heap, notes, heapCount };
  }
  if (addHeapPhaseHandles(m, first.startX, findings)) explained = true;
  heap = heapAnalysis(m.book, m.requested, first.startX);
  if (second === undefined) {
    // Once more, as long again: a library cache or the runner's own work can take thousands of invocations to
    // settle (undici under fetch flattens after ~3,000), a leak keeps its pace.
    return {
      findings,
      explained,
      heap,
      notes,
      heapCount,
      heapPhase: heap.leaking ? 'heap-repeat' : undefined,
    };
  }
  const again = heapAnalysis(m.book, m.requested, second.startX);
  const keeps =
    again.report.bytesPerInvocation >= heap.report.bytesPerInvocation * policy.heapRepeatKeepsPace;
  return { findings, explained, heap: keeps ? again : { ...again, leaking: false }, notes, heapCount };
}

/**
 * Heap phases sample handles too: sockets or timers that pile up only while the heap is watched (their main-phase
 * series wobbled) are named and explain the heap, instead of ending as a heap finding. Adds them to `findings`.
 */
function addHeapPhaseHandles(m: Measured, fromX: number, findings: Finding[]): boolean {
  const handles = growthFindings(m.book, { allow: m.requested.allow, fromX, kinds: ['handle'] });
  const named = new Set(findings.map((f) => `${f.kind}:${f.name}:${f.site}`));
  findings.push(...handles.findings.filter((f) => !named.has(`${f.kind}:${f.name}:${f.site}`)));
  return handles.findings.length > 0 || handles.allowed.length > 0;
}

/** The heap phase's length: as many invocations as fit its time budget (a slow handler gets fewer). */
function heapPhaseLength(m: Measured, shape: RunShape, policy: CheckPolicy): number {
  const first = m.phases.find((p) => p.name === 'heap');
  if (first) return first.endX - first.startX;
  return affordable(
    heapInvocations(shape.invocations, policy),
    shape.invocations * 4,
    m.meanWarmMs,
    policy.heapPhaseBudgetMs,
  );
}

/** What has been found so far, as if the check ended now: the evidence a dying environment leaves behind. */
export function evidence(m: Measured, policy: CheckPolicy = CHECK_POLICY): Decision {
  const shape = runShape(m, policy);
  const { findings, heap, notes } = assess(m, shape, policy);
  return { findings, heap, notes, shape };
}

/** Done, unless an unexplained heap finding still needs the snapshot pair that names what grows. */
function finish(m: Measured, shape: RunShape, state: Assessment, policy: CheckPolicy): Step {
  const { findings, notes, heap } = state;
  const heapLeak = state.explained ? undefined : heapFinding(heap, findings);
  if (heapLeak && m.explanation === undefined) {
    const count = affordable(
      policy.explanationInvocations,
      policy.minExplanationInvocations,
      m.meanWarmMs,
      policy.explanationBudgetMs,
    );
    return { kind: 'explain', invocations: count };
  }
  if (heapLeak && m.explanation) {
    // A spec's mock (aws-sdk-client-mock, jest.fn) records every call: growth only it keeps is the test's own.
    // What remains without it is compared with a share of the slope, not only the floor, because the snapshot
    // pair also sees one-off tooling work (a test runner decoding a source map for a stack) amortised over it.
    const own = m.explanation.bytesPerInvocationWithoutTestDoubles;
    const slope = heap.report.bytesPerInvocation;
    const allowed = m.requested.maxBytesPerInvocation ?? HEAP_FLOOR_BYTES_PER_INVOCATION;
    if (own !== undefined && own <= Math.max(allowed, slope * policy.testDoubleResidual)) {
      notes.push({ kind: 'test-doubles', bytesPerInvocation: slope, withoutTestDoubles: own });
    } else findings.push(withExplanation(heapLeak, m.explanation));
  }
  return { kind: 'done', decision: { findings, heap, notes, shape } };
}

/** `wanted` invocations, or as many as fit `budgetMs` at the mean duration so far, never fewer than `least`. */
function affordable(wanted: number, least: number, meanMs: number, budgetMs: number): number {
  if (meanMs * wanted <= budgetMs) return wanted;
  return Math.max(least, Math.floor(budgetMs / meanMs));
}
