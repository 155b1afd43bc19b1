// Where a command's report goes: stdout, or a file (an HTML page is a file), written whole or piece by piece.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
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

export interface OutputWriter {
  /** Writes one piece now (a handler's part of the report, as its check ends). */
  write(text: string): void;
  /** Writes the last piece and, for a file, closes it and names it on stderr. */
  end(text: string): void;
}

/**
 * The report piece by piece: to stdout as each piece comes (the CLI waits for stdout to drain before it exits), or
 * appended to the file, which is created (with its folder) by the first piece, synchronously like writeOutput.
 */
export function outputWriter(file: string | undefined, cwd: string = process.cwd()): OutputWriter {
  if (file === undefined)
    return {
      write: (text) => void (text && process.stdout.write(text)),
      end: (text) => void (text && process.stdout.write(text)),
    };
  const path = resolve(cwd, file);
  let fd: number | undefined;
  const write = (text: string) => {
    if (fd === undefined) {
      mkdirSync(dirname(path), { recursive: true });
      fd = openSync(path, 'w');
    }
    if (text) writeSync(fd, text);
  };
  return {
    write: (text) => {
      if (text) write(text);
    },
    end: (text) => {
      write(text);
      if (fd !== undefined) closeSync(fd);
      const shown = relative(cwd, path);
      process.stderr.write(`warmleak: report written to ${shown.startsWith('..') ? path : shown}\n`);
    },
  };
}
