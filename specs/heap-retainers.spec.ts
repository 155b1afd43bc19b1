// Who holds heap growth: the retainer path names the module variable, and clean handlers get no path.
import { describe, expect, it } from 'vitest';
import { explainHeapGrowth } from '../harness/probes/heap-diff.js';
import { invokerOf } from './fixtures/heap-driver.js';

function warmInvoker(fixture: string) {
  const invoke = invokerOf(fixture);
  let index = 0;
  return async (n: number) => {
    for (let k = 0; k < n; k++) await invoke(index++);
  };
}

describe('explainHeapGrowth', () => {
  it('names AuditEntry +1/invocation and the path audit -> pending that holds it', async () => {
    const invokeMore = warmInvoker('heap-pending.cjs');
    await invokeMore(20);
    const explanation = await explainHeapGrowth(invokeMore, { invocations: 200 });
    expect(explanation.constructors).toContainEqual({
      name: 'AuditEntry',
      countPerInvocation: 1,
      bytesPerInvocation: 48,
    });
    expect(explanation.retainerPaths).toContain(
      '(closure scope of handler) -> audit -> pending -> AuditEntry (200 new AuditEntry in 200 invocations)',
    );
  });

  it('names the Set variable that keeps request ids', async () => {
    const invokeMore = warmInvoker('heap-leak-small.cjs');
    await invokeMore(20);
    const explanation = await explainHeapGrowth(invokeMore, { invocations: 200 });
    expect(explanation.constructors.map((c) => c.name)).toEqual(['(string)']);
    expect(explanation.retainerPaths[0]).toMatch(
      /^\(closure scope of handler\) -> seenRequestIds -> \(string\) /,
    );
  });

  it('finds nothing new and numerous in a clean handler', async () => {
    const invokeMore = warmInvoker('heap-clean.cjs');
    await invokeMore(20);
    expect(await explainHeapGrowth(invokeMore, { invocations: 200 })).toEqual({
      constructors: [],
      retainerPaths: [],
    });
  });
});
