// Issue 16's targets beside the measured figures: each target's value, its reference, the ratio and whether it is
// met, as plain data for the bench JSON and as one table, so that two runs can be compared line by line.
import { formatTable, type SampleSummary } from './record.js';

export interface Target {
  name: string;
  /** What is measured (the p50, in `unit`). */
  measured: number | null;
  /** What it is compared with (p50, same unit), or null for an absolute limit. */
  reference: number | null;
  referenceName: string | null;
  unit: 'ms' | 'us';
  /** measured / reference, or measured itself for an absolute limit. */
  ratio: number | null;
  /** The largest ratio (or, for an absolute limit, the largest value) that meets the target. */
  limit: number;
  met: boolean | null;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A target relative to a reference: met when measured/reference <= limit. */
export function relativeTarget(
  name: string,
  measured: SampleSummary | undefined,
  reference: SampleSummary | undefined,
  referenceName: string,
  limit: number,
  scale: { unit: 'ms' | 'us'; per: number } = { unit: 'ms', per: 1 },
): Target {
  const value = measured && round((measured.p50 * (scale.unit === 'us' ? 1000 : 1)) / scale.per, 3);
  const base = reference && round((reference.p50 * (scale.unit === 'us' ? 1000 : 1)) / scale.per, 3);
  const ratio = value !== undefined && base !== undefined && base > 0 ? round(value / base) : null;
  return {
    name,
    measured: value ?? null,
    reference: base ?? null,
    referenceName,
    unit: scale.unit,
    ratio,
    limit,
    met: ratio === null ? null : ratio <= limit,
  };
}

/** An absolute target: met when the measured p50 (ms) is at most `limitMs`. */
export function absoluteTarget(name: string, measured: SampleSummary | undefined, limitMs: number): Target {
  const value = measured ? round(measured.p50, 1) : null;
  return {
    name,
    measured: value,
    reference: null,
    referenceName: null,
    unit: 'ms',
    ratio: null,
    limit: limitMs,
    met: value === null ? null : value <= limitMs,
  };
}

export function targetsTable(targets: Target[]): string {
  const rows: Record<string, Record<string, unknown>> = {};
  for (const t of targets) {
    rows[t.name] = {
      measured: t.measured === null ? null : `${t.measured} ${t.unit}`,
      reference: t.reference === null ? null : `${t.reference} ${t.unit} (${t.referenceName})`,
      ratio: t.ratio === null ? null : `${t.ratio}x`,
      target: t.reference === null ? `<= ${t.limit} ${t.unit}` : `<= ${t.limit}x`,
      met: t.met === null ? null : t.met ? 'yes' : 'NO',
    };
  }
  return formatTable('Issue 16 targets (p50; measured on this machine, never asserted)', rows);
}
