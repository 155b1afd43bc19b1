// The real case from seed 002: headless Chromium launched per invocation and never closed, against two clean twins.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCleanupProbe } from '../harness/probes/cleanup.js';
import { createHandlesProbe } from '../harness/probes/handles.js';
import { createProcessesProbe, readProcessTable } from '../harness/probes/processes.js';
import { createTmpProbe } from '../harness/probes/tmp.js';
import { CHROMIUM } from './fixtures/chromium-options.js';
import { driveProbes, fixtureLine } from './fixtures/drive-probes.js';

const chromiumProcesses = () =>
  [...readProcessTable().values()].filter((p) => p.command.startsWith('chrom') && p.state !== 'Z').length;

/** Killed processes take a moment to leave the process table; wait for that, bounded, then report the count. */
async function chromiumProcessesSettled(expected: number): Promise<number> {
  const deadline = Date.now() + 5000;
  while (chromiumProcesses() > expected && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  return chromiumProcesses();
}

describe.skipIf(!existsSync(CHROMIUM))(
  existsSync(CHROMIUM)
    ? `processes probe with ${CHROMIUM}`
    : `processes probe with ${CHROMIUM} (skipped: not installed; apt-get install chromium)`,
  () => {
    let dir: string;
    let previous: string | undefined;
    let before: number;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'warmleak-browser-spec-'));
      previous = process.env.TMPDIR;
      process.env.TMPDIR = dir;
      before = chromiumProcesses();
    });
    afterEach(() => {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      rmSync(dir, { recursive: true, force: true });
    });

    const run = async (fixture: string) => {
      const { handler } = await import(`./fixtures/${fixture}`);
      const cleanup = createCleanupProbe({ graceMs: 1000 });
      const driven = await driveProbes(
        handler,
        [createProcessesProbe(), createHandlesProbe(), createTmpProbe(), cleanup],
        {
          invocations: 4,
          every: 1,
          tmpDir: dir,
        },
      );
      return { ...driven, summary: cleanup.lastSummary };
    };

    it('names the launch line of a browser per invocation: one more chromium each time, all killed at stop', async () => {
      const { series, last, summary } = await run('screenshot-browser-leak.js');
      const key = [...last.keys()].find((k) => k.startsWith('process:chromium:')) as string;
      expect(last.get(key)?.site).toMatch(
        new RegExp(`^${fixtureLine('screenshot-browser-leak.ts', 'puppeteer.launch(')}:\\d+$`),
      );
      expect(series.get(key)).toEqual([0, 1, 2, 3, 4]);
      const tree = series.get(`process-tree:${key.slice('process:'.length)}`) as number[];
      expect(tree[4]).toBeGreaterThanOrEqual(8); // a browser is several processes (zygote, GPU, renderer...)
      expect(tree[4]).toBeGreaterThan(tree[2]);
      expect((series.get('tmp:files') as number[])[4]).toBeGreaterThan(
        (series.get('tmp:files') as number[])[1],
      );
      expect(summary?.processes).toBe(tree[4]);
      expect(await chromiumProcessesSettled(before)).toBe(before);
    });

    it('shows a plateau of one chromium for a browser launched once and reused', async () => {
      const { series } = await run('screenshot-browser-reused.js');
      const roots = [...series.entries()].filter(([k]) => k.startsWith('process:chromium:'));
      expect(roots.map(([, points]) => points)).toEqual([[0, 1, 1, 1, 1]]);
      expect(await chromiumProcessesSettled(before)).toBe(before);
    });

    it('counts no chromium left running when the browser is closed in finally', async () => {
      const { series, summary } = await run('screenshot-browser-closed.js');
      const roots = [...series.entries()].filter(([k]) => k.startsWith('process:'));
      for (const [, points] of roots) expect(points).toEqual([0, 0, 0, 0, 0]);
      expect(summary?.processes).toBe(0);
      expect(await chromiumProcessesSettled(before)).toBe(before);
    });
  },
);
