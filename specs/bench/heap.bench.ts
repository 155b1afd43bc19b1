// Time to a heap verdict and what each method catches: GC-settled Theil-Sen slope vs a plain heapUsed
// delta with a 100 KB threshold vs memwatch's HeapDiff total. Verdicts are printed, never asserted.
import { afterAll, bench, describe } from 'vitest';
import { analyseHeap } from '../../harness/analysis/heap.js';
import { collectHeapSeries } from '../../harness/probes/heap.js';
import { loadMemwatch } from '../../harness/probes/heap-diff.js';
import { invokerOf } from '../fixtures/heap-driver.js';

const FIXTURES = [
  'heap-clean.cjs',
  'heap-garbage.cjs',
  'heap-leak-small.cjs',
  'heap-leak-1k.cjs',
  'heap-leak-buffer.cjs',
];
const INVOCATIONS = 2000;
const THRESHOLD_BYTES = 100 * 1024;
const verdicts: Record<string, Record<string, string>> = {};

function record(fixture: string, method: string, verdict: string) {
  verdicts[fixture] ??= {};
  verdicts[fixture][method] = verdict;
}

async function loop(invoke: (i: number) => Promise<unknown>, from: number, n: number) {
  for (let i = from; i < from + n; i++) await invoke(i);
}

for (const fixture of FIXTURES) {
  describe(fixture, () => {
    let offset = 0;
    const invoke = invokerOf(fixture);
    const options = { iterations: 3, time: 0, warmupIterations: 0 };

    bench(
      'slope (20 GC-settled checkpoints)',
      async () => {
        const base = offset;
        offset += INVOCATIONS;
        const series = await collectHeapSeries((i) => invoke(base + i), {
          invocations: INVOCATIONS,
          checkpoints: 20,
        });
        const { leaking, report } = analyseHeap(series);
        record(
          fixture,
          'slope',
          `${leaking ? 'leak' : 'pass'} ${report.bytesPerInvocation.toFixed(1)} B/inv [${report.ci95.map((v) => v.toFixed(0)).join('..')}]`,
        );
      },
      options,
    );

    bench(
      'heapUsed delta > 100 KB',
      async () => {
        const before = process.memoryUsage().heapUsed;
        await loop(invoke, offset, INVOCATIONS);
        offset += INVOCATIONS;
        const delta = process.memoryUsage().heapUsed - before;
        record(
          fixture,
          'delta',
          `${delta > THRESHOLD_BYTES ? 'leak' : 'pass'} ${(delta / 1024).toFixed(0)} KB`,
        );
      },
      options,
    );

    const memwatch = loadMemwatch();
    if (memwatch) {
      bench(
        'memwatch HeapDiff total > 100 KB',
        async () => {
          const diff = new memwatch.HeapDiff();
          await loop(invoke, offset, INVOCATIONS);
          offset += INVOCATIONS;
          const end = diff.end() as unknown as { change: { size_bytes: number } };
          const delta = end.change.size_bytes;
          record(
            fixture,
            'memwatch',
            `${delta > THRESHOLD_BYTES ? 'leak' : 'pass'} ${(delta / 1024).toFixed(0)} KB`,
          );
        },
        options,
      );
    }
  });
}

afterAll(() => {
  console.log(`\nLast verdict per method after ${INVOCATIONS} invocations:`);
  console.table(verdicts);
});
