// An SQS consumer that keeps only a counter between invocations.
import type { Context, SQSEvent } from 'aws-lambda';

let invocations = 0;

export const handler = async (event: Partial<SQSEvent>, context: Context) => {
  invocations += 1;
  const id = event.Records?.[0]?.messageId ?? context.awsRequestId;
  return { batchItemFailures: [], last: id, invocations };
};
