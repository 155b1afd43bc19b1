#!/usr/bin/env node
// The `warmleak` command: the built CLI in an installed package; in a clone of the repository, the source through tsx.
import { existsSync } from 'node:fs';

const source = new URL('../harness/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  // A contributor's clone has no build step at install (a published package must carry no install script), and
  // running the source means `npx warmleak` never runs a stale dist/.
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/cli.js');
}
