// Turns any handler-derived text into HTML text that renders as itself: markup, entities and control characters included.

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

// C0/C1 controls (bar tab and newline) and the bidirectional overrides that make text read differently than it is.
// biome-ignore lint/suspicious/noControlCharactersInRegex: showing exactly those characters is the point.
const invisible = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** `\u001b`, so a reader sees which invisible character a name holds. */
function visible(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Safe in element content and in a quoted attribute value alike. */
export function escapeHtml(value: string | number): string {
  return String(value)
    .replace(invisible, visible)
    .replace(/[&<>"']/g, (char) => entities[char]);
}

/** An `id` fragment derived from text: letters, digits and dashes only, so no escaping question arises. */
export function htmlId(prefix: string, index: number): string {
  return `${prefix.replace(/[^a-z0-9-]/gi, '')}-${index}`;
}

/**
 * JSON that can sit inside `<script type="application/json">`: `<` is written `\u003c`, so no `</script>` in a
 * handler's key ends the block; U+2028/2029 likewise, for readers that evaluate it.
 */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
