// The github reporter writes `::error` workflow commands pointing at the culprit's file and line.
import { describe, expect, it } from 'vitest';
import { githubReporter } from '../harness/reporters/github.js';
import { leakingReport, passingReport } from './fixtures/reports.js';

const workflowCommand = /^::error (?:[a-z]+=[^,:]*)(?:,[a-z]+=[^,:]*)*::[^\r\n]*$/;

describe('github reporter', () => {
  it('annotates each finding at its site, or at its module when the line is unknown', () => {
    const lines = githubReporter([leakingReport(), passingReport()], { cwd: '/repo' }).trimEnd().split('\n');
    expect(lines[0]).toBe(
      '::error file=src/orders/handler.ts,line=4,col=5,title=warmleak%3A arrayB +1 element per invocation::arrayB (src/orders/handler.ts) grew by 1 element per invocation: 0 -> 500; clear it inside the handler or cap it. (handler src/orders/handler.ts#handler)',
    );
    expect(lines[1]).toMatch(
      /^::error file=src\/lib\/metrics\.ts,title=warmleak%3A tracer\.finished \+2 elements per invocation::/,
    );
    for (const line of lines.slice(0, 2)) expect(line).toMatch(workflowCommand);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('warmleak: 2 handlers checked, 1 leaking');
  });

  it('escapes newlines and percent signs and makes absolute sites relative to the repository', () => {
    const report = leakingReport();
    report.findings = [{ ...report.findings[0], site: '/repo/src/a.ts:10:2', message: '100% of\ncalls' }];
    const [line] = githubReporter([report], { cwd: '/repo' }).split('\n');
    expect(line).toMatch(/^::error file=src\/a\.ts,line=10,col=2,/);
    expect(line).toContain('::100%25 of%0Acalls (handler');
    expect(line).toMatch(workflowCommand);
  });

  it('annotates handlers that could not be loaded at their file', () => {
    const out = githubReporter([], {
      failures: [
        {
          handler: 'src/broken.ts#handler',
          errorType: 'HandlerLoadError',
          message: 'SyntaxError: Unexpected token',
        },
      ],
    });
    expect(out.split('\n')[0]).toBe(
      '::error file=src/broken.ts,title=warmleak%3A HandlerLoadError::SyntaxError: Unexpected token',
    );
  });
});
