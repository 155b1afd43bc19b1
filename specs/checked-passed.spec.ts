// "checked and passed" names only what stayed flat: a heap that grew beyond the allowance is not among it, even when a
// named finding explains that growth (and so no heap finding of its own was made). Every reporter reads it the same.
import { describe, expect, it } from 'vitest';
import { HEAP_FLOOR_BYTES_PER_INVOCATION } from '../harness/analysis/heap.js';
import { expectNoStateLeak, StateLeakError } from '../harness/assert/expect-no-state-leak.js';
import { htmlReporter } from '../harness/reporters/html.js';
import { jsonReporter } from '../harness/reporters/json.js';
import { textReporter } from '../harness/reporters/text.js';
import type { Report } from '../harness/types.js';

const leakOf = async (handler: string) => {
  const error = await expectNoStateLeak(handler, { invocations: 200 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StateLeakError);
  return error as StateLeakError;
};
const passedLine = (text: string) => /checked and passed: ([^\n<]*)/.exec(text)?.[1].split(', ') ?? [];

describe('a Map of rendered statements (~19 KB each) at module scope: the heap grows, the Map is named', () => {
  it('heap is left out of "checked and passed" in the report, the failure message, text, HTML and JSON', async () => {
    const error = await leakOf('specs/fixtures/rendered-report-cache.cjs');
    const { report } = error;
    const names = report.findings.map((f) => `${f.kind}:${f.name}`);
    expect(names).toContain('state:renderedStatements');
    expect(names).not.toContain('heap:heap');
    // The growth is real and above the allowance: the named Map explains it, it did not pass.
    expect(report.heap.ci95[0]).toBeGreaterThan(HEAP_FLOOR_BYTES_PER_INVOCATION);
    expect(report.passed).not.toContain('heap');
    expect(report.passed).toEqual(expect.arrayContaining(['listeners', 'handles']));
    expect(report.checked).toContain('heap');

    const checked = [report as Report];
    for (const text of [error.message, textReporter(checked), htmlReporter(checked)]) {
      expect(passedLine(text)).toEqual(report.passed);
      expect(passedLine(text)).not.toContain('heap');
    }
    expect((JSON.parse(jsonReporter(checked)) as Report).passed).toEqual(report.passed);
  });
});
