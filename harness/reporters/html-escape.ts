// Turns any handler-derived text into HTML text that renders as itself: markup, entities and control characters included.
import { inert } from './escape.js';

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Safe in element content and in a quoted attribute value alike; invisible characters are shown as escapes. */
export function escapeHtml(value: string | number): string {
  return inert(String(value)).replace(/[&<>"']/g, (char) => entities[char]);
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
