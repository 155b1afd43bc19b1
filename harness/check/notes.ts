// What a check noted besides its findings, as typed values; `noteText` is the one place that words them.
import { LOG_BUFFER_BYTES, LOG_BUFFER_RECORDS } from '../runtime/logs.js';
import type { CheckNote } from '../types.js';

export type { CheckNote };

export function noteText(note: CheckNote): string {
  switch (note.kind) {
    case 'heap-inconclusive':
      return `heap inconclusive: ${note.invocations} invocations fit the time budget, ${note.needed} needed`;
    case 'test-doubles':
      return `heap +${Math.round(note.bytesPerInvocation)} B/invocation held by test doubles' call history, ~${Math.max(0, Math.round(note.withoutTestDoubles))} B/invocation without them (a mocked client records every call; reset its history to measure the handler alone)`;
    case 'logs-dropped':
      return `platform.logsDropped: ${note.droppedRecords} log lines dropped in ${note.invocations} invocations (warmleak keeps an environment's latest ${LOG_BUFFER_RECORDS} lines or ${LOG_BUFFER_BYTES} bytes, as Lambda's Telemetry API buffers by default)`;
  }
}
