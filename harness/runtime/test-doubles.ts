// The call history of test doubles a setup file registered (aws-sdk-client-mock records every send in sinon's
// default sandbox): the test's own growth, cleared at each checkpoint so that it never reaches the verdict.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface TestDoubles {
  resetHistory(): void;
  restore?(): void;
}

/**
 * sinon's default sandbox as aws-sdk-client-mock sees it, in both module formats (its CommonJS build and its ESM
 * bundle are separate instances), when the project has aws-sdk-client-mock. Empty when it has not.
 */
export async function setupTestDoubles(projectRoot: string): Promise<TestDoubles[]> {
  let sinonEntry: string;
  try {
    const mock = createRequire(join(projectRoot, 'noop.js')).resolve('aws-sdk-client-mock');
    sinonEntry = createRequire(mock).resolve('sinon');
  } catch {
    return [];
  }
  const sandboxes: TestDoubles[] = [];
  const require = createRequire(sinonEntry);
  const cjs = require.cache[sinonEntry]?.exports as TestDoubles | undefined;
  if (typeof cjs?.resetHistory === 'function') sandboxes.push(cjs);
  try {
    const root = dirname(dirname(sinonEntry));
    const manifest = require(join(root, 'package.json')) as { exports?: { '.': { import?: string } } };
    const esmPath = manifest.exports?.['.'].import;
    if (esmPath) {
      // The same URL as the setup file's import: the instance it registered its stubs in (loaded once, at start).
      const esm = (await import(pathToFileURL(join(root, esmPath)).href)) as { default?: TestDoubles };
      if (typeof esm.default?.resetHistory === 'function') sandboxes.push(esm.default);
    }
  } catch {
    // A sinon without an ESM build: its CommonJS instance is the only one.
  }
  return sandboxes;
}
