// Each probe declares the finding kinds it measures: asking for one kind runs every probe that measures it, and
// reports nothing of the kinds left out.
import { describe, expect, it } from 'vitest';
import { HANDLE_KINDS, matchers } from '../harness/assert/matchers.js';
import { runCheck } from '../harness/index.js';
import { ALL_KINDS, createProbes } from '../harness/probes/index.js';

const EMITTER = 'specs/fixtures/emitter-listener.ts';
const options = { invocations: 100, warmup: 5 };

describe('probe kinds', () => {
  it('runs every probe that measures a wanted kind, the cleanup probe always first', () => {
    expect(createProbes(['listener']).map((p) => p.name)).toEqual(['cleanup', 'module-scope', 'listeners']);
    expect(createProbes(['heap']).map((p) => p.name)).toEqual(['cleanup', 'heap']);
    const everyKind = new Set(createProbes().flatMap((p) => p.kinds));
    expect([...everyKind].sort()).toEqual([...ALL_KINDS].sort());
  });

  it("kinds: ['listener'] names a listener added per call on a module-scope emitter, and no state", async () => {
    const report = await runCheck(EMITTER, { ...options, kinds: ['listener'] });
    expect(report.findings.map((f) => `${f.kind}:${f.name}`)).toEqual(["listener:bus.on('order-shipped')"]);
    expect(report.findings[0].module).toBe(EMITTER);
    expect(report.findings[0].growthPerInvocation).toBe(1);
  });

  it("kinds: ['state'] reports the module scope without its emitters' listeners", async () => {
    const report = await runCheck(EMITTER, { ...options, kinds: ['state'] });
    expect(report.findings.filter((f) => f.kind !== 'state')).toEqual([]);
  });

  it('toLeakHandles catches the per-call listener', async () => {
    expect(HANDLE_KINDS).toContain('listener');
    const result = await matchers.toLeakHandles(EMITTER, options);
    expect(result.pass).toBe(true);
    expect(result.message()).toContain("bus.on('order-shipped')");
  });
});
