// The HTML and Markdown reporters on hand-built reports: every handler-derived field escaped, every part drawn.
import { describe, expect, it } from 'vitest';
import { htmlReporter } from '../harness/reporters/html.js';
import { resourcesChart } from '../harness/reporters/html-charts.js';
import { markdownReporter } from '../harness/reporters/markdown.js';
import { ticks } from '../harness/reporters/svg-chart.js';
import type { CheckedReport } from '../harness/reporters/types.js';
import { leakingReport, passingReport } from './fixtures/reports.js';

const PAYLOAD = '</script><img src=x onerror=alert(1)><b>|`x`|</b>&amp;\u001b[31m';

/** A report whose every string a handler can influence carries the payload. */
function hostileReport(): CheckedReport {
  const base = leakingReport();
  return {
    ...base,
    handler: `src/${PAYLOAD}.ts#handler`,
    error: { errorType: `Runtime.${PAYLOAD}`, errorMessage: PAYLOAD, invocation: 3 },
    findings: [
      {
        ...base.findings[0],
        name: PAYLOAD,
        path: `cache.${PAYLOAD}`,
        module: `src/${PAYLOAD}.ts`,
        site: `src/${PAYLOAD}.ts:1:2`,
        message: PAYLOAD,
      },
      {
        kind: 'heap',
        name: 'heap',
        growthPerInvocation: 512,
        unit: 'bytes',
        series: [
          [0, 4_000_000],
          [1000, 4_512_000],
        ],
        message: PAYLOAD,
        constructors: [{ name: PAYLOAD, countPerInvocation: 1, bytesPerInvocation: 512 }],
        retainers: [`(closure) -> ${PAYLOAD}`],
      },
    ],
    checked: [PAYLOAD],
    passed: [PAYLOAD],
  };
}

describe('htmlReporter', () => {
  const failures = [{ handler: `src/${PAYLOAD}.ts#main`, errorType: 'HandlerLoadError', message: PAYLOAD }];
  const html = htmlReporter([passingReport(), hostileReport()], {
    failures,
    rerunArgs: ['--event', PAYLOAD],
  });

  it('escapes every field a handler controls: no element, entity or control character comes from it', () => {
    const body = html.slice(html.indexOf('<body>'));
    expect(body).not.toContain('<img');
    expect(body).not.toContain('<b>');
    expect(body).not.toContain('\u001b');
    expect(body.match(/<\/script>/g)).toHaveLength(2); // the embedded reports and the sorting script
    const escaped =
      '&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;|`x`|&lt;/b&gt;&amp;amp;\\x1b[31m';
    // handler, error type and message, name, path, module, site, message x2, constructor, retainer, checked, load failure
    expect(body.split(escaped).length - 1).toBeGreaterThanOrEqual(14);
  });

  it('puts culprits first, links the summary to each section, and draws one chart per finding', () => {
    expect(html.indexOf('id="handler-0"')).toBeLessThan(html.indexOf('id="handler-1"'));
    expect(html.match(/<section class="handler (\w+)"/g)).toEqual([
      '<section class="handler error"',
      '<section class="handler pass"',
      '<section class="handler error"',
    ]);
    expect(html.match(/href="#[\w-]+"/g)).toEqual([
      'href="#handler-0"',
      'href="#handler-1"',
      'href="#load-failure-0"',
    ]);
    expect(html.match(/data-chart="finding"/g)).toHaveLength(2);
    expect(html.match(/data-chart="heap"/g)).toHaveLength(2);
    expect(html).toContain('Runtime.');
    expect(html).toContain('at invocation 3');
  });

  it('after a leak lists only the probes that passed, as the text story does; a pass lists what was checked', () => {
    const leaking = {
      ...leakingReport(),
      notes: [{ kind: 'logs-dropped' as const, droppedRecords: 3, invocations: 500 }],
    };
    const page = htmlReporter([leaking, passingReport()]);
    expect(page).toContain(
      '<p class="muted note">platform.logsDropped: 3 log lines dropped in 500 invocations',
    );
    expect(page.match(/<p class="muted checked">[^<]*<\/p>/g)).toEqual([
      '<p class="muted checked">checked and passed: globals, heap</p>',
      '<p class="muted checked">checked: module scope, globals, heap</p>',
    ]);
  });

  it('draws handles and listeners, and says so when the check went on with the heap alone', () => {
    const report = {
      ...passingReport(),
      heap: { ...passingReport().heap, series: [0, 100, 200, 2000].map((x): [number, number] => [x, 4e6]) },
      resources: {
        handles: [0, 100, 200].map((x): [number, number] => [x, 1]),
        listeners: [0, 100, 200].map((x): [number, number] => [x, 3]),
      },
    };
    const chart = resourcesChart(report);
    expect(chart.match(/<circle class="point"/g)).toHaveLength(6);
    expect(chart).toContain(
      '1 open handle and 3 listeners at the last checkpoint they were counted at (invocation 200); after it the check measured the heap alone.',
    );
    const whole = resourcesChart({
      ...report,
      heap: { ...report.heap, series: report.heap.series.slice(0, 3) },
    });
    expect(whole).toContain('1 open handle and 3 listeners at the last checkpoint.</figcaption>');
  });

  it('forbids every request in its policy and embeds the reports it drew', () => {
    expect(html).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-/,
    );
    const json =
      /<script type="application\/json" id="warmleak-reports">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
    const embedded = JSON.parse(json) as CheckedReport[];
    expect(embedded.map((report) => report.handler)).toEqual([
      `src/${PAYLOAD}.ts#handler`,
      passingReport().handler,
    ]);
  });
});

/** The text with every code span (a run of backticks up to the same run) removed. */
function withoutCodeSpans(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const fence = /^`+/.exec(text.slice(i))?.[0];
    if (fence && (i === 0 || text[i - 1] !== '\\')) {
      const close = text.indexOf(fence, i + fence.length);
      i = close < 0 ? text.length : close + fence.length;
    } else out += text[i++];
  }
  return out;
}

describe('markdownReporter', () => {
  it('escapes every field a handler controls and keeps one row per line', () => {
    const text = markdownReporter([hostileReport()], {
      failures: [{ handler: `x${PAYLOAD}`, errorType: 'HandlerLoadError', message: PAYLOAD }],
    });
    expect(text).not.toContain('\u001b');
    // Outside code spans (shown as written), every markup character is backslash-escaped.
    expect(withoutCodeSpans(text)).not.toMatch(/(?<!\\)[<>]/);
    for (const line of text.split('\n').filter((l) => l.startsWith('|'))) expect(line).toMatch(/ \|$/);
    expect(text).toContain('❌ died (Runtime.\\</script\\>');
  });
});

describe('chart ticks', () => {
  it('fall on steps of 1, 2 or 5 times a power of ten and cover the range', () => {
    expect(ticks(0, 200)).toEqual([0, 50, 100, 150, 200]);
    expect(ticks(0, 1520)).toEqual([0, 500, 1000, 1500]);
    expect(ticks(0.001, 0.0031, 4)).toEqual([0.001, 0.002, 0.003]);
    expect(ticks(0, 7)).toEqual([0, 2, 4, 6]);
    expect(ticks(5, 5)).toEqual([5]);
  });
});
