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
