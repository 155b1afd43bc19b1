// Passes: the clean consumer keeps a counter only, imported or by path.
import { createEvent, expectNoStateLeak } from 'warmleak';
import 'warmleak/vitest';
import { describe, expect, it } from 'vitest';
import { handler } from '../../src/clean';

describe('clean consumer', () => {
  it('imported', async () => {
    await expect(handler).not.toLeakState({ invocations: 60, event: createEvent('sqs') });
  });
  it('by path', async () => {
    await expectNoStateLeak('src/clean.ts', { invocations: 60 });
  });
});
