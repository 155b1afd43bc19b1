// Intervals started per invocation are counted per creation site; one started at module scope is not.
import { describe, expect, it } from 'vitest';
import { createCleanupProbe } from '../harness/probes/cleanup.js';
import { createHandlesProbe } from '../harness/probes/handles.js';
import { driveProbes, fixtureLine } from './fixtures/drive-probes.js';

describe('handles probe: setInterval', () => {
  it('counts one more interval per invocation at the line that starts it', async () => {
    const { handler } = await import('./fixtures/heartbeat-leak.js');
    const cleanup = createCleanupProbe();
    const { series, last } = await driveProbes(handler, [createHandlesProbe(), cleanup], {
      invocations: 12,
      every: 4,
    });
    const site = fixtureLine('heartbeat-leak.ts', 'setInterval(');
    const key = [...last.keys()].find((k) => k.startsWith('handle:setInterval:'));
    expect(key).toBeDefined();
    expect(last.get(key as string)?.site).toMatch(new RegExp(`^${site}:\\d+$`));
    expect(series.get(key as string)).toEqual([0, 4, 8, 12]);
    expect(cleanup.lastSummary?.timers).toBe(12);
  });

  it('reports nothing for one interval started at module scope', async () => {
    const { handler } = await import('./fixtures/heartbeat-once.js');
    const { series } = await driveProbes(handler, [createHandlesProbe()], { invocations: 12, every: 4 });
    expect([...series.keys()]).toEqual([]);
  });
});
