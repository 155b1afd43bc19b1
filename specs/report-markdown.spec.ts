// `warmleak check --reporter markdown`: a GitHub job summary whose tables keep their columns and whose
// handler-derived text (pipes, backticks, HTML) stays text, read by cmark-gfm's rules for table cells and inlines.
// Adds ~12 s: one short check of three handlers through the CLI.
import { execFile } from 'node:child_process';
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

/**
 * What a cell or line shows, read as CommonMark reads inline text, or null when any of it would be markup: a code
 * span shows its content; elsewhere `\\x` shows x for punctuation, and an unescaped markup character is markup.
 * In a table cell, `\\|` is first unescaped to `|` (cmark-gfm does it before inline parsing).
 */
function shown(source: string, inTable: boolean): string | null {
  const text = inTable ? source.replace(/\\\|/g, '|') : source;
  let out = '';
  for (let i = 0; i < text.length; ) {
    if (text[i] === '`') {
      const fence = /^`+/.exec(text.slice(i))?.[0] as string;
      const close = text.indexOf(fence, i + fence.length);
      if (close < 0) return null;
      const code = text.slice(i + fence.length, close);
      out += code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '' ? code.slice(1, -1) : code;
      i = close + fence.length;
    } else if (text[i] === '\\' && /[!-/:-@[-`{-~]/.test(text[i + 1] ?? '')) {
      out += text[i + 1];
      i += 2;
    } else if (/[\\*_[\]<>~&!$]/.test(text[i])) {
      return null;
    } else out += text[i++];
  }
  return out;
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
    // A ramp from the first checkpoint's value to the last one's (the run's length is the check plan's business).
    expect(finding[3]).toMatch(/^▁[▁-█]{14}█ 20 → \d{3,}$/);
  });

  it('reads as text: the key in a code span, the culprit line escaped, nothing that would become HTML', () => {
    const [handlers, findings] = tables(run.stdout);
    expect(cells(handlers[2]).map((cell) => shown(cell, true))).toEqual([
      `${HOSTILE}#handler`,
      '❌ leak',
      '1',
      expect.stringMatching(/^-?\d/),
      expect.stringMatching(/^\d/),
      expect.stringMatching(/^\d/),
    ]);
    expect(cells(handlers[4]).map((cell) => shown(cell, true))).toEqual([
      `${BROKEN}#handler`,
      '⚠️ HandlerLoadError',
      '',
      '',
      '',
      '',
    ]);
    expect(shown(cells(findings[2])[0], true)).toBe(`byTenant.${KEY}`);
    const culprit = run.stdout.split('\n').find((line) => line.startsWith('- **')) as string;
    const last = /→ (\d+)$/.exec(cells(findings[2])[3])?.[1];
    expect(shown(culprit.slice(2).replace(/\*\*/g, ''), false)).toBe(
      `byTenant.${KEY}: byTenant.${KEY} (${HOSTILE}) grew by 1 element per invocation: 20 -> ${last}`,
    );
    expect(run.stdout).toContain(`Rerun: \`npx warmleak check ${HOSTILE}#handler --invocations 60\``);
  });
});

describe('markdown escaping', () => {
  it('keeps pipes, backslashes, backticks, emphasis and HTML literal in text and in code spans', () => {
    const nasty = 'a|b \\| `c` **d** _e_ <i>f</i> &amp; ![g](h) ~~i~~ $j$';
    const row = `| ${markdownText(nasty)} | ${markdownCode(nasty, true)} | ${markdownCode('x|`y`', true)} |`;
    // One cell each by GitHub's own rule: a pipe right after a backslash never splits (cmark-gfm).
    expect(cells(row).map((cell) => shown(cell, true))).toEqual([nasty, nasty, 'x|`y`']);
    expect(shown(`${markdownText(nasty)} ${markdownCode('``x|y``', false)}`, false)).toBe(
      `${nasty} \`\`x|y\`\``,
    );
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
    const row = markdownReporter([report], {})
      .split('\n')
      .find((line) => line.startsWith('| `lastAuthorization`'));
    expect(cells(row ?? '')).toEqual([
      '`lastAuthorization`',
      '`src/auth.ts`',
      'carry-over of headers.authorization',
      `${sparkline(report.findings[0].series)} 3 → 11`,
    ]);
  });
});
