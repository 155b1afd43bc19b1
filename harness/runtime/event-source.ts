// Turns the user's event input (a JSON file, a value, or a function of the invocation index) into events.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidEventError } from '../errors.js';

/** Lambda's limit for a synchronous invocation's payload: 6 MB. */
export const MAX_PAYLOAD_BYTES = 6_291_456;
/** Deeper events cannot be copied per invocation (structuredClone, IPC) without exhausting the stack. */
export const MAX_EVENT_DEPTH = 2000;

/** How deeply `text` (JSON) nests arrays and objects, counted without recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return deepest;
}

/** Lambda refuses a payload over 6 MB before the function runs; warmleak refuses it the same way. */
function checkPayload(path: string, file: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return; // reading reports it
  }
  if (size > MAX_PAYLOAD_BYTES)
    throw new InvalidEventError(
      `event file ${file} is ${size} bytes: RequestEntityTooLargeException: Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation; pass a smaller event`,
    );
}

/** Reads a JSON event file; a missing file or malformed JSON is an `InvalidEventError` naming file and reason. */
export function readEventFile(file: string, cwd: string = process.cwd()): unknown {
  const path = resolve(cwd, file);
  checkPayload(path, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code);
    throw new InvalidEventError(`cannot read event file ${file}: ${reason}; pass --event with a JSON file`);
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new InvalidEventError(
      `event file ${file} is not valid JSON (${reason}); fix the JSON or pass another file`,
    );
  }
  const depth = nestingDepth(text);
  if (depth > MAX_EVENT_DEPTH)
    throw new InvalidEventError(
      `event file ${file} nests ${depth} levels deep; warmleak copies the event for every invocation and supports up to ${MAX_EVENT_DEPTH}`,
    );
  return event;
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
