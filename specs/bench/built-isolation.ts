// Process isolation as the published package runs it: harness/isolation built by tsup (no tsx in the child for a
// JavaScript handler), so start-up is timed as users meet it, not through the source's TypeScript loader.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { checkInProcess } from '../../harness/isolation/index.js';

/** Builds `harness/isolation` into `<root>/bench-results/built/` and imports its checkInProcess. */
export async function builtCheckInProcess(root: string): Promise<typeof checkInProcess> {
  const outDir = join(root, 'bench-results', 'built');
  const { build } = await import('tsup');
  await build({
    // The worker sits next to the chunk that forks it, where workerEntry looks for `./worker.js`.
    entry: {
      index: join(root, 'harness/isolation/index.ts'),
      worker: join(root, 'harness/isolation/worker.ts'),
    },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    splitting: true,
    clean: true,
    dts: false,
    silent: true,
    config: false,
    external: ['@airbnb/node-memwatch'],
  });
  if (!existsSync(join(outDir, 'worker.js')))
    throw new Error(`tsup built no worker.js in ${outDir}: ${readdirSync(outDir).join(', ')}`);
  const built = (await import(pathToFileURL(join(outDir, 'index.js')).href)) as {
    checkInProcess: typeof checkInProcess;
  };
  return built.checkInProcess;
}
