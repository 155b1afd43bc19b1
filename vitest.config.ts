import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts'],
    // Forks, not threads: handlers spawn processes and the inspector probes want a main thread.
    pool: 'forks',
    // After the whole suite, no process a spec started may still be running.
    globalSetup: ['specs/setup/no-leftover-processes.ts', 'specs/setup/suite-tmpdir.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    benchmark: {
      include: ['specs/bench/**/*.bench.ts'],
    },
  },
});
