// The text reporter puts each culprit first, with its module, growth per invocation and series, then what passed.
import { describe, expect, it } from 'vitest';
import { textReporter } from '../harness/reporters/text.js';
import { leakingReport, passingReport } from './fixtures/reports.js';

describe('text reporter', () => {
  it('names the culprit before anything that passed, with module, growth and series', () => {
    const out = textReporter([passingReport(), leakingReport()], { rerunArgs: ['--invocations', '500'] });
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      'LEAK src/orders/handler.ts#handler (500 invocations, heap +16.2 B/invocation, warm p50 0.05 ms, init 12.1 ms)',
    );
    expect(lines[1]).toBe('  ✗ arrayB src/orders/handler.ts:4:5 +1 element per invocation');
    expect(lines[2]).toBe('      series (value @invocation): 0 @0, 50 @50, 100 @100, …, 250 @250, 500 @500');
    expect(out).toContain('  ✗ tracer.finished src/lib/metrics.ts +2 elements per invocation');
    expect(out).toContain('  rerun: npx warmleak check src/orders/handler.ts#handler --invocations 500');
    expect(out.indexOf('LEAK')).toBeLessThan(out.indexOf('pass src/users/handler.ts#handler'));
    expect(lines.at(-2)).toBe('2 handlers checked: 1 leak, 1 passed');
  });

  it('lists as passed only the probes that found nothing', () => {
    const out = textReporter([leakingReport()]);
    expect(out).toContain('  checked and passed: globals, heap\n');
    expect(out).not.toMatch(/checked and passed:.*module-scope/);
  });

  it('has no colour codes unless asked, and colours when asked', () => {
    expect(textReporter([leakingReport()])).not.toContain('\x1b[');
    expect(textReporter([leakingReport()], { color: true })).toContain('\x1b[31m');
  });

  it('reports a dead environment with Lambda’s error type and the invocation', () => {
    const report = { ...passingReport(), verdict: 'leak' as const };
    const out = textReporter([
      {
        ...report,
        error: {
          errorType: 'Runtime.OutOfMemory',
          errorMessage: 'JavaScript heap out of memory',
          invocation: 412,
        },
      },
    ]);
    expect(out).toContain('✗ Runtime.OutOfMemory at invocation 412: JavaScript heap out of memory');
  });

  it('lists handlers that could not be loaded', () => {
    const out = textReporter([passingReport()], {
      failures: [
        {
          handler: 'src/broken.ts#handler',
          errorType: 'HandlerLoadError',
          message: 'Unexpected token (3:1)',
        },
      ],
    });
    expect(out).toContain('ERROR src/broken.ts#handler\n  HandlerLoadError: Unexpected token (3:1)');
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      '2 handlers checked: 0 leaks, 1 passed, 1 could not be loaded',
    );
  });
});

describe('finding labels', () => {
  it('show the path once, whether the probe named the variable or the last segment, and /tmp as /tmp files', async () => {
    const { findingLabel } = await import('../harness/reporters/format.js');
    const base = {
      kind: 'state' as const,
      growthPerInvocation: 1,
      unit: 'elements' as const,
      series: [],
      message: '',
    };
    expect(findingLabel({ ...base, name: 'finished', path: 'tracer.finished' })).toBe('tracer.finished');
    expect(findingLabel({ ...base, name: 'tracer', path: 'tracer.finished' })).toBe('tracer.finished');
    expect(findingLabel({ ...base, name: 'processedIds', path: 'OrderService.processedIds' })).toBe(
      'OrderService.processedIds',
    );
    expect(findingLabel({ ...base, name: 'arrayB' })).toBe('arrayB');
    // A key with dots in it (window.flag) is still the last segment of its path.
    expect(findingLabel({ ...base, name: 'a.b', path: 'byTenant.a.b' })).toBe('byTenant.a.b');
    expect(findingLabel({ ...base, kind: 'tmp', unit: 'files', name: '/tmp', path: 'files' })).toBe(
      '/tmp files',
    );
  });
});
