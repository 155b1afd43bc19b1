// An SQS consumer that remembers every message it processed, to skip duplicates, and never forgets one.
import type { Context, SQSEvent } from 'aws-lambda';

const processedIds: string[] = [];

export const handler = async (event: Partial<SQSEvent>, context: Context) => {
  const id = event.Records?.[0]?.messageId ?? context.awsRequestId;
  if (!processedIds.includes(id)) processedIds.push(id);
  return { batchItemFailures: [] };
};
