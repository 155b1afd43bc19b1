// `warmleak bench --reporter html`: cold against warm duration and the cost per memory size, as one self-contained page.
import type { PhaseTiming, WarmColdResult } from '../bench/warm-cold.js';
import { formatNumber } from './format.js';
import { escapeHtml } from './html-escape.js';
import { htmlPage } from './html-page.js';
import { barChart } from './svg-chart.js';

const ms = (value: number) => `${formatNumber(value)} ms`;
const dollars = (value: number) => `$${value < 10 ? value.toFixed(3) : value.toFixed(2)}`;

export function benchHtml(result: WarmColdResult): string {
  const where =
    result.isolation === 'process'
      ? 'a fresh Node.js process per cold start'
      : 'a fresh module instance per cold start';
  const title = `warmleak bench ${result.handler}`;
  const body = [
    `<header><h1>${escapeHtml(title)}</h1><p class="run">${escapeHtml(`${result.runtime || 'lambda'} on Node ${result.node}, ${where}; cold / warm ${result.coldWarmRatio.toFixed(1)}x`)}</p></header>`,
    '<section class="handler pass"><h3>Cold against warm</h3><div class="charts">',
    durationChart(result),
    costChart(result),
    '</div>',
    timingTable(result),
    costTable(result),
    `<ul class="muted">${result.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`,
    '</section>',
  ].join('\n');
  return htmlPage(title, body);
}

function durationChart(result: WarmColdResult): string {
  const cold = result.cold.totalMs;
  const groups = (['mean', 'p50', 'p99'] as const).map((stat) => ({
    label: stat,
    bars: [
      { label: 'cold (Init Duration + first invocation)', value: cold[stat], tone: 'culprit' as const },
      { label: 'warm invocation', value: result.warm[stat], tone: 'second' as const },
    ],
  }));
  return barChart({
    title: 'Cold against warm duration',
    kind: 'cold-warm',
    yLabel: 'ms',
    groups,
    formatY: ms,
  });
}

function costChart(result: WarmColdResult): string {
  const groups = result.cost.map((c) => ({
    label: `${c.memoryMB} MB`,
    bars: [
      { label: 'cold invocations', value: c.cold.costPerMillion, tone: 'culprit' as const },
      { label: 'warm invocations', value: c.warm.costPerMillion, tone: 'second' as const },
    ],
  }));
  return barChart({
    title: 'Cost per million invocations at each memory size',
    kind: 'cost',
    yLabel: 'US$ per million invocations',
    groups,
    formatY: dollars,
  });
}

function timingTable(result: WarmColdResult): string {
  const phases: Array<[string, PhaseTiming | undefined]> = [
    ['Init Duration', result.cold.initDurationMs],
    ['first invocation', result.cold.firstInvocationMs],
    ['cold total', result.cold.totalMs],
    ['cold wall clock', result.cold.wallClockMs],
    ['process start', result.cold.processStartMs],
    ['warm', result.warm],
  ];
  const rows = phases.flatMap(([name, t]) =>
    t
      ? [
          `<tr><td>${name}</td>${[t.mean, t.p50, t.p99, t.min, t.max].map((v) => `<td class="num">${ms(v)}</td>`).join('')}<td class="num">${t.sampleCount.toLocaleString('en-US')}</td></tr>`,
        ]
      : [],
  );
  return `<table><thead><tr><th></th><th class="num">mean</th><th class="num">p50</th><th class="num">p99</th><th class="num">min</th><th class="num">max</th><th class="num">samples</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function costTable(result: WarmColdResult): string {
  const rows = result.cost.map(
    (c) =>
      `<tr><td>${c.memoryMB} MB</td><td class="num">${c.warm.billedDurationMs} ms</td><td class="num">${dollars(c.warm.costPerMillion)}</td><td class="num">${c.cold.billedDurationMs} ms</td><td class="num">${dollars(c.cold.costPerMillion)}</td></tr>`,
  );
  return `<table><thead><tr><th>memory</th><th class="num">billed warm</th><th class="num">$/1M warm</th><th class="num">billed cold</th><th class="num">$/1M cold</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
