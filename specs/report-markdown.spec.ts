// `warmleak check --reporter markdown`: a GitHub job summary read by a real GFM parser (micromark with its GFM
// extension, which follows cmark-gfm's table and inline rules), with raw HTML let through as GitHub's parser does, so
// any markup a handler's name smuggled in would come out as an element. Adds ~12 s: one short check of three
// handlers through the CLI.
import { execFile } from 'node:child_process';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { beforeAll, describe, expect, it } from 'vitest';
import { markdownReporter } from '../harness/reporters/markdown.js';
import { mermaidChart } from '../harness/reporters/markdown-chart.js';
import { markdownCode, markdownText } from '../harness/reporters/markdown-escape.js';
import { sparkline } from '../harness/reporters/sparkline.js';
import type { Finding } from '../harness/types.js';
import { leakingReport } from './fixtures/reports.js';

const HOSTILE = 'specs/fixtures/report-hostile-key.cjs';
const CLEAN = 'specs/fixtures/report-clean.cjs';
const BROKEN = 'specs/fixtures/cli-broken-handler.cjs';
/** The hostile fixture's two growing keys, exactly as its source spells them. */
const ALERT = '</script><img src=x onerror=alert(1)>';
const KEY = '</script><img src=x onerror="window.__warmleakPwned=1"><b>|`x`|</b>';

/** The elements the reporter itself writes; anything else in the HTML came from a handler's text. */
const OWN_ELEMENTS = [
  'h2',
  'h3',
  'p',
  'ul',
  'li',
  'strong',
  'code',
  'pre',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

/** GitHub's reading of a summary: CommonMark + GFM tables, raw HTML kept (GitHub sanitises it afterwards). */
function render(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

const entities: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"' };

/** What a reader sees of an HTML fragment: the text, without the reporter's own tags, entities decoded. */
function text(html: string): string {
  return html.replace(/<\/?[a-z0-9]+(?: [^>]*)?>/g, '').replace(/&(lt|gt|amp|quot);/g, (e) => entities[e]);
}

function elements(html: string): string[] {
  return [...new Set([...html.matchAll(/<([a-z][a-z0-9]*)[\s>]/g)].map((m) => m[1]))];
}

/** Every table as rows of cell texts, the header row first. */
function tables(html: string): string[][][] {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(([, table]) =>
    [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
      [...row.matchAll(/<t[hd](?: [^>]*)?>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) => text(cell)),
    ),
  );
}

function mermaidBlocks(html: string): string[] {
  return [...html.matchAll(/<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g)].map(
    ([, code]) => text(code),
  );
}

/** Rows keep their columns: a real parser pads or drops cells to the header's count, so the texts tell. */
function columnsOf(table: string[][]): number[] {
  return table.map((row) => row.length);
}

function warmleak(...args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((done) => {
    execFile(
      'npx',
      ['tsx', 'harness/cli/main.ts', 'check', ...args],
      { env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 90_000 },
      (error, stdout) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout }),
    );
  });
}

describe('warmleak check --reporter markdown, read as GitHub-flavoured Markdown', () => {
  let run: { code: number; stdout: string };
  let html: string;
  beforeAll(async () => {
    // `--output -` is stdout, as the option's help says (a lone `-` once read as a missing value).
    run = await warmleak(
      HOSTILE,
      CLEAN,
      BROKEN,
      '--invocations',
      '60',
      '--reporter',
      'markdown',
      '--output',
      '-',
    );
    html = render(run.stdout);
  }, 120_000);

  it('has a table of handlers and a table of what grew, each cell where its header says', () => {
    expect(run.code).toBe(1);
    const [handlers, findings, ...others] = tables(html);
    expect(others).toEqual([]);
    expect(columnsOf(handlers)).toEqual([6, 6, 6, 6]);
    expect(handlers[0]).toEqual([
      'Handler',
      'Verdict',
      'Findings',
      'Heap (B/invocation)',
      'Warm p50 (ms)',
      'Init (ms)',
    ]);
    expect(handlers[1]).toEqual([
      `${HOSTILE}#handler`,
      '❌ leak',
      '2',
      expect.stringMatching(/^-?\d/),
      expect.stringMatching(/^\d/),
      expect.stringMatching(/^\d/),
    ]);
    expect(handlers[2].slice(0, 3)).toEqual([`${CLEAN}#handler`, '✅ pass', '0']);
    expect(handlers[3]).toEqual([`${BROKEN}#handler`, '⚠️ HandlerLoadError', '', '', '', '']);
    expect(columnsOf(findings)).toEqual([4, 4, 4]);
    expect(findings.slice(1).map((row) => row.slice(0, 3))).toEqual([
      [`sessions.${ALERT}`, HOSTILE, '+1 element'],
      [`byTenant.${KEY}`, HOSTILE, '+1 element'],
    ]);
    // A ramp from the first checkpoint's value to the last one's (the run's length is the check plan's business).
    for (const row of findings.slice(1)) expect(row[3]).toMatch(/^▁[▁-█]{14}█ 20 → \d{3,}$/);
  });

  it('keeps every handler-derived character as text: no element but the reporter’s own', () => {
    expect(elements(html).filter((name) => !OWN_ELEMENTS.includes(name))).toEqual([]);
    expect(html).not.toMatch(/<img|<b>|<script/);
    const culprits = [...html.matchAll(/<p><strong><code>[\s\S]*?<\/p>/g)].map(([p]) => text(p));
    const last = /→ (\d+)$/.exec(tables(html)[1][1][3])?.[1];
    expect(culprits).toEqual(
      [`sessions.${ALERT}`, `byTenant.${KEY}`].map(
        (label) => `${label}: ${label} (${HOSTILE}) grew by 1 element per invocation: 20 -> ${last}`,
      ),
    );
    expect(text(html)).toContain(`Rerun: npx warmleak check ${HOSTILE}#handler --invocations 60`);
  });

  it('draws each finding as a Mermaid chart of numbers and fixed words only', () => {
    const charts = mermaidBlocks(html);
    expect(charts).toHaveLength(2);
    const last = /→ (\d+)$/.exec(tables(html)[1][1][3])?.[1];
    for (const chart of charts) {
      expect(chart).not.toMatch(/byTenant|sessions|script|onerror|[<|`]/);
      const lines = chart.trim().split('\n');
      expect(lines[1]).toBe('xychart-beta');
      expect(lines[2]).toMatch(/^ {2}x-axis "invocations" 20 --> \d+$/);
      expect(lines[3]).toBe('  y-axis "elements"');
      const values = /^ {2}line \[(.*)\]$/.exec(lines[4])?.[1].split(', ').map(Number) ?? [];
      expect(values).toHaveLength(16);
      expect([values[0], values[15]]).toEqual([20, Number(last)]);
    }
  });
});

describe('markdown escaping and charts', () => {
  it('keeps pipes, backslashes, backticks, emphasis and HTML literal in text and in code spans', () => {
    const nasty = 'a|b \\| `c` **d** _e_ <i>f</i> &amp; ![g](h) ~~i~~ $j$';
    const table = `| a | b | c |\n| --- | --- | --- |\n| ${markdownText(nasty)} | ${markdownCode(nasty, true)} | ${markdownCode('x|`y`', true)} |`;
    const rendered = render(table);
    expect(tables(rendered)).toEqual([
      [
        ['a', 'b', 'c'],
        [nasty, nasty, 'x|`y`'],
      ],
    ]);
    expect(elements(rendered).filter((name) => !OWN_ELEMENTS.includes(name))).toEqual([]);
    const paragraph = render(`${markdownText(nasty)} ${markdownCode('``x|y``', false)}`);
    expect(text(paragraph).trim()).toBe(`${nasty} \`\`x|y\`\``);
    expect(elements(paragraph)).toEqual(['p', 'code']);
  });

  it('makes control characters visible instead of breaking the line', () => {
    expect(markdownText('a\nb\u001b[31m')).toBe('a\\\\nb\\\\x1b\\[31m');
    expect(text(render(`| x |\n| - |\n| ${markdownText('a\nb|c')} |`))).toContain('a\\nb|c');
  });

  it('draws a steady leak as a straight ramp, whatever the checkpoint spacing, and a flat series flat', () => {
    const uneven: Finding['series'] = [
      [0, 0],
      [10, 10],
      [20, 20],
      [40, 40],
      [80, 80],
    ];
    expect(sparkline(uneven)).toBe('▁▁▂▂▃▃▄▄▅▅▆▆▇▇██');
    expect(
      sparkline([
        [0, 3],
        [50, 3],
      ]),
    ).toBe('▁'.repeat(16));
    const chart = mermaidChart({ ...leakingReport().findings[0], series: uneven, unit: 'bytes' });
    expect(chart.split('\n').slice(2, 6)).toEqual([
      'xychart-beta',
      '  x-axis "invocations" 0 --> 80',
      '  y-axis "bytes"',
      `  line [${Array.from({ length: 16 }, (_, i) => Number(((80 * i) / 15).toPrecision(4))).join(', ')}]`,
    ]);
    expect(mermaidChart({ ...leakingReport().findings[0], series: [[10, 1]] })).toBe('');
    // Bytes in KB once they run to five digits, so Mermaid's own tick labels stay short.
    const heap = mermaidChart({
      ...leakingReport().findings[0],
      unit: 'bytes',
      series: [
        [0, 8_192_000],
        [150, 8_345_600],
      ],
    });
    expect(heap.split('\n').slice(4, 6)).toEqual([
      '  y-axis "KB"',
      `  line [${Array.from({ length: 16 }, (_, i) => 8000 + i * 10).join(', ')}]`,
    ]);
  });

  it('reports a leak from hand-built reports with its findings table, culprit lines and charts', () => {
    const rendered = render(markdownReporter([leakingReport()], {}));
    expect(tables(rendered)[1][1]).toEqual([
      'arrayB',
      'src/orders/handler.ts:4:5',
      '+1 element',
      `${sparkline(leakingReport().findings[0].series)} 0 → 500`,
    ]);
    expect(text(rendered)).toContain(
      'tracer.finished: tracer.finished (src/lib/metrics.ts) grew by 2 elements per invocation: 0 -> 1000 <spans & "ids">.',
    );
    expect(mermaidBlocks(rendered)).toHaveLength(2);
  });

  it('a carry-over row says what was carried, not "+0": it is no rate, its series counts the sightings', () => {
    const report = leakingReport();
    report.findings = [
      {
        kind: 'carry-over',
        name: 'lastAuthorization',
        module: 'src/auth.ts',
        field: 'headers.authorization',
        growthPerInvocation: 0,
        unit: 'elements',
        series: [
          [100, 3],
          [200, 5],
          [500, 11],
        ],
        message:
          "headers.authorization of invocation 1 was served to invocation 2 (in its response): one request's data reached another; lastAuthorization (src/auth.ts) holds it",
      },
    ];
    expect(tables(render(markdownReporter([report], {})))[1][1]).toEqual([
      'lastAuthorization',
      'src/auth.ts',
      'carry-over of headers.authorization',
      `${sparkline(report.findings[0].series)} 3 → 11`,
    ]);
  });
});
