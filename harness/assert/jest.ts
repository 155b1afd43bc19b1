// Jest glue: registers the matchers on Jest's global `expect` and types them for @jest/globals and @types/jest.
import type {} from 'expect';
import { matchers, type WarmleakMatchers } from './matchers.js';

const jestExpect = (globalThis as { expect?: { extend(m: object): void } }).expect;
if (!jestExpect) {
  throw new Error(
    'warmleak/jest registers matchers on Jest\'s global expect: import it from a test file or "setupFilesAfterEnv"',
  );
}
jestExpect.extend(matchers);

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends WarmleakMatchers<Promise<R>> {}
}

declare global {
  namespace jest {
    interface Matchers<R> extends WarmleakMatchers<Promise<R>> {}
  }
}

export * from '../index.js';
