// The JUnit reporter writes XML a CI can ingest: parsed back strictly, counts and failure messages match the reports.
import { describe, expect, it } from 'vitest';
import { junitReporter } from '../harness/reporters/junit.js';
import { leakingReport, passingReport } from './fixtures/reports.js';
import { parseXml } from './fixtures/strict-xml.js';

describe('junit reporter', () => {
  it('writes one testsuite with one testcase per handler and a failure per leak', () => {
    const xml = junitReporter([leakingReport(), passingReport()], {
      failures: [
        {
          handler: 'src/broken.ts#handler',
          errorType: 'HandlerLoadError',
          message: 'Unexpected token "<" & more',
        },
      ],
    });
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.children).toHaveLength(1);
    const [suite] = root.children;
    expect(suite.attributes).toMatchObject({ name: 'warmleak', tests: '3', failures: '1', errors: '1' });
    expect(suite.children.map((testcase) => testcase.attributes.name)).toEqual([
      'src/orders/handler.ts#handler',
      'src/users/handler.ts#handler',
      'src/broken.ts#handler',
    ]);
    const [leak, pass, broken] = suite.children;
    expect(leak.attributes.classname).toBe('src/orders/handler.ts');
    expect(leak.attributes.time).toBe('0.812');
    expect(leak.children[0].name).toBe('failure');
    expect(leak.children[0].attributes.type).toBe('state');
    // Escaped on the way out, intact after parsing back.
    expect(leak.children[0].attributes.message).toContain('0 -> 1000 <spans & "ids">.');
    expect(leak.children[0].text).toContain('arrayB (src/orders/handler.ts:4:5): +1 element per invocation');
    expect(leak.children[0].text).toContain(
      'series (value @invocation): 0 @0, 50 @50, 100 @100, …, 250 @250, 500 @500',
    );
    expect(pass.children).toHaveLength(0);
    expect(broken.children[0]).toMatchObject({ name: 'error', attributes: { type: 'HandlerLoadError' } });
    expect(broken.children[0].text).toBe('Unexpected token "<" & more');
  });

  it('shows the control characters of a handler message escaped, as every reporter does', () => {
    const report = leakingReport();
    report.findings = [{ ...report.findings[0], message: 'line one\nline two\u0007 ]]> done' }];
    const failure = parseXml(junitReporter([report])).children[0].children[0].children[0];
    // Inert like the text and github outputs: a CI that prints the message cannot be steered by it.
    expect(failure.attributes.message).toBe('line one\\nline two\\x07 ]]> done');
  });

  it('marks a dead environment as a failure typed with Lambda’s error', () => {
    const report = { ...passingReport(), verdict: 'leak' as const };
    const xml = junitReporter([
      {
        ...report,
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: 'Task timed out after 1.00 seconds',
          invocation: 3,
        },
      },
    ]);
    const failure = parseXml(xml).children[0].children[0].children[0];
    expect(failure.attributes).toMatchObject({
      type: 'Sandbox.Timedout',
      message: 'Sandbox.Timedout at invocation 3: Task timed out after 1.00 seconds',
    });
  });
});
