// Where a command's report goes: stdout, or a file written whole before the command returns (an HTML page is a file).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/** HTML goes to this file unless `--output` names another (or `-`, stdout): a page is opened, not read in a log. */
export const DEFAULT_HTML_OUTPUT = 'warmleak-report.html';

/** `--output -` read as `--output=-`: the option parser takes a lone `-` for no value at all. */
export function joinOutputDash(argv: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--output' && argv[i + 1] === '-') {
      joined.push('--output=-');
      i++;
    } else joined.push(argv[i]);
  }
  return joined;
}

/** The file a report goes to, or undefined for stdout. */
export function outputFile(output: unknown, reporter: string): string | undefined {
  if (output === '-') return undefined;
  if (typeof output === 'string' && output !== '') return output;
  return reporter === 'html' ? DEFAULT_HTML_OUTPUT : undefined;
}

/**
 * Writes the report to the file (synchronously, so a `process.exit` right after cannot cut it short) and names
 * it on stderr, or writes it to stdout.
 */
export function writeOutput(text: string, file: string | undefined, cwd: string = process.cwd()): void {
  if (file === undefined) {
    process.stdout.write(text);
    return;
  }
  const path = resolve(cwd, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const shown = relative(cwd, path);
  process.stderr.write(`warmleak: report written to ${shown.startsWith('..') ? path : shown}\n`);
}
