// An SQS consumer exported as `main` (its function's Handler is queue.main); it needs the SQS event the config gives it.
import type { SQSEvent } from 'aws-lambda';

let batches = 0;

export const main = async (event: SQSEvent) => {
  if (!Array.isArray(event.Records)) throw new TypeError('expected an SQS event with Records');
  batches += 1;
  return { batchItemFailures: [], batches };
};
