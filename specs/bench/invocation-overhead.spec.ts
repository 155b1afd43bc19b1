// The cheaper invocation path keeps Lambda's shapes: request ids look like UUID v4 and never repeat, and the
// transcript formatted on first read (or in JSON) is the one Lambda would print.
import { describe, expect, it } from 'vitest';
import { RequestIds } from '../../harness/runtime/context.js';
import { Environment } from '../../harness/runtime/environment.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('are UUID v4 shaped and unique over 100,000 invocations', () => {
    const ids = new RequestIds();
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(ids.take());
    expect(seen.size).toBe(100_000);
    expect([...seen].filter((id) => !UUID_V4.test(id))).toEqual([]);
  });

  it('differ between environments', () => {
    expect(new RequestIds().take()).not.toBe(new RequestIds().take());
  });
});

describe('transcript of a finished invocation', () => {
  it('is START, the function lines, END and REPORT with this invocation numbers, also in JSON', async () => {
    const env = await Environment.create(async () => {
      console.log('working');
      return { ok: true };
    });
    try {
      await env.invoke({});
      const result = await env.invoke({});
      const { requestId, durationMs, billedDurationMs, maxMemoryUsedMB } = result;
      const expected = [
        `START RequestId: ${requestId} Version: $LATEST`,
        expect.stringMatching(new RegExp(`\\t${requestId}\\tINFO\\tworking$`)),
        `END RequestId: ${requestId}`,
        `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billedDurationMs} ms\tMemory Size: 128 MB\tMax Memory Used: ${maxMemoryUsedMB} MB`,
      ];
      expect(result.logLines).toEqual(expected);
      const json = JSON.parse(JSON.stringify(result));
      expect(json.logLines).toEqual(expected);
      expect(json).toMatchObject({ requestId, response: { ok: true }, coldStart: false, timedOut: false });
    } finally {
      await env.dispose();
    }
  });
});
