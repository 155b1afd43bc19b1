// Counts read as English in every message: one invocation is "1 invocation", and a dead environment's failed
// invocation counts among the invocations it made ("1 of 2 invocations failed ... at invocation 2").
import { describe, expect, it } from 'vitest';
import { leakMessage, noLeakMessage } from '../harness/assert/failure-message.js';
import { countOf } from '../harness/count.js';
import { failedReport } from '../harness/isolation/failed-report.js';
import { textReporter } from '../harness/reporters/text.js';

const exitError = {
  errorType: 'Runtime.ExitError',
  errorMessage: 'Error: Runtime exited with error: exit status 3',
};

function deadAt(invocation: number) {
  return failedReport({
    source: 'src/orders/handler.ts',
    invocation,
    error: { ...exitError, invocation },
    maxMemoryUsedMB: 90,
    durationMs: 10,
  });
}

describe('count wording', () => {
  it('is singular for exactly one and plural otherwise', () => {
    expect([0, 1, 2].map((n) => countOf(n, 'invocation'))).toEqual([
      '0 invocations',
      '1 invocation',
      '2 invocations',
    ]);
    expect(countOf(1000, 'invocation', { shown: '1,000' })).toBe('1,000 invocations');
    expect(countOf(1, 'log line')).toBe('1 log line');
  });

  it('a handler whose only invocation killed its environment: 1 of 1 invocation, at invocation 1', () => {
    const out = textReporter([deadAt(1)]);
    expect(out).toContain('LEAK src/orders/handler.ts#handler (1 invocation, max memory 90 MB)\n');
    expect(out).toContain(
      '  ✗ Runtime.ExitError at invocation 1: Error: Runtime exited with error: exit status 3\n',
    );
    expect(out).toContain(
      '  ! 1 of 1 invocation failed (Runtime.ExitError 1); first, at invocation 1: Runtime.ExitError: Error: Runtime exited',
    );
    expect(out).not.toMatch(/\b1 invocations\b|of 0 invocations/);
  });

  it('an environment that died in its second invocation made 2, and 1 of them failed, the second', () => {
    const report = deadAt(2);
    expect(report.invocations).toBe(2);
    const out = textReporter([report]);
    expect(out).toContain('(2 invocations, max memory 90 MB)');
    expect(out).toContain('! 1 of 2 invocations failed (Runtime.ExitError 1); first, at invocation 2: ');
    expect(out).toContain('1 handler checked: 1 leak, 0 passed');
  });

  it('the matcher message says "1 invocation" and "1 thing grows"', () => {
    const report = {
      ...deadAt(1),
      findings: [
        {
          kind: 'state' as const,
          name: 'cache',
          growthPerInvocation: 1,
          unit: 'elements' as const,
          series: [[0, 0] as [number, number], [1, 1] as [number, number]],
          message: 'cache grew by 1 element per invocation: 0 -> 1',
        },
      ],
    };
    expect(leakMessage(report)).toContain('leaks state across warm invocations: 1 thing grows.');
    expect(leakMessage(report)).toContain('Checked: 1 invocation in one warm environment;');
    expect(noLeakMessage(deadAt(1))).toContain(
      'Checked: 1 invocation in one warm environment; probes: ; heap +0 B/invocation (ci95 0..0). 1 of 1 invocation failed',
    );
  });
});
