// Seed 002 end to end: `toLeakHandles` on real headless Chromium through a full check, and nothing left running after.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '../harness/assert/vitest.js';
import { HANDLE_KINDS } from '../harness/assert/matchers.js';
import { runCheck } from '../harness/index.js';
import { readProcessTable } from '../harness/probes/processes.js';
import { CHROMIUM } from './fixtures/chromium-options.js';

const liveChromium = () =>
  [...readProcessTable().values()].filter((p) => p.command.startsWith('chrom') && p.state !== 'Z').length;

async function settledChromium(expected: number): Promise<number> {
  const deadline = Date.now() + 5000;
  while (liveChromium() > expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return liveChromium();
}

// A function that drives Chromium is configured with a timeout of its own (launching takes seconds on a busy
// machine), not Lambda's 3-second default.
const timeoutMs = 30_000;

describe.skipIf(!existsSync(CHROMIUM))('a full check on handlers driving headless Chromium', () => {
  it('a browser launched per invocation and never closed is a process finding at the launch line', async () => {
    const before = liveChromium();
    const report = await runCheck('specs/fixtures/screenshot-browser-leak.ts', {
      kinds: HANDLE_KINDS,
      timeoutMs,
    });
    expect(report.verdict).toBe('leak');
    const browser = report.findings.find((f) => f.kind === 'process' && f.name.startsWith('chrom'));
    expect(browser?.site).toMatch(/^specs\/fixtures\/screenshot-browser-leak\.ts:6:\d+$/);
    expect(browser?.growthPerInvocation).toBe(1);
    expect(browser?.message).toMatch(/alive after \d+ invocations \(\+1 handle per invocation\)/);
    // The slow handler shrank the default run to its time budget instead of launching 500 browsers.
    expect(report.invocations).toBeLessThan(100);
    expect(await settledChromium(before)).toBe(before);
  });

  it('a browser launched once and reused, and one closed in finally, pass', async () => {
    const before = liveChromium();
    await expect('specs/fixtures/screenshot-browser-reused.ts').not.toLeakHandles({ timeoutMs });
    await expect('specs/fixtures/screenshot-browser-closed.ts').not.toLeakHandles({ timeoutMs });
    expect(await settledChromium(before)).toBe(before);
  });
});
