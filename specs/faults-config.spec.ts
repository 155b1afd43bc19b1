// Fault injection, config files: a warmleak.config with a syntax error is one line naming config:line:column and the
// fix, never a stack, for TypeScript (esbuild through tsx) and native ESM (V8). Adds ~6 s (CLI runs).
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leftovers, newCase, runCli } from './fixtures/fault-run.js';

// A missing comma after the include list: `exclude` starts line 3, column 3.
const BROKEN = "export default {\n  include: ['src/*.ts']\n  exclude: [],\n};\n";

describe('a config file with a syntax error', () => {
  for (const [name, reason] of [
    ['warmleak.config.ts', 'Expected "}" but found "exclude"'],
    ['warmleak.config.mjs', "Unexpected identifier 'exclude'"],
  ] as const) {
    it(`${name}: one line with file:line:column and the fix, exit 2`, async () => {
      const fault = newCase();
      const file = join(fault.tmp, name);
      writeFileSync(file, BROKEN);
      const run = await runCli(fault, ['check', '--config', file]);
      expect(await leftovers(fault)).toEqual({ processes: [], dirs: [] });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `warmleak: syntax error in ${relative(process.cwd(), file)}:3:3: ${reason}; fix the config file\n`,
      );
    }, 30_000);
  }
});
