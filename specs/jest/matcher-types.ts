// Type test only (checked by `tsc --noEmit -p .`, never run): the matchers type on each framework's `expect`.
import { expect as jestExpect } from '@jest/globals';
import { expect as vitestExpect } from 'vitest';
import type {} from '../../harness/assert/jest.js';
import type {} from '../../harness/assert/vitest.js';

declare const handler: (event: unknown) => Promise<unknown>;

export async function matchersTypecheck(): Promise<void> {
  await jestExpect(handler).not.toLeakState();
  await jestExpect(handler).not.toLeakMemory({ maxBytesPerInvocation: 512, invocations: 200 });
  await jestExpect(handler).not.toLeakHandles({ invocations: 200 });
  await vitestExpect(handler).not.toLeakState({ invocations: 200 });
  await vitestExpect(handler).not.toLeakMemory({ maxBytesPerInvocation: 512 });
  // @ts-expect-error: options are CheckOptions, not a number
  await jestExpect(handler).not.toLeakState(200);
  // @ts-expect-error: options are CheckOptions, not a number
  await vitestExpect(handler).not.toLeakState(200);
}
