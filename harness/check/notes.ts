// What a check noted besides its findings, as typed values; `noteText` is the one place that words them.
import { countOf, unitNoun } from '../count.js';
import { LOG_BUFFER_BYTES, LOG_BUFFER_RECORDS } from '../runtime/logs.js';
import type { CheckNote } from '../types.js';

export type { CheckNote };

export function noteText(note: CheckNote): string {
  switch (note.kind) {
    case 'heap-inconclusive':
      return `heap inconclusive: ${countOf(note.invocations, 'invocation')} fit the time budget, ${note.needed} needed`;
    case 'test-doubles':
      return `heap +${Math.round(note.bytesPerInvocation)} B/invocation held by test doubles' call history, ~${Math.max(0, Math.round(note.withoutTestDoubles))} B/invocation without them (a mocked client records every call; reset its history to measure the handler alone)`;
    case 'imported-state':
      return `${note.name}${note.module ? ` (${note.module})` : ''} already held ${note.before} ${unitNoun(note.before, note.unit)} before this check's first invocation: an imported function's module keeps its state across the tests that share it (and its import may fill it); check ${note.suggestion} for a fresh module`;
    case 'logs-dropped':
      return `platform.logsDropped: ${countOf(note.droppedRecords, 'log line')} dropped in ${countOf(note.invocations, 'invocation')} (warmleak keeps an environment's latest ${LOG_BUFFER_RECORDS} lines or ${LOG_BUFFER_BYTES} bytes, as Lambda's Telemetry API buffers by default)`;
  }
}
