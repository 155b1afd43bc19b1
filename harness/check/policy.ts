// Every constant a check's plan decides with, in one named object: change a rule's number here, test it in plan specs.
import type { FindingKind } from '../types.js';

export interface CheckPolicy {
  /** The run a check plans when the options name none. */
  defaults: { invocations: number; warmup: number; checkpoints: number };
  /**
   * The most invocations a check accepts: the session allocates its series up front (confirmation included), so
   * 1e12 would be an allocation failure, not a check. Lambda environments rarely live past ~10^5 requests.
   */
  maxInvocations: number;
  /** Warm invocations slower than this shrink the default run to about `slowBudgetMs`, never below `minInvocations`. */
  slowInvocationMs: number;
  slowBudgetMs: number;
  minInvocations: number;
  /** Kinds whose growth may be a cache filling towards a cap: a confirmation phase tells them apart. */
  cacheLike: readonly FindingKind[];
  /**
   * /tmp gaining fewer files per invocation than this is no file per call: it may be a profile or cache still
   * settling (Chromium launched once and reused writes its profile on timers for ~15 s after launch, and a slow
   * handler's short main phase can see that), so the confirmation phase watches it as it does a cache.
   */
  settlingTmpFiles: number;
  /** The confirmation phase runs this many times the main phase's invocations... */
  confirmationLength: number;
  /**
   * ...unless every growing series has kept exactly its main-phase step per invocation for this share of it:
   * a variable that gains one element per call at every checkpoint is no cache approaching its cap.
   */
  decisiveConfirmationShare: number;
  /** Issue 4's target: below 100 B/invocation within 2,000 invocations. */
  heapConfirmationInvocations: number;
  /** GC-settled samples per heap phase: more points narrow the slope's interval. */
  heapCheckpoints: number;
  heapPhaseBudgetMs: number;
  /** Fewer heap-phase invocations than this leave a slope within one call's garbage: no heap verdict. */
  minHeapPhaseInvocations: number;
  /** The main phase's heap series drops its first checkpoint only when at least this many remain. */
  minHeapSeriesPoints: number;
  /** A repeated heap phase confirms the first only if its slope keeps at least this share of the first's. */
  heapRepeatKeepsPace: number;
  /** The snapshot pair that names what grows runs as many invocations as fit this budget, within these bounds. */
  explanationBudgetMs: number;
  explanationInvocations: number;
  minExplanationInvocations: number;
  /** Heap growth left when test doubles are cut out, below this share of the slope, is theirs (see the note). */
  testDoubleResidual: number;
  /** When none of the first this-many invocations succeeded, every invocation fails: the check cannot measure. */
  allFailingAfter: number;
}

export const CHECK_POLICY: CheckPolicy = {
  defaults: { invocations: 500, warmup: 20, checkpoints: 11 },
  maxInvocations: 1_000_000,
  slowInvocationMs: 20,
  slowBudgetMs: 5_000,
  minInvocations: 8,
  cacheLike: ['state', 'global', 'listener'],
  settlingTmpFiles: 1,
  confirmationLength: 2,
  // Three quarters: a cap 2.5x the main phase (price-cache at --invocations 300) must still show its plateau.
  decisiveConfirmationShare: 0.75,
  heapConfirmationInvocations: 2000,
  heapCheckpoints: 21,
  heapPhaseBudgetMs: 20_000,
  minHeapPhaseInvocations: 200,
  minHeapSeriesPoints: 6,
  heapRepeatKeepsPace: 0.5,
  explanationBudgetMs: 10_000,
  explanationInvocations: 200,
  minExplanationInvocations: 10,
  testDoubleResidual: 0.2,
  allFailingAfter: 5,
};
