// The escape module: handler text becomes one inert line, and command lines survive a paste into a shell.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { inert, inertLines, shellCommand, shellQuote } from '../harness/reporters/escape.js';

describe('inert', () => {
  it('escapes ANSI, carriage returns, newlines, C1 controls and bidi overrides, and keeps ordinary text', () => {
    expect(inert('\x1b[2J\x1b]0;pwned\x07PASS')).toBe('\\x1b[2J\\x1b]0;pwned\\x07PASS');
    expect(inert('LEAK\rPASS\n::error file=x::forged')).toBe('LEAK\\rPASS\\n::error file=x::forged');
    expect(inert('\u009b31m\u202eevil\u2028')).toBe('\\x9b31m\\u202eevil\\u2028');
    expect(inert('arrayB (src/handler.ts) grew by 1 élément — ok')).toBe(
      'arrayB (src/handler.ts) grew by 1 élément — ok',
    );
    expect(inert(42)).toBe('42');
  });

  it('indents every line of a block after the first, so none starts a workflow command', () => {
    const block = inertLines('Error: x\n::error::forged\r\n  at y');
    expect(block.split('\n')).toEqual(['Error: x', '  ::error::forged', '    at y']);
  });
});

describe('shellQuote', () => {
  it('leaves plain words alone and quotes the rest', () => {
    expect(shellCommand(['npx', 'warmleak', 'check', 'src/a.ts#handler', '--invocations', '30'])).toBe(
      'npx warmleak check src/a.ts#handler --invocations 30',
    );
    expect(shellQuote("it's $(id).ts")).toBe("'it'\\''s $(id).ts'");
    expect(shellQuote('#x')).toBe("'#x'");
    expect(shellQuote('a\nb\x1b')).toBe("$'a\\nb\\x1b'");
  });

  it('gives bash back exactly the argument, running nothing it contains', () => {
    for (const argument of [
      "it's $(touch /tmp/pwned-$$).ts",
      'a`id`;b|c&d>e',
      'new\nline\x1b[2J',
      "q'\\$x",
    ]) {
      const echoed = execFileSync('bash', ['-c', `printf %s ${shellQuote(argument)}`], { encoding: 'utf8' });
      expect(echoed).toBe(argument);
    }
  });
});
