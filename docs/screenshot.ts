// Regenerates docs/html-report.png, the README's picture of an HTML report, from today's CLI and Debian's Chromium:
//   npx tsx docs/screenshot.ts
// It checks three fixture handlers (1 KB kept per request, a timer started per request, one that keeps nothing) and
// keeps the summary table and the first culprit's section.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const HANDLERS = [
  'specs/fixtures/heap-leak-1k.cjs',
  'specs/fixtures/heartbeat-leak.ts',
  'specs/fixtures/report-clean.cjs',
];
const OUT = 'docs/html-report.png';

const dir = mkdtempSync(join(tmpdir(), 'warmleak-screenshot-'));
const report = join(dir, 'report.html');
try {
  try {
    execFileSync(
      'npx',
      ['tsx', 'harness/cli/main.ts', 'check', ...HANDLERS, '--reporter', 'html', '--output', report],
      {
        stdio: 'inherit',
      },
    );
  } catch (error) {
    // Exit 1 is the leaks this picture is for; anything else is a failure to report.
    if ((error as { status?: number }).status !== 1) throw error;
  }
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(`file://${report}`, { waitUntil: 'load' });
  const bottom = await page.$eval('section.handler', (section) => section.getBoundingClientRect().bottom);
  await page.screenshot({ path: OUT, clip: { x: 0, y: 0, width: 1100, height: Math.ceil(bottom + 16) } });
  await browser.close();
  console.log(`wrote ${OUT}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
