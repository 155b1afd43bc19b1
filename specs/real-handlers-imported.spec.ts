// A handler a spec imported shares its module with every test that calls it: a check whose series starts higher than
// its own invocations explain says so, and points to the 'path#export' form, which loads a fresh module.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { expectNoStateLeak, StateLeakError } from '../harness/assert/expect-no-state-leak.js';
import { importedStateNote } from '../harness/check/imported-state.js';
import type { Finding } from '../harness/types.js';

// Imported once for the whole file, as a spec imports the handler it tests.
const { handler } = createRequire(import.meta.url)('./fixtures/arrays.cjs') as {
  handler: () => Promise<unknown>;
};

const quick = { invocations: 200 };
const leakOf = (run: Promise<unknown>) =>
  run.then(() => undefined).catch((e: unknown) => e as StateLeakError);

describe('an imported handler whose module kept state from an earlier test', () => {
  it('the first check of the module has no note; the second says what was already there and names the fix', async () => {
    const first = await leakOf(expectNoStateLeak(handler, quick));
    expect(first).toBeInstanceOf(StateLeakError);
    expect(first?.report.notes ?? []).toEqual([]);
    expect(first?.message).not.toMatch(/^Note:/m);

    const second = await leakOf(expectNoStateLeak(handler, quick));
    const note = second?.report.notes?.find((n) => n.kind === 'imported-state');
    const before = second!.report.findings[0].series[0][1] - second!.report.findings[0].series[0][0];
    expect(before).toBeGreaterThanOrEqual(first!.report.invocations);
    expect(note).toEqual({
      kind: 'imported-state',
      name: 'arrayB',
      module: 'specs/fixtures/arrays.cjs',
      before,
      unit: 'elements',
      suggestion: "'path/to/handler.ts#handler'",
    });
    expect(second?.message).toContain(
      `Note: arrayB (specs/fixtures/arrays.cjs) already held ${before} elements before this check's first invocation: an imported function's module keeps its state across the tests that share it (and its import may fill it); check 'path/to/handler.ts#handler' for a fresh module`,
    );
  });

  it("'path#export' loads a fresh module: its series starts at this check's own invocations, and no note", async () => {
    const error = await leakOf(expectNoStateLeak('specs/fixtures/arrays.cjs#handler', quick));
    const [x, value] = error!.report.findings[0].series[0];
    expect(value).toBe(x);
    expect(error?.report.notes ?? []).toEqual([]);
  });
});

describe('the rule, on findings alone', () => {
  const finding = (series: Finding['series'], growthPerInvocation = 1, kind: Finding['kind'] = 'state') =>
    ({
      kind,
      name: 'cache',
      module: 'src/a.ts',
      growthPerInvocation,
      unit: 'keys',
      series,
      message: '',
    }) as Finding;

  it('no note when the line through the first checkpoint starts at 0, or within one invocation of it', () => {
    expect(
      importedStateNote('handler', [
        finding([
          [20, 20],
          [40, 40],
        ]),
      ]),
    ).toBeUndefined();
    expect(
      importedStateNote('handler', [
        finding(
          [
            [20, 41],
            [40, 81],
          ],
          2,
        ),
      ]),
    ).toBeUndefined();
  });

  it('a note for state from before the check, naming the largest; none for a file#export handler or the heap', () => {
    const note = importedStateNote('main', [
      finding([
        [20, 70],
        [40, 90],
      ]),
      finding([
        [20, 520],
        [40, 540],
      ]),
    ]);
    expect(note).toMatchObject({ before: 500, suggestion: "'path/to/handler.ts#main'" });
    expect(importedStateNote('src/a.ts#main', [finding([[20, 520]])])).toBeUndefined();
    expect(importedStateNote('main', [finding([[20, 5_000_000]], 16, 'heap')])).toBeUndefined();
    expect(importedStateNote('anonymous', [finding([[20, 520]])])).toMatchObject({
      suggestion: "'path/to/handler.ts#handler'",
    });
  });
});
