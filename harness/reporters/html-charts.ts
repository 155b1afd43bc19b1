// The charts of one handler's HTML section, drawn from the report's data: findings, heap fit, forecast, handles, timing.
import { OBSERVED_CONTAINER_LIFE } from '../analysis/forecast.js';
import type { Finding, Report, SeriesPoint } from '../types.js';
import { findingLabel, formatGrowth, formatNumber } from './format.js';
import { escapeHtml } from './html-escape.js';
import { type ChartLine, lineChart } from './svg-chart.js';

const MIB = 1024 * 1024;

/** A bytes axis in the unit its range needs, ticks on round numbers of it: a 20 KB wobble on a 90 MB heap reads. */
function bytesAxis(values: number[]): { formatY: (bytes: number) => string; yUnit: number } {
  const range = values.length > 0 ? Math.max(...values) - Math.min(...values) : 0;
  const group = (n: number) => Number(n.toPrecision(12)).toLocaleString('en-US');
  if (range < 10 * 1024) return { formatY: (bytes) => `${group(bytes)} B`, yUnit: 1 };
  if (range < 10 * MIB) return { formatY: (bytes) => `${group(bytes / 1024)} KB`, yUnit: 1024 };
  return { formatY: (bytes) => `${group(bytes / MIB)} MB`, yUnit: MIB };
}

const invocationsAxis = (x: number) => Math.round(x).toLocaleString('en-US');

function figure(chart: string, caption: string): string {
  return chart.replace('</figure>', `<figcaption>${caption}</figcaption></figure>`);
}

/** One finding's series: value against invocation, with its growth per invocation in the caption. */
export function findingChart(finding: Finding): string {
  const label = findingLabel(finding);
  const bytes = finding.unit === 'bytes';
  const chart = lineChart({
    title: `${label}: ${finding.unit} after each checkpoint`,
    kind: 'finding',
    xLabel: 'invocations',
    yLabel: finding.unit,
    yFromZero: true,
    formatX: invocationsAxis,
    ...(bytes ? bytesAxis(finding.series.map(([, y]) => y)) : {}),
    lines: [{ label, points: finding.series, tone: 'culprit', dots: true }],
  });
  const growth = formatGrowth(finding);
  const [firstX, first] = finding.series[0] ?? [0, 0];
  const [lastX, last] = finding.series[finding.series.length - 1] ?? [0, 0];
  const span = `${formatNumber(first)} → ${formatNumber(last)} ${finding.unit} from invocation ${invocationsAxis(firstX)} to ${invocationsAxis(lastX)}`;
  return figure(chart, `<span class="growth">${escapeHtml(growth)}</span>: ${escapeHtml(span)}`);
}

/** heapUsed after a full GC at each checkpoint, the Theil-Sen line through it and the band of its 95% interval. */
export function heapChart(heap: Report['heap']): string {
  const { series } = heap;
  if (series.length === 0) return '<p class="muted">No heap checkpoints were taken.</p>';
  const x0 = series[0][0];
  const x1 = series[series.length - 1][0];
  const lines: ChartLine[] = [{ label: 'heapUsed after GC', points: series, tone: 'heap', dots: true }];
  let band: Array<[number, number, number]> | undefined;
  if (heap.intercept !== undefined && x1 > x0) {
    const at = (x: number, slope: number, pivot: number) =>
      (heap.intercept as number) + heap.bytesPerInvocation * pivot + slope * (x - pivot);
    const fit: SeriesPoint[] = [x0, x1].map((x) => [x, at(x, heap.bytesPerInvocation, 0)]);
    lines.push({ label: 'Theil-Sen fit', points: fit, tone: 'fit', dots: false });
    // Lines at the interval's two slopes through the fit's middle: the band every slope in the interval sweeps.
    const middle = (x0 + x1) / 2;
    band = [x0, middle, x1].map((x) => {
      const a = at(x, heap.ci95[0], middle);
      const b = at(x, heap.ci95[1], middle);
      return [x, Math.min(a, b), Math.max(a, b)];
    });
  }
  const ys = [...series.map(([, y]) => y), ...(band ?? []).flatMap(([, a, b]) => [a, b])];
  const chart = lineChart({
    title: 'heapUsed after a full GC at each checkpoint',
    kind: 'heap',
    xLabel: 'invocations',
    yLabel: 'heapUsed',
    formatX: invocationsAxis,
    ...bytesAxis(ys),
    lines,
    band,
  });
  const slope = `${formatNumber(heap.bytesPerInvocation)} B per invocation`;
  const ci = `95% interval ${formatNumber(heap.ci95[0])} to ${formatNumber(heap.ci95[1])} B`;
  return figure(
    chart,
    `Fitted slope ${escapeHtml(slope)} (${escapeHtml(ci)}), over ${series.length} checkpoints.`,
  );
}

/** heapUsed + external so far, and the forecast's line from the last checkpoint towards the memory size. */
export function forecastChart(report: Report): string {
  const forecast = report.forecast;
  if (!forecast) return '';
  const limit = forecast.memorySizeMB * MIB;
  const external = new Map(report.heap.external?.series ?? []);
  const measured: SeriesPoint[] = report.heap.series.map(([x, y]) => [x, y + (external.get(x) ?? 0)]);
  const [fromX, fromY] = forecast.from;
  const life = OBSERVED_CONTAINER_LIFE.invocations;
  const until = forecast.invocationsUntilLimit;
  // Growth that never reaches the limit is drawn flat out to a container's common life, where it is recycled.
  const end: SeriesPoint =
    until === null
      ? [Math.max(fromX, life), fromY]
      : [fromX + until, fromY + until * forecast.bytesPerInvocation];
  const chart = lineChart({
    title: `Memory forecast towards ${forecast.memorySizeMB} MB`,
    kind: 'forecast',
    xLabel: 'invocations',
    yLabel: 'heap + external',
    yFromZero: true,
    formatX: invocationsAxis,
    ...bytesAxis([0, limit]),
    lines: [
      { label: 'measured (heapUsed + external)', points: measured, tone: 'heap', dots: true },
      { label: 'forecast', points: [forecast.from, end], tone: 'limit', dashed: true },
    ],
    limits: [{ y: limit, label: `memory size ${forecast.memorySizeMB} MB` }],
    marks: [{ x: life, label: `containers commonly recycled (~${life.toLocaleString('en-US')})` }],
  });
  return figure(chart, escapeHtml(forecast.message));
}

/** Open handles and event listeners in total at each checkpoint, flat or not. */
export function resourcesChart(report: Report): string {
  const resources = report.resources;
  if (!resources || (resources.handles.length === 0 && resources.listeners.length === 0)) return '';
  const last = (points: SeriesPoint[]) => (points.length > 0 ? points[points.length - 1][1] : 0);
  const chart = lineChart({
    title: 'Open handles and event listeners at each checkpoint',
    kind: 'resources',
    xLabel: 'invocations',
    yLabel: 'count',
    yFromZero: true,
    formatX: invocationsAxis,
    lines: [
      { label: 'open handles', points: resources.handles, tone: 'culprit', dots: true },
      { label: 'event listeners', points: resources.listeners, tone: 'second', dots: true },
    ],
  });
  const count = (n: number, what: string) => `${formatNumber(n)} ${what}${n === 1 ? '' : 's'}`;
  let caption = `${count(last(resources.handles), 'open handle')} and ${count(last(resources.listeners), 'listener')} at the last checkpoint`;
  // A long check counts handles and listeners in its first phase only, then goes on with the heap alone.
  const until = Math.max(...[...resources.handles, ...resources.listeners].map(([x]) => x));
  const heapUntil = report.heap.series.length > 0 ? report.heap.series[report.heap.series.length - 1][0] : 0;
  if (heapUntil > until)
    caption += ` they were counted at (invocation ${invocationsAxis(until)}); after it the check measured the heap alone`;
  return figure(chart, escapeHtml(`${caption}.`));
}

/** Warm durations by percentile: the p50/p99/mean of the report, and the whole curve when it has the quantiles. */
export function warmChart(timing: Report['timing']): string {
  const { warm } = timing;
  const summary = `warm p50 ${formatNumber(warm.p50)} ms, p99 ${formatNumber(warm.p99)} ms, mean ${formatNumber(warm.mean)} ms`;
  const quantiles = timing.warmQuantiles ?? [];
  if (quantiles.length === 0) return `<p>${escapeHtml(summary)}</p>`;
  const chart = lineChart({
    title: 'Warm invocation duration by percentile',
    kind: 'warm',
    xLabel: 'percentile of warm invocations',
    yLabel: 'duration (ms, log scale)',
    yLog: true,
    formatX: (x) => `p${formatNumber(x)}`,
    lines: [
      {
        label: 'duration',
        points: quantiles.map(([q, ms]) => [Number((q * 100).toPrecision(4)), ms]),
        tone: 'second',
        dots: true,
      },
    ],
    limits: [{ y: warm.mean, label: `mean ${formatNumber(warm.mean)} ms` }],
  });
  return figure(
    chart,
    `${escapeHtml(summary)}; first invocation ${escapeHtml(formatNumber(timing.firstInvocationMs))} ms, init ${escapeHtml(formatNumber(timing.initMs))} ms.`,
  );
}
