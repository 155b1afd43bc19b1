// Small inline SVG charts for the HTML reports: line charts (points, fitted lines, bands, limits) and bar charts.
// Strings in, SVG text out; no script, no fonts or images to fetch, every label escaped.
import type { SeriesPoint } from '../types.js';
import { formatNumber } from './format.js';
import { escapeHtml } from './html-escape.js';

export type Tone = 'culprit' | 'heap' | 'fit' | 'second' | 'limit' | 'muted';

export const chartColours: Record<Tone, string> = {
  culprit: '#c0392b',
  heap: '#1f5fa8',
  fit: '#e08e0b',
  second: '#2e8b57',
  limit: '#7d3c98',
  muted: '#8a8f98',
};

export interface ChartLine {
  label: string;
  points: SeriesPoint[];
  tone: Tone;
  /** Draw each point as a dot with a tooltip (measured values); fitted and forecast lines have none. */
  dots?: boolean;
  dashed?: boolean;
}

export interface LineChartOptions {
  /** What the chart shows, for screen readers and the tooltip of the whole chart. */
  title: string;
  /** `data-chart` attribute: lets a reader (or a spec) find every chart of one kind. */
  kind: string;
  xLabel: string;
  yLabel: string;
  lines: ChartLine[];
  /** A shaded band: [x, low, high] along the x axis (the fit's 95% interval). */
  band?: Array<[number, number, number]>;
  /** Horizontal reference lines (the function's memory size). */
  limits?: Array<{ y: number; label: string }>;
  /** Vertical reference lines (how many invocations a container commonly serves). */
  marks?: Array<{ x: number; label: string }>;
  formatX?: (x: number) => string;
  formatY?: (y: number) => string;
  /** Start the y axis at zero (counts); otherwise it fits the data (a heap in the tens of MB). */
  yFromZero?: boolean;
  /** Ticks fall on round multiples of this (1024 for KB, 1 MiB for MB), so labels in that unit are round too. */
  yUnit?: number;
  /** A logarithmic y axis: durations whose slowest invocation is a hundred times the median. */
  yLog?: boolean;
}

const WIDTH = 560;
const HEIGHT = 220;
const PAD = { left: 76, right: 16, top: 14, bottom: 40 };

/** About `count` round tick values covering [min, max]: steps of 1, 2 or 5 times a power of ten. */
export function ticks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const values: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    values.push(Number(v.toPrecision(12)));
  return values;
}

/** Ticks of a log axis: each power of ten, and 2 and 5 times it when the axis spans few decades. */
function logTicks(min: number, max: number): number[] {
  const low = Math.floor(Math.log10(min));
  const high = Math.ceil(Math.log10(max));
  const steps = high - low <= 3 ? [1, 2, 5] : [1];
  const values: number[] = [];
  for (let k = low; k <= high; k++)
    for (const m of steps) {
      const v = Number((m * 10 ** k).toPrecision(6));
      if (v >= min && v <= max) values.push(v);
    }
  return values;
}

interface Scale {
  x: (value: number) => number;
  y: (value: number) => number;
  xTicks: number[];
  yTicks: number[];
}

function domain(values: number[], fromZero: boolean): [number, number] {
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (fromZero) min = Math.min(0, min);
  if (max === min) {
    const pad = Math.abs(max) > 0 ? Math.abs(max) * 0.1 : 1;
    min = fromZero && min === 0 ? 0 : min - pad;
    max += pad;
  }
  return [min, max];
}

function scale(options: LineChartOptions): Scale {
  const xs = [
    ...options.lines.flatMap((line) => line.points.map(([x]) => x)),
    ...(options.marks ?? []).map((mark) => mark.x),
  ];
  const ys = [
    ...options.lines.flatMap((line) => line.points.map(([, y]) => y)),
    ...(options.band ?? []).flatMap(([, low, high]) => [low, high]),
    ...(options.limits ?? []).map((limit) => limit.y),
  ];
  const [x0, x1] = domain(xs.length > 0 ? xs : [0, 1], true);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (value: number) => PAD.left + ((value - x0) / (x1 - x0)) * plotW;
  if (options.yLog) {
    const positive = ys.filter((y) => y > 0);
    const low = positive.length > 0 ? Math.min(...positive) : 1;
    const high = positive.length > 0 ? Math.max(...positive) : 10;
    // Whole decades around the data, so the axis starts and ends on a labelled tick.
    const l0 = Math.floor(Math.log10(low));
    const l1 = Math.max(l0 + 1, Math.ceil(Math.log10(high)));
    const y = (value: number) =>
      PAD.top + plotH - ((Math.log10(Math.max(value, 10 ** l0)) - l0) / (l1 - l0)) * plotH;
    return { x, y, xTicks: ticks(x0, x1), yTicks: logTicks(10 ** l0, 10 ** l1) };
  }
  const unit = options.yUnit ?? 1;
  const [y0, y1] = domain(ys.length > 0 ? ys.map((v) => v / unit) : [0, 1], options.yFromZero === true);
  return {
    x,
    y: (value) => PAD.top + plotH - ((value / unit - y0) / (y1 - y0)) * plotH,
    xTicks: ticks(x0, x1),
    yTicks: ticks(y0, y1, 4).map((t) => t * unit),
  };
}

const round = (value: number) => Math.round(value * 10) / 10;

function axes(s: Scale, options: LineChartOptions): string[] {
  const fx = options.formatX ?? formatNumber;
  const fy = options.formatY ?? formatNumber;
  const bottom = HEIGHT - PAD.bottom;
  const out = [
    `<line x1="${PAD.left}" y1="${bottom}" x2="${WIDTH - PAD.right}" y2="${bottom}" stroke="#444"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${bottom}" stroke="#444"/>`,
  ];
  for (const t of s.xTicks) {
    const x = round(s.x(t));
    out.push(`<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 4}" stroke="#444"/>`);
    out.push(`<text x="${x}" y="${bottom + 16}" text-anchor="middle">${escapeHtml(fx(t))}</text>`);
  }
  for (const t of s.yTicks) {
    const y = round(s.y(t));
    out.push(`<line x1="${PAD.left}" y1="${y}" x2="${WIDTH - PAD.right}" y2="${y}" stroke="#e4e6ea"/>`);
    out.push(`<text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end">${escapeHtml(fy(t))}</text>`);
  }
  out.push(
    `<text x="${(PAD.left + WIDTH - PAD.right) / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(options.xLabel)}</text>`,
    `<text transform="translate(11 ${(PAD.top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(options.yLabel)}</text>`,
  );
  return out;
}

function path(s: Scale, points: SeriesPoint[]): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${round(s.x(x))} ${round(s.y(y))}`).join(' ');
}

function line(s: Scale, l: ChartLine, options: LineChartOptions): string[] {
  const fx = options.formatX ?? formatNumber;
  const fy = options.formatY ?? formatNumber;
  const stroke = chartColours[l.tone];
  const dash = l.dashed ? ' stroke-dasharray="5 4"' : '';
  const out = [
    `<path class="line" d="${path(s, l.points)}" fill="none" stroke="${stroke}" stroke-width="2"${dash}><title>${escapeHtml(l.label)}</title></path>`,
  ];
  if (l.dots) {
    for (const [x, y] of l.points) {
      const tip = `${l.label}: ${fy(y)} after ${fx(x)}`;
      out.push(
        `<circle class="point" cx="${round(s.x(x))}" cy="${round(s.y(y))}" r="3" fill="${stroke}"><title>${escapeHtml(tip)}</title></circle>`,
      );
    }
  }
  return out;
}

/** A line chart of value against invocation, one `<circle class="point">` per measured point. */
export function lineChart(options: LineChartOptions): string {
  const s = scale(options);
  const parts = axes(s, options);
  if (options.band && options.band.length > 1) {
    const upper = options.band.map(([x, , high]) => `${round(s.x(x))},${round(s.y(high))}`);
    const lower = options.band.map(([x, low]) => `${round(s.x(x))},${round(s.y(low))}`).reverse();
    parts.push(
      `<polygon class="band" points="${[...upper, ...lower].join(' ')}" fill="${chartColours.fit}" fill-opacity="0.18"><title>95% interval of the fitted slope</title></polygon>`,
    );
  }
  for (const limit of options.limits ?? []) {
    const y = round(s.y(limit.y));
    parts.push(
      `<line class="limit" x1="${PAD.left}" y1="${y}" x2="${WIDTH - PAD.right}" y2="${y}" stroke="${chartColours.limit}" stroke-dasharray="2 3"/>`,
      `<text x="${WIDTH - PAD.right - 4}" y="${y - 4}" text-anchor="end" fill="${chartColours.limit}">${escapeHtml(limit.label)}</text>`,
    );
  }
  for (const mark of options.marks ?? []) {
    const x = round(s.x(mark.x));
    parts.push(
      `<line class="mark" x1="${x}" y1="${PAD.top}" x2="${x}" y2="${HEIGHT - PAD.bottom}" stroke="${chartColours.muted}" stroke-dasharray="2 3"/>`,
      // Labelled on the side with room: a mark near the left edge gets its label to its right.
      x < WIDTH / 2
        ? `<text x="${x + 4}" y="${PAD.top + 24}" fill="${chartColours.muted}">${escapeHtml(mark.label)}</text>`
        : `<text x="${x - 4}" y="${PAD.top + 24}" text-anchor="end" fill="${chartColours.muted}">${escapeHtml(mark.label)}</text>`,
    );
  }
  for (const l of options.lines) parts.push(...line(s, l, options));
  return svg(options.kind, options.title, parts, legend(options.lines));
}

function legend(lines: ChartLine[]): string {
  if (lines.length < 2) return '';
  const items = lines.map(
    (l) =>
      `<span class="key"><span class="swatch" data-tone="${l.tone}"></span>${escapeHtml(l.label)}</span>`,
  );
  return `<div class="legend">${items.join('')}</div>`;
}

function svg(kind: string, title: string, parts: string[], after = ''): string {
  return `<figure class="chart"><svg data-chart="${escapeHtml(kind)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(title)}" font-size="11" font-family="system-ui, sans-serif"><title>${escapeHtml(title)}</title>${parts.join('')}</svg>${after}</figure>`;
}

export interface BarGroup {
  label: string;
  bars: Array<{ label: string; value: number; tone: Tone }>;
}

/** Grouped vertical bars from zero (cold against warm; cost per memory size), each bar titled with its value. */
export function barChart(options: {
  title: string;
  kind: string;
  yLabel: string;
  groups: BarGroup[];
  formatY?: (y: number) => string;
}): string {
  const fy = options.formatY ?? formatNumber;
  const max = Math.max(0, ...options.groups.flatMap((g) => g.bars.map((b) => b.value)));
  const yTicks = ticks(0, max > 0 ? max : 1, 4);
  const top = Math.max(yTicks[yTicks.length - 1], max);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const y = (value: number) => PAD.top + plotH - (value / (top > 0 ? top : 1)) * plotH;
  const groupW = (WIDTH - PAD.left - PAD.right) / Math.max(1, options.groups.length);
  const bottom = HEIGHT - PAD.bottom;
  const parts = [
    `<line x1="${PAD.left}" y1="${bottom}" x2="${WIDTH - PAD.right}" y2="${bottom}" stroke="#444"/>`,
  ];
  for (const t of yTicks) {
    parts.push(
      `<line x1="${PAD.left}" y1="${round(y(t))}" x2="${WIDTH - PAD.right}" y2="${round(y(t))}" stroke="#e4e6ea"/>`,
      `<text x="${PAD.left - 6}" y="${round(y(t)) + 4}" text-anchor="end">${escapeHtml(fy(t))}</text>`,
    );
  }
  options.groups.forEach((group, g) => {
    const barW = (groupW * 0.7) / Math.max(1, group.bars.length);
    const start = PAD.left + g * groupW + groupW * 0.15;
    group.bars.forEach((bar, b) => {
      const x = round(start + b * barW);
      const h = round(bottom - y(bar.value));
      parts.push(
        `<rect class="bar" x="${x}" y="${round(bottom - h)}" width="${round(barW - 2)}" height="${h}" fill="${chartColours[bar.tone]}"><title>${escapeHtml(`${group.label}, ${bar.label}: ${fy(bar.value)}`)}</title></rect>`,
        // The value over its bar: a warm bar a hundredth of the cold one is too short to read off the axis.
        `<text x="${round(x + (barW - 2) / 2)}" y="${round(bottom - h - 3)}" text-anchor="middle" font-size="10">${escapeHtml(fy(bar.value))}</text>`,
      );
    });
    parts.push(
      `<text x="${round(start + groupW * 0.35)}" y="${bottom + 16}" text-anchor="middle">${escapeHtml(group.label)}</text>`,
    );
  });
  parts.push(
    `<text transform="translate(12 ${(PAD.top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(options.yLabel)}</text>`,
  );
  const labels = [...new Map(options.groups.flatMap((g) => g.bars.map((b) => [b.label, b.tone]))).entries()];
  const lines = labels.map(([label, tone]) => ({ label, tone, points: [] }));
  return svg(options.kind, options.title, parts, legend(lines));
}
