// A generated repository of handlers for the scale bench: a mix of clean, state-leaking, handle-leaking and slow
// ones, written into a temporary folder, as a CI job over a real repository would meet them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type FleetKind = 'clean' | 'state' | 'handle' | 'slow';

/** One source per kind; `n` makes every file its own module (no two handlers share a cached one). */
const SOURCES: Record<FleetKind, (n: number) => string> = {
  clean: (n) => `// clean handler ${n}: keeps nothing between invocations.
const greeting = 'hello ${n}';
exports.handler = async (event) => ({ statusCode: 200, body: greeting + (event.name ?? '') });
`,
  state: (n) => `// state-leaking handler ${n}: a module-scope array grows by one entry per invocation.
const seen = [];
exports.handler = async (event, context) => {
  seen.push(context.awsRequestId);
  return { statusCode: 200, body: String(seen.length + ${n}) };
};
`,
  handle: (n) => `// handle-leaking handler ${n}: starts a timer per invocation and never clears it.
exports.handler = async () => {
  setInterval(() => {}, 60_000 + ${n});
  return { statusCode: 200 };
};
`,
  slow: (n) => `// slow handler ${n}: waits 2 ms per invocation (a downstream call), keeps nothing.
exports.handler = async () => {
  await new Promise((resolve) => setTimeout(resolve, 2));
  return { statusCode: 200, body: 'slow ${n}' };
};
`,
};

/** The mix: of every 10 handlers, 4 clean, 3 state-leaking, 2 handle-leaking, 1 slow. */
const MIX: FleetKind[] = [
  'clean',
  'state',
  'clean',
  'handle',
  'clean',
  'state',
  'slow',
  'clean',
  'handle',
  'state',
];

export interface Fleet {
  dir: string;
  files: Array<{ path: string; kind: FleetKind }>;
}

/** Writes `count` handlers under `dir/src/` (plus a package.json marking them CommonJS), `mix` repeated. */
export function writeFleet(dir: string, count: number, mix: readonly FleetKind[] = MIX): Fleet {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "name": "fleet", "private": true, "type": "commonjs" }\n');
  const files: Fleet['files'] = [];
  for (let n = 0; n < count; n++) {
    const kind = mix[n % mix.length];
    const path = `src/${kind}-${String(n).padStart(3, '0')}.cjs`;
    writeFileSync(join(dir, path), SOURCES[kind](n));
    files.push({ path, kind });
  }
  return { dir, files };
}
