// warmleak as the published package runs it: harness/isolation and the runtime's Environment built by tsup (no tsx
// in the child for a JavaScript handler, no test runner's transform in the warm loop), so start-up and the warm
// loop are timed as users meet them, not through the source's TypeScript loader.
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { checkInProcess, expectEnvironments, sparesReady } from '../../harness/isolation/index.js';
import type { Environment } from '../../harness/runtime/environment.js';

export interface Built {
  checkInProcess: typeof checkInProcess;
  /** The built pool of pre-started processes (its state lives in the built module, beside checkInProcess). */
  expectEnvironments: typeof expectEnvironments;
  sparesReady: typeof sparesReady;
  Environment: typeof Environment;
  /** The built CLI, to run as `node <cli> check ...`. */
  cli: string;
}

let built: Promise<Built> | undefined;

/** Builds (once per run) `harness/isolation`, the Environment and the CLI into `<root>/bench-results/built/`. */
export function builtHarness(root: string): Promise<Built> {
  built ??= build(root);
  return built;
}

async function build(root: string): Promise<Built> {
  const outDir = join(root, 'bench-results', 'built');
  const tsup = await import('tsup');
  await tsup.build({
    // The worker sits next to the chunk that forks it, where workerEntry looks for `./worker.js`.
    entry: {
      index: join(root, 'harness/isolation/index.ts'),
      worker: join(root, 'harness/isolation/worker.ts'),
      environment: join(root, 'harness/runtime/environment.ts'),
      cli: join(root, 'harness/cli/main.ts'),
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
  // As the package build does: the loader compiles these through tsx before it times a TypeScript handler.
  for (const ext of ['mts', 'cts'])
    copyFileSync(
      join(root, `harness/runtime/typescript-warm-up.${ext}`),
      join(outDir, `typescript-warm-up.${ext}`),
    );
  if (!existsSync(join(outDir, 'worker.js')))
    throw new Error(`tsup built no worker.js in ${outDir}: ${readdirSync(outDir).join(', ')}`);
  const load = (name: string) => import(pathToFileURL(join(outDir, `${name}.js`)).href);
  const [isolation, runtime] = await Promise.all([load('index'), load('environment')]);
  return {
    checkInProcess: isolation.checkInProcess,
    expectEnvironments: isolation.expectEnvironments,
    sparesReady: isolation.sparesReady,
    Environment: runtime.Environment,
    cli: join(outDir, 'cli.js'),
  };
}
