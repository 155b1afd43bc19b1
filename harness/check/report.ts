// The report of a check, built from the session's data and the plan's decision: plain, serialisable data.
import { memoryForecast } from '../analysis/forecast.js';
import { HEAP_FLOOR_BYTES_PER_INVOCATION } from '../analysis/heap.js';
import type { Report } from '../types.js';
import { importedStateNote } from './imported-state.js';
import { noteText } from './notes.js';
import type { Decision } from './plan.js';
import type { CheckSession } from './session.js';

export function buildReport(session: CheckSession, decision: Decision): Report {
  const { findings, heap, shape } = decision;
  const { records, invocations } = session.env.logsDropped;
  const imported = importedStateNote(session.env.handlerId, findings);
  const notes = [
    ...decision.notes,
    ...(records > 0 ? [{ kind: 'logs-dropped' as const, droppedRecords: records, invocations }] : []),
    ...(imported ? [imported] : []),
  ];
  const failedKinds = new Set(findings.map((finding) => finding.kind));
  const allowedBytes = session.options.maxBytesPerInvocation ?? HEAP_FLOOR_BYTES_PER_INVOCATION;
  // Heap phases sample the heap only: handle and listener totals end where they began.
  const allProbesUntilX = session.phases.findLast((p) => !p.name.startsWith('heap'))?.endX ?? session.index;
  const report: Report = {
    verdict: findings.length > 0 ? 'leak' : 'pass',
    handler: session.env.handlerId,
    invocations: session.index,
    findings,
    heap: heap.report,
    timing: {
      initMs: session.env.initDurationMs,
      firstInvocationMs: session.firstInvocationMs,
      warm: warmTiming(session.warmDurations()),
      warmQuantiles: warmQuantiles(session.warmDurations()),
    },
    // `checked` words the notes too, as it always has: the failure message and older readers show it.
    checked: [...session.probes.map((p) => p.name), ...notes.map(noteText)],
    passed: passedProbes(session, failedKinds, decision, allowedBytes),
    plan: shape,
    errors: session.errors.report(),
    resources: {
      handles: session.book.totalOf('handle', allProbesUntilX),
      listeners: session.book.totalOf('listener', allProbesUntilX),
    },
    forecast: memoryForecast(heap.report, { memorySizeMB: session.options.memorySizeMB, allowedBytes }),
  };
  if (notes.length > 0) report.notes = notes;
  return report;
}

/**
 * The probes that found nothing. The heap is not among them when it grew beyond the allowance, even though a named
 * finding explains that growth (and so no heap finding was made), nor when its verdict was inconclusive: "checked
 * and passed: heap" reads as "the heap stayed within the allowance", which it did not.
 */
function passedProbes(
  session: CheckSession,
  failedKinds: Set<string>,
  decision: Decision,
  allowedBytes: number,
): string[] {
  const { leaking, report } = decision.heap;
  // The interval the report shows, wholly above the allowance, is growth whether or not its series was long enough
  // for a heap verdict of its own.
  const heapUnsettled =
    leaking || report.ci95[0] > allowedBytes || decision.notes.some((n) => n.kind === 'heap-inconclusive');
  return session.probes
    .filter((p) => !p.kinds.some((kind) => failedKinds.has(kind) || (kind === 'heap' && heapUnsettled)))
    .map((p) => p.name);
}

/** Every 5% of the warm-duration distribution, plus the tail a p99 hides. */
const WARM_QUANTILES = [...Array.from({ length: 20 }, (_, i) => i / 20), 0.99, 0.999, 1];

/** [quantile, ms] at each of WARM_QUANTILES, with the same rank rule as warmTiming's p50 and p99. */
function warmQuantiles(durations: Float64Array): Array<[number, number]> {
  if (durations.length === 0) return [];
  const sorted = Float64Array.from(durations).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return WARM_QUANTILES.map((q) => [q, Math.round(at(q) * 1000) / 1000]);
}

function warmTiming(durations: Float64Array): Report['timing']['warm'] {
  if (durations.length === 0) return { p50: 0, p99: 0, mean: 0 };
  const sorted = Float64Array.from(durations).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  let sum = 0;
  for (const d of sorted) sum += d;
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return { p50: round(at(0.5)), p99: round(at(0.99)), mean: round(sum / sorted.length) };
}
