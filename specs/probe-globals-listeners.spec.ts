// The globals probe names globals a handler creates; the listeners probe counts process listeners per event.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../harness/check/index.js';
import { createGlobalsProbe } from '../harness/probes/globals.js';
import { createListenersProbe } from '../harness/probes/listeners.js';
import { githubReporter } from '../harness/reporters/github.js';
import type { Measurement, Probe, ProbeTarget } from '../harness/types.js';

const require = createRequire(import.meta.url);
const projectRoot = resolve(import.meta.dirname, '..');
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** One warm-up invocation, then samples after 0, 100 and 200 more; each key's values in order. */
async function seriesOf(probe: Probe, handler: Function) {
  const target: ProbeTarget = { handler, projectRoot };
  cleanups.push(() => probe.stop?.(target));
  await probe.start?.(target);
  await handler({}, {});
  const series = new Map<string, { measurement: Measurement; values: number[] }>();
  for (let checkpoint = 0; checkpoint < 3; checkpoint++) {
    for (const measurement of await probe.sample(target)) {
      const entry = series.get(measurement.key) ?? { measurement, values: [] };
      entry.values.push(measurement.value);
      series.set(measurement.key, entry);
    }
    for (let i = 0; i < 100; i++) await handler({}, {});
  }
  return series;
}

describe('globals probe', () => {
  it('names an undeclared global of a sloppy-mode handler and counts the globals added after load', async () => {
    const { handler } = require('./fixtures/undeclared-global.cjs');
    cleanups.push(() => {
      const leaked = globalThis as Record<string, unknown>;
      delete leaked.requestLog;
      delete leaked.lastSeenAt;
    });
    const series = await seriesOf(createGlobalsProbe(), handler);
    expect(series.get('global::requestLog')?.measurement).toMatchObject({
      kind: 'global',
      name: 'requestLog',
      unit: 'elements',
    });
    expect(series.get('global::requestLog')?.values).toEqual([1, 101, 201]);
    expect(series.get('global:(added)')?.values).toEqual([2, 2, 2]);
    expect([...series.keys()].filter((key) => key.includes('lastSeenAt'))).toEqual([]);
  });

  it('sizes a global the module created at load and ignores Node and Vitest globals', async () => {
    const registry = globalThis as Record<string, unknown>;
    registry.warmConnections = new Map();
    cleanups.push(() => delete registry.warmConnections);
    const handler = async () => (registry.warmConnections as Map<number, number>).set(Math.random(), 1);
    const series = await seriesOf(createGlobalsProbe(), handler);
    expect(series.get('global::warmConnections')?.values).toEqual([1, 101, 201]);
    expect(series.get('global:(added)')?.values).toEqual([0, 0, 0]);
    // process.env is measured by its key count only (issue 13), never walked as a Node global.
    const walked = [...series.keys()].filter((key) => key !== 'global:process.env');
    expect(walked.some((key) => /process|console|performance|__vitest/.test(key))).toBe(false);
    const env = series.get('global:process.env')?.values ?? [];
    expect(new Set(env).size).toBe(1);
  });
});

describe('listeners probe', () => {
  it("counts a per-invocation process.on('beforeExit') from the first invocation", async () => {
    const before = new Set(process.listeners('beforeExit'));
    cleanups.push(() => {
      for (const listener of process.listeners('beforeExit')) {
        if (!before.has(listener)) process.off('beforeExit', listener as () => void);
      }
    });
    const { handler } = require('./fixtures/process-listener.cjs');
    const series = await seriesOf(createListenersProbe(), handler);
    const beforeExit = series.get("listener:process.on('beforeExit')");
    expect(beforeExit?.measurement).toMatchObject({ kind: 'listener', name: "process.on('beforeExit')" });
    expect(beforeExit?.values.map((value) => value - before.size)).toEqual([1, 101, 201]);
  });

  it('names the line that adds a growing listener, and its GitHub annotation points there', async () => {
    const report = await runCheck('specs/fixtures/process-listener.cjs', {
      kinds: ['listener'],
      invocations: 60,
    });
    const finding = report.findings.find((f) => f.name === "process.on('beforeExit')");
    expect(finding).toMatchObject({ kind: 'listener', site: 'specs/fixtures/process-listener.cjs:8:11' });
    expect(finding?.message).toMatch(
      /^process\.on\('beforeExit'\) at specs\/fixtures\/process-listener\.cjs:8:11 gained 1 listener per invocation: /,
    );
    expect(githubReporter([report], { cwd: projectRoot })).toMatch(
      /^::error file=specs\/fixtures\/process-listener\.cjs,line=8,col=11,title=/m,
    );
  });
});
