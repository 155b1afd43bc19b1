// The report of a check, built from the session's data and the plan's decision: plain, serialisable data.
import type { Report } from '../types.js';
import { noteText } from './notes.js';
import type { Decision } from './plan.js';
import type { CheckSession } from './session.js';

export function buildReport(session: CheckSession, decision: Decision): Report {
  const { findings, heap, notes, shape } = decision;
  const failedKinds = new Set(findings.map((finding) => finding.kind));
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
    },
    // `checked` words the notes too, as it always has: the failure message and older readers show it.
    checked: [...session.probes.map((p) => p.name), ...notes.map(noteText)],
    passed: session.probes.filter((p) => !p.kinds.some((kind) => failedKinds.has(kind))).map((p) => p.name),
    plan: shape,
    errors: session.errors.report(),
  };
  if (notes.length > 0) report.notes = notes;
  return report;
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
