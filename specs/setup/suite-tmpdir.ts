// Vitest globalSetup: the suite's files write their temporary files under one directory of their own (TMPDIR), so
// that an inline check, which must watch the shared /tmp a handler may write to by name, does not count the
// temporary files of the spec files running beside it. A user's parallel suite would want the same.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let created: string | undefined;

export function setup(): void {
  // Set before the workers fork, so every spec, and every process it starts, inherits it.
  created = mkdtempSync(join(tmpdir(), 'warmleak-suite-'));
  process.env.TMPDIR = created;
}

export function teardown(): void {
  if (created) rmSync(created, { recursive: true, force: true });
}
