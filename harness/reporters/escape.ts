// Renders text that came from a handler (keys, messages, file names) inert wherever warmleak prints it: terminals,
// CI logs, reports, and command lines a user may paste into a shell.

// C0 controls (ANSI escapes, \r, \n, \b), DEL, C1 controls (a one-byte CSI), line and paragraph separators, and
// the bidirectional overrides and isolates that make text display in another order than it runs (Trojan Source).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching exactly those characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const HAS_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCharacter(character: string): string {
  const named = NAMED[character];
  if (named) return named;
  const code = character.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * One line of text that cannot move the cursor, colour the terminal, start a new line (so it cannot begin a CI
 * workflow command such as `::error`) or reorder what is shown: `a\nb` -> `a\\nb`, ESC -> `\\x1b`.
 */
export function inert(text: unknown): string {
  const value = typeof text === 'string' ? text : String(text);
  return HAS_UNSAFE.test(value) ? value.replace(UNSAFE, escapeCharacter) : value;
}

/**
 * Several lines (a stack trace, a log record), each made inert but for its tabs, and indented by `indent` after the
 * first, so that no line of it starts at column 0: the caller puts its own prefix before the first.
 */
export function inertLines(text: unknown, indent = '  '): string {
  const value = typeof text === 'string' ? text : String(text);
  return value
    .split(/\r?\n/)
    .map((line) => line.split('\t').map(inert).join('\t'))
    .join(`\n${indent}`);
}

// What JSON.stringify leaves raw and a terminal still obeys: DEL, C1 controls, separators, bidi controls.
const LIVE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text with the characters JSON.stringify leaves raw written as `\uXXXX`: the same value for any parser,
 * inert on a terminal (`check --json` without jq). These characters can only occur inside strings.
 */
export function inertJson(json: string): string {
  return json.replace(
    LIVE_IN_JSON,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// Words a POSIX shell reads literally: no quoting needed. `#` only inside a word (at its start it opens a comment).
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-][A-Za-z0-9_@%+=:,./#-]*$/;

/**
 * One argument quoted for a POSIX shell, so that pasting the command runs nothing the argument contains:
 * `file$(id).ts` -> `'file$(id).ts'`. An argument with control characters uses `$'...'` (bash, zsh, ksh) with
 * escapes, so that the printed line stays one line and inert.
 */
export function shellQuote(argument: string): string {
  if (PLAIN_WORD.test(argument)) return argument;
  if (!HAS_UNSAFE.test(argument)) return `'${argument.replace(/'/g, `'\\''`)}'`;
  return `$'${argument.replace(/[\\']/g, (character) => `\\${character}`).replace(UNSAFE, escapeCharacter)}'`;
}

/** A command line from its words, each quoted as needed: `npx warmleak check 'a b.ts#handler'`. */
export function shellCommand(words: string[]): string {
  return words.map(shellQuote).join(' ');
}
