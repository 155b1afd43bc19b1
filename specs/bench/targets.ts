// Issue 16's targets beside the measured figures: one row per target with its figure, its reference, the ratio, the
// limit and whether it is met, as plain data for the bench JSON and as one table, so two runs compare line by line.
// To add a row: measure into a sample (record.ts) and push `relativeTarget`, `absoluteTarget` or `figureTarget`.
import { formatTable, type SampleSummary } from './record.js';

export type TargetUnit = 'ms' | 'us' | 'MB';

export interface Target {
  name: string;
  /** What is measured (the p50, in `unit`). */
  measured: number | null;
  /** What it is compared with (p50, same unit), or null for an absolute limit. */
  reference: number | null;
  referenceName: string | null;
  unit: TargetUnit;
  /** measured / reference; for an absolute limit, measured / limit (the share of the budget used). */
  ratio: number | null;
  /** The largest ratio (or, for an absolute limit, the largest value) that meets the target. */
  limit: number;
  met: boolean | null;
  /** What the figure needs beside it to be read right (the load average, the handlers' mix). */
  note?: string;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The general row: `measured` against `reference` (met when the ratio is at most `limit`), or, with no reference,
 * against `limit` itself in `unit`.
 */
export function figureTarget(row: {
  name: string;
  measured: number | undefined;
  reference?: { value: number | undefined; name: string };
  unit: TargetUnit;
  limit: number;
  note?: string;
}): Target {
  const measured =
    row.measured === undefined || !Number.isFinite(row.measured) ? null : round(row.measured, 3);
  const reference = row.reference?.value === undefined ? null : round(row.reference.value, 3);
  const against = row.reference ? reference : row.limit;
  const ratio = measured !== null && against !== null && against > 0 ? round(measured / against) : null;
  // Relative: the ratio meets the limit. Absolute: the figure itself does.
  const compared = row.reference ? ratio : measured;
  return {
    name: row.name,
    measured,
    reference,
    referenceName: row.reference?.name ?? null,
    unit: row.unit,
    ratio,
    limit: row.limit,
    met: compared === null ? null : compared <= row.limit,
    ...(row.note ? { note: row.note } : {}),
  };
}

/** A target relative to a reference: met when measured/reference <= limit (p50s, scaled per invocation if asked). */
export function relativeTarget(
  name: string,
  measured: SampleSummary | undefined,
  reference: SampleSummary | undefined,
  referenceName: string,
  limit: number,
  scale: { unit: 'ms' | 'us'; per: number } = { unit: 'ms', per: 1 },
): Target {
  const value = (s: SampleSummary | undefined) => s && (s.p50 * (scale.unit === 'us' ? 1000 : 1)) / scale.per;
  return figureTarget({
    name,
    measured: value(measured),
    reference: { value: value(reference), name: referenceName },
    unit: scale.unit,
    limit,
  });
}

/** An absolute target: met when the measured p50 (ms) is at most `limitMs`. */
export function absoluteTarget(
  name: string,
  measured: SampleSummary | undefined,
  limitMs: number,
  note?: string,
): Target {
  return figureTarget({
    name,
    measured: measured && round(measured.p50, 1),
    unit: 'ms',
    limit: limitMs,
    note,
  });
}

export function targetsTable(targets: Target[]): string {
  const rows: Record<string, Record<string, unknown>> = {};
  for (const t of targets) {
    rows[t.name] = {
      figure: t.measured === null ? null : `${t.measured} ${t.unit}`,
      reference: t.reference === null ? null : `${t.reference} ${t.unit} (${t.referenceName})`,
      ratio: t.ratio === null ? null : `${t.ratio}x`,
      limit: t.reference === null && t.referenceName === null ? `<= ${t.limit} ${t.unit}` : `<= ${t.limit}x`,
      met: t.met === null ? null : t.met ? 'yes' : 'NO',
      note: t.note,
    };
  }
  return formatTable('Issue 16 targets (p50; measured on this machine, never asserted)', rows);
}
