// Vitest glue: registers the matchers on Vitest's `expect` and types them on its Assertion.
import { expect } from 'vitest';
import { matchers, type WarmleakMatchers } from './matchers.js';

expect.extend(matchers);

declare module 'vitest' {
  interface Assertion<T = any> extends WarmleakMatchers<Promise<void>> {}
  interface AsymmetricMatchersContaining extends WarmleakMatchers<void> {}
}

export * from '../index.js';
