// One finding's series as a Mermaid xychart: the chart GitHub draws (as SVG) in a job summary, where it strips the
// <svg> and data: images an HTML page would use. Only numbers and fixed words go in: no handler text reaches Mermaid.
import type { Finding } from '../types.js';
import { evenlySpaced } from './sparkline.js';

/** Points per chart: xychart spaces a line's points evenly, so they are read at evenly spaced invocations. */
const POINTS = 16;
/** Small, and the line in the HTML report's culprit red: Mermaid's default line colour is a pale lilac. */
const INIT = JSON.stringify({
  xyChart: { width: 480, height: 220 },
  themeVariables: { xyChart: { plotColorPalette: '#c0392b' } },
});

/** A number as Mermaid reads it: plain decimal digits, no exponent, no grouping. */
function plain(value: number): string {
  if (!Number.isFinite(value)) return '0';
  const rounded = Number(value.toPrecision(4));
  return rounded.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 6 });
}

/** Bytes in KB or MB once they run to five digits: Mermaid labels its own ticks, and 10100000 crowds the axis. */
function yUnit(unit: string, largest: number): [string, number] {
  if (unit !== 'bytes') return [unit, 1];
  if (largest >= 10 * 1024 * 1024) return ['MB', 1024 * 1024];
  return largest >= 10 * 1024 ? ['KB', 1024] : ['bytes', 1];
}

/** A fenced ```mermaid block: growth against invocations, the y axis named by the finding's unit. */
export function mermaidChart(finding: Finding): string {
  const points = evenlySpaced(finding.series, POINTS);
  if (points.length < 2) return '';
  const first = points[0][0];
  const last = points[points.length - 1][0];
  // Units are a fixed vocabulary (elements, bytes, handles, ...); anything else is left unnamed rather than quoted.
  const [unit, scale] = yUnit(
    /^[a-z ]+$/.test(finding.unit) ? finding.unit : 'value',
    Math.max(...points.map(([, y]) => Math.abs(y))),
  );
  return [
    '```mermaid',
    `%%{init: ${INIT}}%%`,
    'xychart-beta',
    `  x-axis "invocations" ${plain(first)} --> ${plain(last)}`,
    `  y-axis "${unit}"`,
    `  line [${points.map(([, y]) => plain(y / scale)).join(', ')}]`,
    '```',
  ].join('\n');
}
