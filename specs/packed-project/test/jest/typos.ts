// Typos are type errors: tsc checks this file, no runner runs it.
import { expect } from '@jest/globals';
import { createEvent, defineConfig } from 'warmleak';
import 'warmleak/jest';
import { handler } from '../../src/clean';

export function typos() {
  // @ts-expect-error: no such trigger
  createEvent('sqs-message');
  // @ts-expect-error: the setting is `invocations`
  defineConfig({ invocation: 10 });
  // @ts-expect-error: the option is `invocations`
  return expect(handler).not.toLeakState({ invocation: 10 });
}
