import { copyFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

function copyTypeScriptWarmUp(outDir: string): void {
  for (const ext of ['mts', 'cts'])
    copyFileSync(`harness/runtime/typescript-warm-up.${ext}`, `${outDir}/typescript-warm-up.${ext}`);
}

// Two formats so that CommonJS (Jest's default) and ESM consumers both load the built package.
export default defineConfig([
  {
    entry: { index: 'harness/index.ts', vitest: 'harness/assert/vitest.ts', jest: 'harness/assert/jest.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    // import.meta.url in the CommonJS build (warmleak resolves tsx and its own files from it).
    shims: true,
    // tinybench is ESM-only; Jest's require cannot load ESM before Node 24.9.
    noExternal: ['tinybench'],
    target: 'node20',
    platform: 'node',
    external: ['vitest', '@jest/globals', 'expect', '@airbnb/node-memwatch', 'puppeteer-core'],
    // The loader compiles these through tsx before timing a TypeScript handler; it looks for them next to itself.
    onSuccess: async () => copyTypeScriptWarmUp('dist'),
  },
  {
    // The workers are forked by process isolation (check, bench) and must sit next to dist/cli.js.
    entry: {
      cli: 'harness/cli/main.ts',
      'isolation-worker': 'harness/isolation/worker.ts',
      'bench-worker': 'harness/bench/bench-worker.ts',
    },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    external: ['@airbnb/node-memwatch'],
  },
]);
