// Joins the heap series of a run to the heap analysis, and decides whether heap growth is a finding of its own.
import type { Finding, HeapReport } from '../types.js';
import { analyseHeap, type HeapAnalysisOptions } from './heap.js';
import type { HeapGrowthExplanation } from './retainers.js';
import type { SeriesBook } from './series-book.js';

const EMPTY: HeapReport = { bytesPerInvocation: 0, ci95: [0, 0], series: [] };

/**
 * The report's `heap` field, with the verdict kept aside for `heapFinding`. After a confirmation phase only
 * its checkpoints count: one-off growth early in a run (the JIT compiling the harness's and the handler's code,
 * lazy initialisation) is not a per-invocation cost.
 */
export function heapAnalysis(book: SeriesBook, policy: HeapAnalysisOptions, fromX = 0) {
  const used = book.pointsOf('heap:used', fromX);
  if (used.length < 3) return { report: EMPTY, leaking: false, message: undefined };
  return analyseHeap(
    {
      used,
      external: book.pointsOf('heap:external', fromX),
      arrayBuffers: book.pointsOf('heap:arrayBuffers', fromX),
    },
    { maxBytesPerInvocation: policy.maxBytesPerInvocation, memorySizeMB: policy.memorySizeMB },
  );
}

/** Kinds whose findings already say what the heap holds: a growing variable, or handles and their objects. */
const HEAP_HOLDERS: ReadonlySet<Finding['kind']> = new Set([
  'state',
  'global',
  'listener',
  'handle',
  'process',
  'pending',
]);

/** A named finding already says what the heap holds. */
export function explainsHeap(findings: Finding[]): boolean {
  return findings.some((f) => HEAP_HOLDERS.has(f.kind));
}

/**
 * Heap growth is its own finding only when no named state finding already explains it: `arrayB grew by 1
 * element per invocation` says more than `heap +8 B/invocation`.
 */
export function heapFinding(
  analysis: ReturnType<typeof heapAnalysis>,
  findings: Finding[],
): Finding | undefined {
  if (!analysis.leaking || explainsHeap(findings)) return undefined;
  const { report } = analysis;
  return {
    kind: 'heap',
    name: 'heap',
    growthPerInvocation: report.bytesPerInvocation,
    unit: 'bytes',
    series: report.series,
    message: analysis.message ?? `the heap grew by ${report.bytesPerInvocation} bytes per invocation`,
  };
}

/** The heap finding with what grew (constructors) and who holds it (retainer paths) in data and in words. */
export function withExplanation(finding: Finding, explanation: HeapGrowthExplanation): Finding {
  const constructors = explanation.constructors.slice(0, 5);
  const grew = constructors
    .map(
      (c) =>
        `${c.name} +${Number(c.countPerInvocation.toPrecision(2))}/invocation (${Math.round(c.bytesPerInvocation)} B)`,
    )
    .join(', ');
  const held = explanation.retainerPaths[0];
  const words = [grew && `Growing: ${grew}.`, held && `Held by: ${held}.`].filter(Boolean).join(' ');
  return {
    ...finding,
    constructors,
    retainers: explanation.retainerPaths,
    message: words ? `${finding.message} ${words}` : finding.message,
  };
}
