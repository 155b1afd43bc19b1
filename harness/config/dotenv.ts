// The function's environment variables from the command line: `--env KEY=VALUE` pairs and `--env-file` (dotenv).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `KEY=VALUE` words (repeatable flag: one string or several); the value may contain `=`. */
export function parseEnvPairs(values: unknown): Record<string, string> {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  const env: Record<string, string> = {};
  for (const raw of list) {
    const text = String(raw);
    const eq = text.indexOf('=');
    const name = eq === -1 ? text : text.slice(0, eq);
    if (eq === -1 || !NAME.test(name))
      throw new UsageError(`--env "${text}" must be KEY=VALUE with KEY a variable name (--env TABLE=orders)`);
    env[name] = text.slice(eq + 1);
  }
  return env;
}

/**
 * A dotenv file: `KEY=VALUE` lines, `#` comments, blank lines, an optional `export `, values in single quotes
 * (literal), double quotes (`\n` escapes) or bare (a trailing ` # comment` dropped). A bad line names its number.
 */
export function readEnvFile(file: string, cwd: string = process.cwd()): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read --env-file ${file}: ${code === 'ENOENT' ? 'no such file' : code}; pass a dotenv file`,
    );
  }
  const env: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(trimmed);
    if (!match)
      throw new UsageError(`${file} line ${i + 1} is not KEY=VALUE; fix the line or comment it out with #`);
    env[match[1]] = dotenvValue(match[2]);
  });
  return env;
}

function dotenvValue(raw: string): string {
  const quote = raw[0];
  if ((quote === '"' || quote === "'") && raw.lastIndexOf(quote) > 0) {
    const inner = raw.slice(1, raw.lastIndexOf(quote));
    return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\"/g, '"') : inner;
  }
  return raw.replace(/\s+#.*$/, '').trim();
}
