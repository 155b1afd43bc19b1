// Handler-derived text made literal in GitHub-flavoured Markdown: no markup, no HTML, no table cell split by a pipe.
import { inert } from './escape.js';

// Characters that start inline markup (emphasis, code, links, images, HTML, entities, strikethrough, math) or end a
// table cell. Block markup (`#`, `-`, `1.`) cannot start: text never begins a line and has no newline (inert).
const INLINE = /[\\`*_[\]<>|~&!$]/g;

/** Text in a paragraph, list item or table cell, rendered exactly as it is. */
export function markdownText(value: string | number): string {
  return inert(String(value)).replace(INLINE, (char) => `\\${char}`);
}

/**
 * Text as a code span: its backticks need a longer fence, and inside a table a pipe is still a cell boundary
 * unless escaped (GFM unescapes `\|` before the code span is read, so the code shows a plain pipe). A backslash
 * right before a pipe has no spelling in a table's code span that every GFM reader agrees on (cmark-gfm never
 * splits there, others count the backslashes), so such text is escaped as plain text instead.
 */
export function markdownCode(value: string, inTable: boolean): string {
  const text = inert(value);
  if (inTable && text.includes('\\|')) return markdownText(value);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = text.startsWith('`') || text.endsWith('`') || text === '' ? ` ${text} ` : text;
  return `${fence}${inTable ? padded.replace(/\|/g, '\\|') : padded}${fence}`;
}
