// Turns the user's event input (a JSON file, a value, or a function of the invocation index) into events.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidEventError } from '../errors.js';

/** Reads a JSON event file; a missing file or malformed JSON is an `InvalidEventError` naming file and reason. */
export function readEventFile(file: string, cwd: string = process.cwd()): unknown {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code);
    throw new InvalidEventError(`cannot read event file ${file}: ${reason}; pass --event with a JSON file`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new InvalidEventError(
      `event file ${file} is not valid JSON (${reason}); fix the JSON or pass another file`,
    );
  }
}
