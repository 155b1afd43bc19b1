// A series as a line of Unicode block characters (▁▂▃▅▇), and the same series read at evenly spaced invocations
// (what a Markdown chart needs: its points are drawn evenly spaced, whatever their x).
import type { SeriesPoint } from '../types.js';

const BLOCKS = '▁▂▃▄▅▆▇█';
/** Characters per sparkline: narrow enough for a table cell. */
const WIDTH = 16;

/** The series' value at `x`, on the straight line between the checkpoints either side. */
function valueAt(series: SeriesPoint[], x: number): number {
  const after = series.findIndex(([px]) => px >= x);
  if (after <= 0) return series[after === 0 ? 0 : series.length - 1][1];
  const [x0, y0] = series[after - 1];
  const [x1, y1] = series[after];
  return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

/**
 * Checkpoints are not evenly spaced (a confirmation phase spaces them wider), so the series is read at `count`
 * evenly spaced invocations from its first checkpoint to its last: a steady leak is a straight ramp. One point for
 * a series of one checkpoint.
 */
export function evenlySpaced(series: SeriesPoint[], count = WIDTH): SeriesPoint[] {
  if (series.length === 0) return [];
  const first = series[0][0];
  const last = series[series.length - 1][0];
  const width = last > first ? count : 1;
  return Array.from({ length: width }, (_, i) => {
    const x = first + ((last - first) * i) / Math.max(1, width - 1);
    return [x, valueAt(series, x)];
  });
}

export function sparkline(series: SeriesPoint[]): string {
  const values = evenlySpaced(series).map(([, y]) => y);
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const range = Math.max(...values) - min;
  return values
    .map((y) => BLOCKS[range > 0 ? Math.round(((y - min) / range) * (BLOCKS.length - 1)) : 0])
    .join('');
}
