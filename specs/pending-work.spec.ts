// Timers and promises an invocation leaves pending when it returns are counted per site; awaited work is not.
import { describe, expect, it } from 'vitest';
import { createCleanupProbe } from '../harness/probes/cleanup.js';
import { createPendingProbe } from '../harness/probes/pending.js';
import { driveProbes, fixtureLine } from './fixtures/drive-probes.js';

describe('pending probe', () => {
  it('counts each invocation that left a timer and a promise pending, at their lines', async () => {
    const { handler } = await import('./fixtures/audit-fire-and-forget.js');
    const { series, last } = await driveProbes(
      handler,
      [createPendingProbe({ promises: 'all' }), createCleanupProbe()],
      { invocations: 8, every: 4 },
    );
    const retry = fixtureLine('audit-fire-and-forget.ts', 'setTimeout(() => shipped');
    const sleep = fixtureLine('audit-fire-and-forget.ts', 'setTimeout(resolve');
    const timers = [...last.values()]
      .filter((m) => m.name === 'setTimeout')
      .map((m) => m.site?.replace(/:\d+$/, ''));
    expect(timers.sort()).toEqual([sleep, retry].sort());
    for (const m of last.values()) if (m.name === 'setTimeout') expect(series.get(m.key)).toEqual([0, 4, 8]);
    const promises = [...last.values()].filter((m) => m.name === 'promise');
    expect(promises.length).toBeGreaterThan(0);
    for (const m of promises) {
      expect(m.site).toMatch(/^specs\/fixtures\/audit-fire-and-forget.ts:\d+:\d+$/);
      expect(series.get(m.key)).toEqual([0, 4, 8]);
    }
  });

  it('estimates the promise count from the invocation after each checkpoint by default', async () => {
    const { handler } = await import('./fixtures/audit-fire-and-forget.js');
    const { series, last } = await driveProbes(handler, [createPendingProbe(), createCleanupProbe()], {
      invocations: 8,
      every: 4,
    });
    const promise = [...last.values()].find((m) => m.name === 'promise');
    expect(series.get(promise?.key as string)).toEqual([0, 1, 5]);
  });

  it('counts nothing for work the handler awaits', async () => {
    const { handler } = await import('./fixtures/audit-awaited.js');
    const { series } = await driveProbes(handler, [createPendingProbe({ promises: 'all' })], {
      invocations: 8,
      every: 4,
    });
    expect([...series.keys()]).toEqual([]);
  });
});
