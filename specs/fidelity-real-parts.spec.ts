// Real parts, no doubles: middy with its default timeout, a guard timer set and cleared per call. Each clean handler
// passes, each leaky twin is named (the AWS SDK v3 against a keep-alive server is fidelity-aws-sdk.spec.ts). About
// 40 s on two busy cores (the middy checks dominate).
import { describe, expect, it } from 'vitest';
import { runCheck } from '../harness/index.js';
import type { Report } from '../harness/types.js';

const fx = (name: string) => `specs/fixtures/fidelity/${name}`;
const named = (report: Report) =>
  report.findings.map((f) => `${f.kind}:${f.name}@${f.site ?? f.module ?? ''}`);

describe('middy with its defaults', () => {
  it('timeoutEarly sets and clears a timer per call, its losing promise never settles: passes', async () => {
    const report = await runCheck(fx('middy-default-timeout.ts'), { invocations: 500 });
    expect(report.findings.map((f) => f.message)).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.checked).toContain('heap');
  });

  it('middleware registered inside the handler is named', async () => {
    const report = await runCheck(fx('middy-use-per-call.ts'), { invocations: 300 });
    expect(report.verdict).toBe('leak');
    expect(named(report).some((name) => name.startsWith('state:'))).toBe(true);
  });
});

describe('a guard timer per call', () => {
  it('set and cleared, with a timeout promise that loses the race: passes', async () => {
    const report = await runCheck(fx('guard-timer.ts'), { invocations: 500 });
    expect(report.findings.map((f) => f.message)).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.checked).toContain('heap');
  });

  it('left running after the handler answered is named at its line', async () => {
    const report = await runCheck(fx('guard-timer-left.ts'), { invocations: 300 });
    expect(named(report)).toContain('pending:setTimeout@specs/fixtures/fidelity/guard-timer-left.ts:9:5');
  });
});
