// A logger with its own Console (Powertools) writes to process.stdout directly: Lambda shows those lines in the
// invocation's log, and so does the transcript; nothing of it reaches the real stdout while an invocation runs.
import { Console } from 'node:console';
import { afterEach, describe, expect, it } from 'vitest';
import { Environment } from '../harness/runtime/environment.js';

let env: Environment | undefined;
afterEach(async () => {
  await env?.dispose();
  env = undefined;
});

describe('direct writes to stdout and stderr', () => {
  it('land in the transcript between START and END, one line each, as written', async () => {
    const structured = new Console({ stdout: process.stdout, stderr: process.stderr });
    env = await Environment.create(async () => {
      structured.log(JSON.stringify({ level: 'INFO', message: 'order stored' }));
      process.stderr.write('warning: slow query\n');
      return 'ok';
    });
    const result = await env.invoke({});
    const body = result.logLines.slice(1, -2);
    expect(body).toEqual(['{"level":"INFO","message":"order stored"}', 'warning: slow query']);
  });

  it("are the caller's again once the environment is disposed", async () => {
    const original = process.stdout.write;
    env = await Environment.create(async () => 'ok');
    expect(process.stdout.write).not.toBe(original);
    await env.dispose();
    env = undefined;
    expect(process.stdout.write).toBe(original);
  });
});
