// Collects the measurements of every checkpoint into one series per key, without growing the heap it measures.
import type { Measurement, SeriesPoint } from '../types.js';

/** All checkpoints of one measurement key; NaN where the key was absent. */
export interface MeasuredSeries {
  meta: Omit<Measurement, 'value'>;
  values: Float64Array;
}

/**
 * Storage is sized up front for every checkpoint of the run: after a key's first appearance, recording a
 * checkpoint allocates nothing, so the book does not show up as per-invocation heap growth.
 */
export class SeriesBook {
  readonly byKey = new Map<string, MeasuredSeries>();
  private readonly xs: Float64Array;
  private count = 0;

  constructor(readonly capacity: number) {
    this.xs = new Float64Array(capacity);
  }

  /** Opens the next checkpoint, taken after `invocations` invocations. */
  checkpoint(invocations: number): void {
    if (this.count === this.capacity) throw new Error(`SeriesBook holds ${this.capacity} checkpoints`);
    this.xs[this.count++] = invocations;
  }

  /** Records measurements into the open checkpoint. */
  record(measurements: Measurement[]): void {
    const at = this.count - 1;
    for (const m of measurements) {
      let series = this.byKey.get(m.key);
      if (!series) {
        const { value: _value, ...meta } = m;
        series = { meta, values: new Float64Array(this.capacity).fill(Number.NaN) };
        this.byKey.set(m.key, series);
      } else if (m.site !== undefined && series.meta.site === undefined) {
        // A probe may learn where a thing is created only once it has seen it grow (listeners).
        series.meta.site = m.site;
      } else if (m.note !== undefined && series.meta.note === undefined) {
        // Likewise what grew may be nameable only once it has (the shape of new process.env keys).
        series.meta.note = m.note;
      }
      series.values[at] = m.value;
    }
  }

  /** Checkpoints opened so far. */
  get size(): number {
    return this.count;
  }

  /**
   * Whether a series recorded at the latest checkpoint moved since checkpoint `since` (a key new since then
   * counts): a heap series when it rose by more than `heapStep` bytes, any other when it changed at all. Allocates
   * nothing beyond the map's iterator.
   */
  movedSince(since: number, heapStep: number): boolean {
    const last = this.count - 1;
    for (const series of this.byKey.values()) {
      const now = series.values[last];
      const then = since < 0 ? Number.NaN : series.values[since];
      if (Number.isNaN(now) || now === then) continue;
      if (series.meta.kind !== 'heap' || now - then > heapStep) return true;
    }
    return false;
  }

  /** [invocations, value] per checkpoint from `fromX` on; a key absent at a checkpoint counted nothing there. */
  points(series: MeasuredSeries, fromX = 0): SeriesPoint[] {
    const points: SeriesPoint[] = [];
    for (let k = 0; k < this.count; k++) {
      if (this.xs[k] < fromX) continue;
      const value = series.values[k];
      points.push([this.xs[k], Number.isNaN(value) ? 0 : value]);
    }
    return points;
  }

  pointsOf(key: string, fromX = 0): SeriesPoint[] {
    const series = this.byKey.get(key);
    return series ? this.points(series, fromX) : [];
  }

  /**
   * The sum of every series of one kind at each checkpoint up to `untilX` (checkpoints after it sampled only the
   * heap). Read once, after the run: it allocates.
   */
  totalOf(kind: Measurement['kind'], untilX = Number.POSITIVE_INFINITY): SeriesPoint[] {
    const totals: SeriesPoint[] = [];
    for (let k = 0; k < this.count && this.xs[k] <= untilX; k++) {
      let sum = 0;
      for (const series of this.byKey.values()) {
        const value = series.values[k];
        if (series.meta.kind === kind && !Number.isNaN(value)) sum += value;
      }
      totals.push([this.xs[k], sum]);
    }
    return totals;
  }
}
