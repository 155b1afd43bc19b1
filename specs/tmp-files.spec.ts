// Files written to the environment's /tmp per invocation grow the file and byte counts; a file overwritten in place does not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTmpProbe, measureDirectory } from '../harness/probes/tmp.js';
import { driveProbes } from './fixtures/drive-probes.js';

describe('tmp probe', () => {
  let dir: string;
  let previous: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'warmleak-tmp-spec-'));
    previous = process.env.TMPDIR;
    process.env.TMPDIR = dir; // os.tmpdir() reads it on every call, as the environment arranges
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts one more file and its bytes per invocation', async () => {
    const { handler } = await import('./fixtures/export-tmp-leak.js');
    const { series } = await driveProbes(handler, [createTmpProbe()], {
      invocations: 10,
      every: 5,
      tmpDir: dir,
    });
    expect(series.get('tmp:files')).toEqual([0, 5, 10]);
    const bytes = series.get('tmp:bytes') as number[];
    expect(bytes[0]).toBe(0);
    expect(bytes[2]).toBe(2 * bytes[1]);
    expect(bytes[1]).toBe((5 * measureDirectory(dir).bytes) / 10);
  });

  it('stays at one file for a scratch file overwritten in place', async () => {
    const { handler } = await import('./fixtures/export-tmp-overwrite.js');
    const { series } = await driveProbes(handler, [createTmpProbe()], {
      invocations: 10,
      every: 5,
      tmpDir: dir,
    });
    expect(series.get('tmp:files')).toEqual([0, 1, 1]);
    const bytes = series.get('tmp:bytes') as number[];
    expect(bytes[1]).toBe(bytes[2]);
    expect(bytes[1]).toBeGreaterThan(1000);
  });

  it('reports nothing when the environment has no private /tmp', () => {
    expect(createTmpProbe().sample({ handler: () => {}, projectRoot: dir })).toEqual([]);
  });
});

describe('a /tmp leak in a full check', () => {
  it('stays a finding after heap-only phases, where the tmp probe is not sampled', async () => {
    const { runCheck } = await import('../harness/check/index.js');
    const report = await runCheck('specs/fixtures/export-tmp-leak.ts');
    const files = report.findings.find((f) => f.kind === 'tmp' && f.unit === 'files');
    expect(report.verdict).toBe('leak');
    expect(files?.growthPerInvocation).toBe(1);
  });
});
