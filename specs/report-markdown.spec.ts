// `warmleak check --reporter markdown`: a GitHub job summary whose tables keep their columns and whose
// handler-derived text (pipes, backticks, HTML) stays text, checked by GFM's table rules and by a GFM renderer.
import { execFile } from 'node:child_process';
import { marked } from 'marked';
import { beforeAll, describe, expect, it } from 'vitest';
import { markdownReporter } from '../harness/reporters/markdown.js';
import { markdownCode, markdownText } from '../harness/reporters/markdown-escape.js';
import { sparkline } from '../harness/reporters/sparkline.js';
import { leakingReport } from './fixtures/reports.js';

const HOSTILE = 'specs/fixtures/report-hostile-key.cjs';
const CLEAN = 'specs/fixtures/report-clean.cjs';
const BROKEN = 'specs/fixtures/cli-broken-handler.cjs';
const KEY = '</script><img src=x onerror="window.__warmleakPwned=1"><b>|`x`|</b>';

/** GFM: a row's cells are split at every pipe not escaped by a backslash; leading and trailing pipes are edges. */
function cells(line: string): string[] {
  const inner = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

/** Every table: its header, delimiter row and body rows, as GFM finds them (a header followed by a delimiter row). */
function tables(markdown: string): string[][] {
  const lines = markdown.split('\n');
  const found: string[][] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].startsWith('|') || !/^\|( *:?-+:? *\|)+$/.test(lines[i + 1])) continue;
    let end = i + 2;
    while (end < lines.length && lines[end].startsWith('|')) end++;
    found.push(lines.slice(i, end));
    i = end;
  }
  return found;
}

const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The rendered cells of each table row, as text. */
function renderedRows(html: string): string[][] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => decode(cell[1])),
  );
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

describe('warmleak check --reporter markdown', () => {
  let run: { code: number; stdout: string };
  beforeAll(async () => {
    run = await warmleak(HOSTILE, CLEAN, BROKEN, '--invocations', '60', '--reporter', 'markdown');
  }, 120_000);

  it('prints tables whose every row has the header’s column count, with the hostile key’s pipes escaped', () => {
    expect(run.code).toBe(1);
    const found = tables(run.stdout);
    expect(found.map((table) => table.length)).toEqual([2 + 3, 2 + 1]); // handlers; the leak's findings
    for (const table of found) {
      const width = cells(table[0]).length;
      for (const line of table) expect(cells(line)).toHaveLength(width);
    }
    const finding = cells(found[1][2]);
    expect(finding[0]).toBe(`\`\`byTenant.${KEY.replace(/\|/g, '\\|')}\`\``);
    expect(finding[1]).toBe(`\`${HOSTILE}\``);
    expect(finding[2]).toBe('+1 element');
    expect(finding[3]).toMatch(/^▁[▁-█]{14}█ 20 → 200$/);
  });

  it('renders in a GFM renderer as text: the key is code, no element comes from it, the culprit line reads as written', () => {
    const html = marked.parse(run.stdout, { gfm: true, async: false });
    expect(html).not.toMatch(/<(img|b|script|svg)\b/);
    const rows = renderedRows(html);
    expect(rows.map((row) => row.length)).toEqual([6, 6, 6, 6, 4, 4]);
    expect(rows[1].slice(0, 2)).toEqual([`${HOSTILE}#handler`, '❌ leak']);
    expect(rows[3]).toEqual([`${BROKEN}#handler`, '⚠️ could not be loaded', '', '', '', '']);
    expect(rows[5][0]).toBe(`byTenant.${KEY}`);
    const culprit = decode(/<li>([\s\S]*?)<\/li>/.exec(html)?.[1] ?? '');
    expect(culprit).toBe(
      `byTenant.${KEY}: byTenant.${KEY} (${HOSTILE}) grew by 1 element per invocation: 20 -> 200`,
    );
    expect(run.stdout).toContain(`Rerun: \`npx warmleak check ${HOSTILE}#handler --invocations 60\``);
  });
});

describe('markdown escaping', () => {
  it('keeps pipes, backslashes, backticks, emphasis and HTML literal in text and in code spans', () => {
    const nasty = 'a|b \\| `c` **d** _e_ <i>f</i> &amp; ![g](h) ~~i~~ $j$';
    const table = `| x | y |\n| --- | --- |\n| ${markdownText(nasty)} | ${markdownCode(nasty, true)} |\n`;
    const rows = renderedRows(marked.parse(table, { gfm: true, async: false }));
    expect(rows[1]).toEqual([nasty, nasty]);
    // Each cell is one cell by GitHub's own rule too: a pipe right after a backslash never splits (cmark-gfm).
    expect(cells(table.split('\n')[2])).toHaveLength(2);
    const prose = marked.parse(`- ${markdownText(nasty)} ${markdownCode('``x|y``', false)}`, {
      async: false,
    });
    expect(decode(prose).trim()).toBe(`${nasty} \`\`x|y\`\``);
  });

  it('makes control characters visible instead of breaking the line', () => {
    expect(markdownText('a\nb\u001b[31m')).toBe('a\\\\nb\\\\x1b\\[31m');
  });

  it('draws a steady leak as a straight ramp, whatever the checkpoint spacing, and a flat series flat', () => {
    expect(
      sparkline([
        [0, 0],
        [10, 10],
        [20, 20],
        [40, 40],
        [80, 80],
      ]),
    ).toBe('▁▁▂▂▃▃▄▄▅▅▆▆▇▇██');
    expect(
      sparkline([
        [0, 3],
        [50, 3],
      ]),
    ).toBe('▁'.repeat(16));
  });

  it('reports a leak from hand-built reports with its findings table and culprit lines', () => {
    const text = markdownReporter([leakingReport()], {});
    expect(text).toContain('| `arrayB` | `src/orders/handler.ts:4:5` | +1 element |');
    expect(text).toContain(
      '- **`tracer.finished`**: tracer.finished (src/lib/metrics.ts) grew by 2 elements',
    );
    expect(text).toContain('\\<spans \\& "ids"\\>');
  });
});
