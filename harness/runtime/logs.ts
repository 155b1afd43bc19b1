// Formats the Lambda log transcript: START/END/REPORT lines and function log lines `time\trequestId\tLEVEL\tmessage`.
import type { LogLevel } from './types.js';

export function functionLogLine(requestId: string | undefined, level: LogLevel, message: string): string {
  return `${new Date().toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${message}`;
}

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

/** Billed duration is the duration rounded up to the next millisecond (Lambda's 1 ms granularity). */
export function billedDuration(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

export function reportLine(
  requestId: string,
  durationMs: number,
  memorySizeMB: number,
  maxMemoryUsedMB: number,
  initDurationMs: number | undefined,
): string {
  const init = initDurationMs === undefined ? '' : `\tInit Duration: ${initDurationMs.toFixed(2)} ms`;
  return (
    `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billedDuration(durationMs)} ms` +
    `\tMemory Size: ${memorySizeMB} MB\tMax Memory Used: ${maxMemoryUsedMB} MB${init}`
  );
}

/**
 * What an environment keeps of its log lines, sized as Lambda's Telemetry API buffers by default: 262,144 bytes
 * and 10,000 records. Allocated once per environment, so heavy logging costs the handler's heap nothing.
 */
export const LOG_BUFFER_BYTES = 262_144;
export const LOG_BUFFER_RECORDS = 10_000;

/** A position in an environment's log: lines and bytes written before it. */
export interface LogMark {
  line: number;
  written: number;
}

/** Lines of one transcript still held, and what was dropped from its start to make room for later ones. */
export interface LogRead {
  lines: string[];
  droppedRecords: number;
  droppedBytes: number;
}

/**
 * A ring of the latest log lines, UTF-8 in one preallocated buffer, with their places in fixed typed arrays. A
 * line never wraps: one that does not fit before the end starts over at 0. Line n is still held while its slot
 * (n % records) and its bytes have not been overwritten; the held lines are always the latest ones.
 */
export class LogBuffer {
  private readonly bytes: Buffer;
  /** Virtual byte offset of each held line (its place in `bytes` is the offset modulo the capacity). */
  private readonly starts: Float64Array;
  private readonly lengths: Int32Array;
  /** Virtual offset after the last line. */
  private end = 0;
  private lines = 0;
  private written = 0;

  constructor(capacityBytes = LOG_BUFFER_BYTES, capacityRecords = LOG_BUFFER_RECORDS) {
    this.bytes = Buffer.alloc(capacityBytes);
    this.starts = new Float64Array(capacityRecords);
    this.lengths = new Int32Array(capacityRecords);
  }

  mark(): LogMark {
    return { line: this.lines, written: this.written };
  }

  /** Keeps one line; one longer than the whole buffer keeps its first `capacityBytes` bytes. */
  append(line: string): void {
    const capacity = this.bytes.length;
    const size = Buffer.byteLength(line);
    this.written += size;
    let at = this.end % capacity;
    if (Math.min(size, capacity) > capacity - at) {
      this.end += capacity - at;
      at = 0;
    }
    const stored = this.bytes.write(line, at, Math.min(size, capacity), 'utf8');
    const slot = this.lines % this.starts.length;
    this.starts[slot] = this.end;
    this.lengths[slot] = stored;
    this.end += stored;
    this.lines += 1;
  }

  /** The first line still held: lines are held from it to the last, found by bisection over the slots. */
  private firstHeld(): number {
    const oldest = this.end - this.bytes.length;
    let low = Math.max(0, this.lines - this.starts.length);
    let high = this.lines;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.starts[mid % this.starts.length] >= oldest) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  /** Lines dropped from [from, to) so far; cheap, it reads no text. */
  droppedBetween(from: LogMark, to: LogMark): number {
    return Math.max(0, Math.min(to.line, this.firstHeld()) - from.line);
  }

  /** The held lines of [from, to), decoded, and how many lines and bytes of it were dropped. */
  read(from: LogMark, to: LogMark): LogRead {
    const first = Math.max(from.line, Math.min(to.line, this.firstHeld()));
    const lines: string[] = [];
    let heldBytes = 0;
    for (let n = first; n < to.line; n++) {
      const slot = n % this.starts.length;
      const at = this.starts[slot] % this.bytes.length;
      heldBytes += this.lengths[slot];
      lines.push(this.bytes.toString('utf8', at, at + this.lengths[slot]));
    }
    const droppedRecords = first - from.line;
    const droppedBytes = droppedRecords === 0 ? 0 : Math.max(0, to.written - from.written - heldBytes);
    return { lines, droppedRecords, droppedBytes };
  }
}

/**
 * The line standing for dropped lines, worded as Lambda's Telemetry API reports them (`platform.logsDropped`,
 * `droppedRecords`, `droppedBytes`).
 */
export function logsDroppedLine(requestId: string, dropped: LogRead): string {
  const record = {
    reason: `warmleak keeps the latest ${LOG_BUFFER_RECORDS} log lines or ${LOG_BUFFER_BYTES} bytes of an environment, as Lambda's Telemetry API buffers by default`,
    droppedRecords: dropped.droppedRecords,
    droppedBytes: dropped.droppedBytes,
  };
  return `${new Date().toISOString()}\t${requestId}\tplatform.logsDropped\t${JSON.stringify(record)}`;
}
