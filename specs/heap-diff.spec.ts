// What grows: the constructor diff per invocation from heap snapshots, and from memwatch where it loads.
import { describe, expect, it } from 'vitest';
import { diffHeapConstructors, loadMemwatch } from '../harness/probes/heap-diff.js';
import { invokerOf } from './fixtures/heap-driver.js';

function warmInvoker(fixture: string) {
  const invoke = invokerOf(fixture);
  let index = 0;
  return async (n: number) => {
    for (let k = 0; k < n; k++) await invoke(index++);
  };
}

describe('diffHeapConstructors from heap snapshots', () => {
  it('counts a kept Buffer per invocation, with its 1,024 bytes outside the JS heap', async () => {
    const invokeMore = warmInvoker('heap-leak-buffer.cjs');
    await invokeMore(20);
    const { engine, constructors } = await diffHeapConstructors(invokeMore, 200, 'snapshot');
    expect(engine).toBe('snapshot');
    expect(constructors[0]).toEqual({
      name: '(JSArrayBufferData)',
      countPerInvocation: 1,
      bytesPerInvocation: 1024,
    });
    expect(constructors.map((c) => c.name)).toContain('Buffer');
  });

  it('reports nothing for a handler that makes lots of garbage and keeps none', async () => {
    const invokeMore = warmInvoker('heap-garbage.cjs');
    await invokeMore(20);
    expect(await diffHeapConstructors(invokeMore, 100, 'snapshot')).toEqual({
      engine: 'snapshot',
      constructors: [],
    });
  });
});

describe.skipIf(!loadMemwatch())('diffHeapConstructors with @airbnb/node-memwatch', () => {
  it('names AuditEntry +1/invocation', async () => {
    const invokeMore = warmInvoker('heap-pending.cjs');
    await invokeMore(20);
    const { engine, constructors } = await diffHeapConstructors(invokeMore, 200, 'auto');
    expect(engine).toBe('memwatch');
    expect(constructors).toContainEqual({
      name: 'AuditEntry',
      countPerInvocation: 1,
      bytesPerInvocation: 48,
    });
  });
});
