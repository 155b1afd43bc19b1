// Child processes left running are counted per spawn site and ended at stop; awaited ones are not counted.
import { describe, expect, it } from 'vitest';
import { createCleanupProbe } from '../harness/probes/cleanup.js';
import { createProcessesProbe, processTree } from '../harness/probes/processes.js';
import { driveProbes, fixtureLine } from './fixtures/drive-probes.js';

describe('processes probe', () => {
  it('counts one more `sleep` per invocation at the spawn line, then kills them all at stop', async () => {
    const { handler } = await import('./fixtures/transcode-spawn-leak.js');
    const cleanup = createCleanupProbe({ graceMs: 200 });
    const { series, last } = await driveProbes(handler, [createProcessesProbe(), cleanup], {
      invocations: 6,
      every: 2,
    });
    const key = [...last.keys()].find((k) => k.startsWith('process:sleep:'));
    expect(key).toBeDefined();
    expect(last.get(key as string)?.name).toBe('sleep');
    expect(last.get(key as string)?.site).toMatch(
      new RegExp(`^${fixtureLine('transcode-spawn-leak.ts', "spawn('sleep'")}:\\d+$`),
    );
    expect(series.get(key as string)).toEqual([0, 2, 4, 6]);
    expect(series.get(`process-tree:${(key as string).slice('process:'.length)}`)).toEqual([0, 2, 4, 6]);
    expect(cleanup.lastSummary?.processes).toBe(6);
    expect(processTree([process.pid]).filter((p) => p.command === 'sleep')).toEqual([]);
  });

  it('counts nothing alive for a process the handler waits for', async () => {
    const { handler } = await import('./fixtures/transcode-spawn-awaited.js');
    const { series } = await driveProbes(handler, [createProcessesProbe()], { invocations: 6, every: 2 });
    const values = [...series.entries()].filter(([k]) => k.startsWith('process:'));
    expect(values.length).toBeLessThanOrEqual(1);
    for (const [, points] of values) expect(points.every((v) => v === 0)).toBe(true);
  });
});
