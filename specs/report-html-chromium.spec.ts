// `warmleak check --reporter html` end to end: a real check through the CLI, the page opened in Debian's Chromium.
// Adds 27-35 s to `npm test` on Node 20 and on Node 24 alike (measured with the machine's load average at 15-20 on
// 2 cores): two short checks (a leaky handler whose keys and folder are markup, a clean one), a short bench, one
// browser launch.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckedReport } from '../harness/reporters/types.js';
import { CHROMIUM } from './fixtures/chromium-options.js';

/** The hostile fixture, checked from a folder whose name is markup too: the path is handler-derived text. */
const FOLDER = '<img src=x onerror=alert(2)>';
const CLEAN = 'specs/fixtures/report-clean.cjs';
/** The growing keys of the hostile fixture, exactly as its source spells them. */
const ALERT = '</script><img src=x onerror=alert(1)>';
const KEY = '</script><img src=x onerror="window.__warmleakPwned=1"><b>|`x`|</b>';
const OUTPUT = resolve('test-output');

/** What the spec reads of the page's globals. */
interface PageGlobals {
  __warmleakPwned?: unknown;
  document: {
    querySelectorAll(selector: string): Iterable<{ textContent: string | null }> & { length: number };
    querySelector(selector: string): { textContent: string | null } | null;
    body: { innerText: string };
  };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function warmleak(...args: string[]): Promise<Run> {
  return cli('check', ...args);
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      'npx',
      ['tsx', 'harness/cli/main.ts', ...args],
      { env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** The reports the page embeds (`<script type="application/json">`), read from the file, not through the page. */
function embeddedReports(html: string): CheckedReport[] {
  const match = /<script type="application\/json" id="warmleak-reports">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error('no embedded reports');
  return JSON.parse(match[1]);
}

describe.skipIf(!existsSync(CHROMIUM))(`the HTML report in ${CHROMIUM}`, () => {
  let dir: string;
  let HOSTILE: string;
  let browser: Browser;
  let html: string;
  let run: Run;
  let jsonRun: Run;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  let page: Awaited<ReturnType<Browser['newPage']>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'warmleak-report-spec-'));
    mkdirSync(join(dir, FOLDER));
    HOSTILE = join(dir, FOLDER, 'report-hostile-key.cjs');
    copyFileSync('specs/fixtures/report-hostile-key.cjs', HOSTILE);
    const file = join(dir, 'report.html');
    [run, jsonRun] = await Promise.all([
      warmleak(HOSTILE, CLEAN, '--invocations', '60', '--reporter', 'html', '--output', file),
      warmleak(HOSTILE, '--invocations', '60', '--json'),
    ]);
    html = readFileSync(file, 'utf8');
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${join(dir, 'profile')}`,
      ],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.setRequestInterception(true);
    const own = `file://${file}`;
    page.on('request', (request) => {
      if (request.url() === own) return request.continue();
      requests.push(request.url());
      return request.abort();
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    // An alert(1) that ran would open a dialog; it is recorded and dismissed so the page goes on.
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      return dialog.dismiss();
    });
    await page.goto(own, { waitUntil: 'load' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is written to --output, exits 1 for the leak, and loads with no console error and no request', async () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/warmleak: report written to .*report\.html/);
    expect(await page.title()).toBe('warmleak: 2 handlers checked: 1 leak, 1 passed');
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('draws one chart per finding and the heap chart, each with one point per checkpoint of the report', async () => {
    const reports = embeddedReports(html);
    expect(reports.map((report) => [report.handler, report.verdict])).toEqual([
      [`${HOSTILE}#handler`, 'leak'],
      [`${CLEAN}#handler`, 'pass'],
    ]);
    const drawn = await page.$$eval('section.handler', (sections) =>
      sections.map((section) => ({
        findings: [...section.querySelectorAll('svg[data-chart="finding"]')].map(
          (svg) => svg.querySelectorAll('circle.point').length,
        ),
        heap: [...section.querySelectorAll('svg[data-chart="heap"]')].map(
          (svg) => svg.querySelectorAll('circle.point').length,
        ),
        bands: section.querySelectorAll('svg[data-chart="heap"] polygon.band').length,
        fits: section.querySelectorAll('svg[data-chart="heap"] path.line').length,
        // Measured points, then the forecast's line out to the memory size (a horizontal limit line).
        forecast: [...section.querySelectorAll('svg[data-chart="forecast"]')].map((svg) => [
          svg.querySelectorAll('circle.point').length,
          svg.querySelectorAll('path.line').length,
          svg.querySelectorAll('line.limit').length,
        ]),
        resources: [...section.querySelectorAll('svg[data-chart="resources"]')].map(
          (svg) => svg.querySelectorAll('circle.point').length,
        ),
        warm: [...section.querySelectorAll('svg[data-chart="warm"]')].map(
          (svg) => svg.querySelectorAll('circle.point').length,
        ),
      })),
    );
    expect(drawn).toEqual(
      reports.map((report) => ({
        findings: report.findings.map((finding) => finding.series.length),
        heap: [report.heap.series.length],
        bands: 1,
        fits: 2, // the measured series and the Theil-Sen line
        forecast: [[report.heap.series.length, 2, 1]],
        resources: [(report.resources?.handles.length ?? 0) + (report.resources?.listeners.length ?? 0)],
        warm: [report.timing.warmQuantiles?.length],
      })),
    );
    // The same check through --json: the finding and its series, as the page drew them.
    const json = JSON.parse(jsonRun.stdout) as CheckedReport;
    expect(json.findings.map((finding) => [finding.name, finding.series.length])).toEqual([
      [ALERT, drawn[0].findings[0]],
      [KEY, drawn[0].findings[1]],
    ]);
    expect(drawn[0].findings[0]).toBeGreaterThanOrEqual(11);
    // Each finding's chart says its growth per invocation and the span it drew.
    const captions = await page.$$eval('.finding figure.chart figcaption', (figcaptions) =>
      figcaptions.map((caption) => caption.textContent),
    );
    expect(captions).toEqual(
      json.findings.map((finding) => {
        const [[x0, y0], [x1, y1]] = [finding.series[0], finding.series[finding.series.length - 1]];
        return `+1 element per invocation: ${y0} → ${y1} elements from invocation ${x0.toLocaleString('en-US')} to ${x1.toLocaleString('en-US')}`;
      }),
    );
    expect(drawn[0].resources[0]).toBeGreaterThanOrEqual(2 * 11);
  });

  it('shows the hostile keys as text and runs nothing from them', async () => {
    const state = await page.evaluate(() => {
      // This runs in the page; the spec compiles without the DOM library, hence the narrow shape.
      const { document, __warmleakPwned } = globalThis as unknown as PageGlobals;
      return {
        pwned: __warmleakPwned,
        images: document.querySelectorAll('img').length,
        bold: document.querySelectorAll('b').length,
        headings: [...document.querySelectorAll('section.handler .finding h4 code:first-of-type')].map(
          (code) => code.textContent,
        ),
        sectionHeading: document.querySelector('section.handler h2')?.textContent,
        // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered is the point (no script data).
        text: document.body.innerText,
      };
    });
    expect(state.pwned).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(state.images).toBe(0);
    expect(state.bold).toBe(0);
    expect(state.headings).toEqual([`sessions.${ALERT}`, `byTenant.${KEY}`]);
    // The module as the report names it: relative to the project, through the folder named as markup.
    const module = embeddedReports(html)[0].findings[0].module as string;
    expect(module).toMatch(new RegExp(`${FOLDER.replace(/[()]/g, '\\$&')}/report-hostile-key\\.cjs$`));
    for (const label of [`sessions.${ALERT}`, `byTenant.${KEY}`])
      expect(state.text).toContain(`${label} (${module}) grew by 1 element per invocation`);
    expect(state.sectionHeading).toBe(`LEAK${HOSTILE}#handler`);
  });

  it('links each summary row to its handler’s section, which says what passed as the text story does', async () => {
    const reports = embeddedReports(html);
    const links = await page.$$eval('table.summary tbody tr', (rows) =>
      rows.map((row) => {
        const href = row.querySelector('a')?.getAttribute('href') ?? '';
        const section = row.ownerDocument.querySelector(href);
        return {
          row: row.cells[0].textContent,
          section: section?.querySelector('h2 code')?.textContent,
          checked: section?.querySelector('p.checked')?.textContent,
        };
      }),
    );
    expect(links).toEqual(
      reports.map((report) => ({
        row: report.handler,
        section: report.handler,
        checked:
          report.verdict === 'leak'
            ? `checked and passed: ${report.passed?.join(', ')}`
            : `checked: ${report.checked?.join(', ')}`,
      })),
    );
    expect(reports[0].passed).not.toContain('module-scope');
    await page.click('table.summary tbody tr:last-child a');
    expect(new URL(page.url()).hash).toBe('#handler-1');
  });

  it('sorts the summary table by a clicked column, in the page its policy allows', async () => {
    const order = () =>
      page.$$eval('table.summary tbody tr td:first-child', (cells) => cells.map((cell) => cell.textContent));
    expect(await order()).toEqual([`${HOSTILE}#handler`, `${CLEAN}#handler`]);
    // By findings, a number: the clean handler's 0 first, then the other way round.
    await page.click('table.summary th:nth-child(3) button');
    expect(await order()).toEqual([`${CLEAN}#handler`, `${HOSTILE}#handler`]);
    expect(await page.$eval('table.summary a', (a) => a.getAttribute('href'))).toBe('#handler-1');
    await page.click('table.summary th:nth-child(3) button');
    expect(await order()).toEqual([`${HOSTILE}#handler`, `${CLEAN}#handler`]);
    // By handler, text: descending puts specs/… before /tmp/….
    await page.click('table.summary th:first-child button');
    await page.click('table.summary th:first-child button');
    expect(await order()).toEqual([`${CLEAN}#handler`, `${HOSTILE}#handler`]);
    expect(consoleErrors).toEqual([]);
  });

  it('draws bench --reporter html: cold against warm at mean, p50 and p99, and cost at each memory size', async () => {
    const file = join(dir, 'bench.html');
    const bench = await cli(
      'bench',
      'specs/fixtures/bench-order-total.ts',
      '--memory',
      '128,512',
      '--cold-samples',
      '2',
      '--warm-time',
      '100',
      '--reporter',
      'html',
      '--output',
      file,
    );
    expect(bench.code).toBe(0);
    const benchPage = await browser.newPage();
    const problems: string[] = [];
    benchPage.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') problems.push(message.text());
    });
    await benchPage.setRequestInterception(true);
    benchPage.on('request', (request) => {
      if (request.url() === `file://${file}`) return request.continue();
      problems.push(`request ${request.url()}`);
      return request.abort();
    });
    await benchPage.goto(`file://${file}`, { waitUntil: 'load' });
    const bars = await benchPage.$$eval('svg[data-chart]', (charts) =>
      charts.map((chart) => [chart.getAttribute('data-chart'), chart.querySelectorAll('rect.bar').length]),
    );
    expect(bars).toEqual([
      ['cold-warm', 3 * 2],
      ['cost', 2 * 2],
    ]);
    const costTitles = await benchPage.$$eval('svg[data-chart="cost"] rect.bar title', (titles) =>
      titles.map((title) => title.textContent),
    );
    expect(costTitles[0]).toMatch(/^128 MB, cold invocations: \$\d+\.\d+$/);
    expect(problems).toEqual([]);
    mkdirSync(OUTPUT, { recursive: true });
    await benchPage.screenshot({ path: join(OUTPUT, 'bench-html-chromium.png'), fullPage: true });
    await benchPage.close();
  }, 120_000);

  it('keeps a screenshot under test-output/', async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const path = join(OUTPUT, 'report-html-chromium.png');
    await page.screenshot({ path, fullPage: true });
    expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
  });
});
