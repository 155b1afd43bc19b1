// The one-line progress display of `warmleak check` on a terminal; silent in CI and when output is piped.
import type { WriteStream } from 'node:tty';
import { inert } from './escape.js';

export interface Progress {
  /** A handler started or finished; `done` of `total` are finished. */
  update(done: number, label: string): void;
  /** Erase the line before the report is printed. */
  clear(): void;
}

/** Shown on stderr only, so that stdout carries the report alone. */
export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
  if (!stream.isTTY || ci) return { update() {}, clear() {} };
  const width = () => (stream as WriteStream).columns ?? 80;
  let shown = false;
  return {
    update(done, label) {
      const filled = total > 0 ? Math.round((done / total) * 20) : 0;
      const line = `[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${done}/${total} ${inert(label)}`;
      stream.write(`\r\x1b[2K${line.slice(0, width() - 1)}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
