// A net server opened per invocation is counted per site and closed at stop; one opened once is a plateau.
import { describe, expect, it } from 'vitest';
import { createCleanupProbe } from '../harness/probes/cleanup.js';
import { createHandlesProbe } from '../harness/probes/handles.js';
import { driveProbes, fixtureLine } from './fixtures/drive-probes.js';

describe('handles probe: servers', () => {
  it('counts one more server per invocation at the line that opens it', async () => {
    const { handler } = await import('./fixtures/metrics-server-leak.js');
    const cleanup = createCleanupProbe();
    const { series, last } = await driveProbes(handler, [createHandlesProbe(), cleanup], {
      invocations: 9,
      every: 3,
    });
    const key = [...last.keys()].find((k) => k.startsWith('handle:server:'));
    expect(last.get(key as string)?.site).toMatch(
      new RegExp(`^${fixtureLine('metrics-server-leak.ts', 'server.listen(')}:\\d+$`),
    );
    expect(series.get(key as string)).toEqual([0, 3, 6, 9]);
    expect(cleanup.lastSummary?.handles).toBe(9);
  });

  it('shows a plateau of one for a server opened on the first invocation and reused', async () => {
    const { handler } = await import('./fixtures/metrics-server-once.js');
    const cleanup = createCleanupProbe();
    const { series } = await driveProbes(handler, [createHandlesProbe(), cleanup], {
      invocations: 9,
      every: 3,
    });
    expect([...series.entries()]).toEqual([
      [expect.stringMatching(/^handle:server:specs\/fixtures\/metrics-server-once.ts:/), [0, 1, 1, 1]],
    ]);
  });
});
