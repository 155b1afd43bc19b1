// The module-scope probe names module variables of the handler and of the modules it imports, with sizes.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createModuleScopeProbe, type ModuleScopeProbe } from '../harness/probes/module-scope.js';
import type { Measurement, ProbeTarget } from '../harness/types.js';
import { handler as capturedHandler } from './fixtures/capped-lru.js';
import { handler as collectionHandler } from './fixtures/collection-growth.js';
import { handler as emitterHandler } from './fixtures/emitter-listener.js';
import { handler as metricsHandler } from './fixtures/imported-metrics.js';
import { handler as tracerHandler } from './fixtures/singleton-tracer.js';
import { handler as stringHandler } from './fixtures/string-accumulator.js';
import { handler as weakHandler } from './fixtures/weakmap-memo.js';

const require = createRequire(import.meta.url);
const projectRoot = resolve(import.meta.dirname, '..');

let probe: ModuleScopeProbe | undefined;
afterEach(() => probe?.stop?.({ handler: () => undefined, projectRoot }));

/** Samples after 0, 100 and 200 invocations; returns each measurement's series of values by key. */
async function seriesOf(
  handler: Function,
  invoke: (handler: Function) => unknown = (h) => h({}, {}),
  warmup = 0,
) {
  probe = createModuleScopeProbe();
  const target: ProbeTarget = { handler, projectRoot };
  await probe.start?.(target);
  for (let i = 0; i < warmup; i++) await invoke(handler);
  const checkpoints: Measurement[][] = [];
  for (let checkpoint = 0; checkpoint < 3; checkpoint++) {
    checkpoints.push(await probe.sample(target));
    for (let i = 0; i < 100; i++) await invoke(handler);
  }
  const series = new Map<string, { measurement: Measurement; values: number[] }>();
  for (const measurements of checkpoints) {
    for (const measurement of measurements) {
      const entry = series.get(measurement.key) ?? { measurement, values: [] };
      entry.values.push(measurement.value);
      series.set(measurement.key, entry);
    }
  }
  return series;
}

function find(series: Awaited<ReturnType<typeof seriesOf>>, name: string, path?: string) {
  return [...series.values()].find(
    (entry) => entry.measurement.name === name && entry.measurement.path === path,
  );
}

describe('module-scope probe', () => {
  it("names seed 000's arrayB growing by one element per invocation while arrayA stays empty", async () => {
    const { handler } = require('./fixtures/warm-arrays.cjs');
    const series = await seriesOf(handler, (h) => h({}, {}, () => undefined));
    expect(series.get('state:specs/fixtures/warm-arrays.cjs:arrayB')?.values).toEqual([0, 100, 200]);
    expect(series.get('state:specs/fixtures/warm-arrays.cjs:arrayA')?.values).toEqual([0, 0, 0]);
    expect(series.get('state:specs/fixtures/warm-arrays.cjs:arrayB')?.measurement).toEqual({
      key: 'state:specs/fixtures/warm-arrays.cjs:arrayB',
      kind: 'state',
      name: 'arrayB',
      module: 'specs/fixtures/warm-arrays.cjs',
      unit: 'elements',
      value: 0,
    });
  });

  it("keeps seed 001's counter out of the measurements and its TTL table at a constant size", async () => {
    const { handler } = require('./fixtures/counter-ttl-cache.cjs');
    const series = await seriesOf(handler, (h) => h({ customerId: 'c-2' }));
    expect(find(series, 'executionCounter')).toBeUndefined();
    expect(find(series, 'customerMapping')?.values).toEqual([0, 3, 3]);
    expect([...series.values()].every((entry) => entry.values.at(-1) === entry.values[1])).toBe(true);
  });

  it('names a leak inside an imported module with that module path', async () => {
    const series = await seriesOf(metricsHandler);
    const samples = find(series, 'samples');
    expect(samples?.measurement.module).toBe('specs/fixtures/lib/metrics.ts');
    expect(samples?.values).toEqual([0, 100, 200]);
  });

  it("names a singleton's growing property with its path", async () => {
    const series = await seriesOf(tracerHandler);
    const finished = find(series, 'finished', 'tracer.finished');
    expect(finished?.measurement.module).toBe('specs/fixtures/lib/tracer.ts');
    expect(finished?.measurement.key).toBe('state:specs/fixtures/lib/tracer.ts:tracer.finished');
    expect(finished?.values).toEqual([0, 100, 200]);
    expect(find(series, 'serviceName', 'tracer.serviceName')?.values).toEqual([6, 6, 6]);
  });

  it('measures Map, Set and object-key growth, and never sizes a counter', async () => {
    const series = await seriesOf(collectionHandler);
    expect(find(series, 'sessions')?.values).toEqual([0, 100, 200]);
    expect(find(series, 'activeUsers')?.values).toEqual([0, 100, 200]);
    expect(find(series, 'tokensByUser')?.measurement.unit).toBe('keys');
    expect(find(series, 'tokensByUser')?.values).toEqual([0, 100, 200]);
    expect(find(series, 'config')?.values).toEqual([2, 2, 2]);
    expect(find(series, 'requestCount')).toBeUndefined();
  });

  it('measures a string accumulator in characters', async () => {
    const series = await seriesOf(stringHandler);
    const csv = find(series, 'csv');
    expect(csv?.measurement.unit).toBe('characters');
    // Each line is `req-N,200\n`: 10 characters per invocation.
    expect(csv?.values).toEqual([17, 1017, 2017]);
  });

  it('sees a capped LRU plateau and measures nothing for WeakMap or WeakSet memos', async () => {
    const lru = await seriesOf(capturedHandler);
    expect(find(lru, 'lookups')?.values).toEqual([0, 100, 100]);
    const weak = await seriesOf(weakHandler);
    expect(find(weak, 'parsed')).toBeUndefined();
    expect(find(weak, 'seen')).toBeUndefined();
  });

  it('counts listeners per event on an emitter held in module scope', async () => {
    // One warm-up invocation, as the check loop does: an event has no entry before its first listener.
    const series = await seriesOf(emitterHandler, undefined, 1);
    const shipped = series.get("listener:specs/fixtures/emitter-listener.ts:bus.on('order-shipped')");
    expect(shipped?.measurement.kind).toBe('listener');
    expect(shipped?.measurement.name).toBe("bus.on('order-shipped')");
    expect(shipped?.values).toEqual([1, 101, 201]);
    expect(series.get("listener:specs/fixtures/emitter-listener.ts:bus.on('ready')")?.values).toEqual([
      1, 1, 1,
    ]);
  });
});
