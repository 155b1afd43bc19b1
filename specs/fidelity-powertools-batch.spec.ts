// Powertools' BatchProcessor, the real package: an SQS consumer written as its docs show (processPartialResponse
// with one processor at module scope) passes, and its twin remembering every processed message id is named. Each
// invocation gets its own messages, as SQS delivers them. About 30 s on two busy cores.
import { afterEach, describe, expect, it } from 'vitest';
import { createEvent, runCheck } from '../harness/index.js';
import { Environment } from '../harness/runtime/environment.js';

const fx = (name: string) => `specs/fixtures/fidelity/${name}`;

/** A batch of three messages, the second one invalid; message ids differ per invocation. */
function batch(invocation: number) {
  const [template] = createEvent('sqs').Records;
  const bodies = ['{"total":12}', '{"total":-1}', '{"total":7}'];
  return {
    Records: bodies.map((body, k) => ({ ...template, messageId: `msg-${invocation}-${k}`, body })),
  };
}

let env: Environment | undefined;
afterEach(async () => {
  await env?.dispose();
  env = undefined;
});

describe("Powertools' BatchProcessor with processPartialResponse", () => {
  it('answers SQS with the failed message only, as Powertools does', async () => {
    env = await Environment.create(fx('sqs-batch-powertools.ts'));
    const result = await env.invoke(batch(0));
    expect(result.error).toBeUndefined();
    expect(result.response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-0-1' }] });
    expect(result.logLines.some((line) => line.includes('"message":"order processed"'))).toBe(true);
  });

  it('one processor at module scope, reused for every batch: passes', async () => {
    const report = await runCheck(fx('sqs-batch-powertools.ts'), { event: batch });
    expect(report.findings.map((f) => f.message)).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.errors?.count ?? 0).toBe(0);
  }, 120_000);

  it('a module array of processed message ids is named, at two elements per batch', async () => {
    const report = await runCheck(fx('sqs-batch-powertools-seen.ts'), { event: batch });
    expect(report.verdict).toBe('leak');
    const state = report.findings.filter((f) => f.kind === 'state');
    expect(state.map((f) => `${f.name}@${f.module}`)).toEqual([
      'processedIds@specs/fixtures/fidelity/sqs-batch-powertools-seen.ts',
    ]);
    expect(state[0].growthPerInvocation).toBeCloseTo(2, 1);
  }, 120_000);
});
