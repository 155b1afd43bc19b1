// Turns the user's event input (a JSON file, a value, or a function of the invocation index) into events.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/**
 * Reads `--events`: a JSON array, JSON Lines (one event a line), or a folder of .json files (in name order). Each
 * event is labelled for error messages (`events.jsonl line 3`). An empty list is an `InvalidEventError`.
 */
export function readEventsFile(
  file: string,
  cwd: string = process.cwd(),
): Array<{ value: unknown; label: string }> {
  const path = resolve(cwd, file);
  let events: Array<{ value: unknown; label: string }>;
  if (existsSync(path) && statSync(path).isDirectory()) {
    const names = readdirSync(path)
      .filter((name) => name.endsWith('.json'))
      .sort();
    events = names.map((name) => ({ value: readEventFile(join(path, name)), label: `${file}/${name}` }));
  } else {
    events = parseEvents(readText(path, file), file);
  }
  if (events.length === 0)
    throw new InvalidEventError(
      `--events ${file} holds no events; give a JSON array, JSON Lines or .json files`,
    );
  return events;
}

function readText(path: string, file: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file or folder' : String(code);
    throw new InvalidEventError(
      `cannot read events ${file}: ${reason}; pass --events with a JSON array, a JSON Lines file or a folder`,
    );
  }
}

/** A JSON array, one JSON value, or JSON Lines; a bad line is named by its number. */
function parseEvents(text: string, file: string): Array<{ value: unknown; label: string }> {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const whole = JSON.parse(trimmed);
    if (Array.isArray(whole)) return whole.map((value, i) => ({ value, label: `${file}[${i}]` }));
    return [{ value: whole, label: file }];
  } catch {
    // Not one JSON value: JSON Lines, read line by line below.
  }
  const events: Array<{ value: unknown; label: string }> = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      events.push({ value: JSON.parse(line), label: `${file} line ${i + 1}` });
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0];
      throw new InvalidEventError(
        `${file} line ${i + 1} is not valid JSON (${reason}); give a JSON array or one JSON event per line`,
      );
    }
  });
  return events;
}
