// Fails: the leaky consumer is named, whether the spec imports it or gives its path.
import { expectNoStateLeak } from 'warmleak';
import 'warmleak/jest';
import { describe, expect, it } from '@jest/globals';
import { handler } from '../../src/leaky';

describe('leaky consumer', () => {
  it('imported', async () => {
    await expect(handler).not.toLeakState({ invocations: 60 });
  });
  it('by path', async () => {
    await expectNoStateLeak('src/leaky.ts#handler', { invocations: 60 });
  });
});
