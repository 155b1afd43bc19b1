// `warmleak check` expands files and globs into sorted targets and `--shard i/n` gives every file to exactly one shard.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseShard,
  resolveTargets,
  shardTargets,
  splitExport,
  type Target,
} from '../harness/cli/targets.js';

let root: string;
const files = [
  'src/billing/handler.ts',
  'src/orders/handler.ts',
  'src/orders/util.ts',
  'src/users/handler.ts',
  'src/users/admin/handler.ts',
  'src/node_modules/x/handler.ts',
  'src/[id]/handler.ts',
];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'warmleak-targets-'));
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), 'export const handler = async () => ({});\n');
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('targets', () => {
  it('expands globs, sorted, skipping node_modules, and keeps #export', async () => {
    const targets = await resolveTargets(['src/**/handler.ts#main'], root);
    expect(targets.map((t) => t.spec)).toEqual([
      'src/[id]/handler.ts#main',
      'src/billing/handler.ts#main',
      'src/orders/handler.ts#main',
      'src/users/admin/handler.ts#main',
      'src/users/handler.ts#main',
    ]);
    expect(targets[1]).toEqual({
      file: 'src/billing/handler.ts',
      exportName: 'main',
      spec: 'src/billing/handler.ts#main',
    });
  });

  it('takes existing paths literally, removes duplicates, and fails loudly on a glob that matches nothing', async () => {
    const targets = await resolveTargets(
      ['./src/[id]/handler.ts', 'src/orders/*.ts', 'src/orders/handler.ts'],
      root,
    );
    expect(targets.map((t) => t.spec)).toEqual([
      'src/[id]/handler.ts',
      'src/orders/handler.ts',
      'src/orders/util.ts',
    ]);
    await expect(resolveTargets(['src/**/lambda.ts'], root)).rejects.toThrow(
      'no file matches "src/**/lambda.ts"',
    );
  });

  it("leaves out the config's exclude globs and checks the export a handlers key names", async () => {
    const targets = await resolveTargets(['src/**/*.ts', 'src/users/handler.ts'], root, {
      exclude: ['src/orders/util.ts', 'src/users/**'],
      handlerKeys: ['src/billing/*.ts#main', 'src/billing/handler.ts#refund', 'src/**/handler.ts'],
    });
    expect(targets.map((t) => t.spec)).toEqual([
      'src/[id]/handler.ts',
      'src/billing/handler.ts#main',
      'src/billing/handler.ts#refund',
      'src/orders/handler.ts',
      // Named literally, so no exclude glob removes it.
      'src/users/handler.ts',
    ]);
  });

  it('splits only an identifier after #', () => {
    expect(splitExport('src/a.ts#handler')).toEqual({ path: 'src/a.ts', exportName: 'handler' });
    expect(splitExport('src/#tmp/a.ts')).toEqual({ path: 'src/#tmp/a.ts' });
  });
});

describe('--shard', () => {
  it('rejects shards outside 1..n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '1'])
      expect(() => parseShard(bad)).toThrow('--shard must be i/n');
  });

  it('puts every file in exactly one shard, for any count, with exports of a file together', () => {
    for (let fileCount = 0; fileCount <= 13; fileCount++) {
      const targets: Target[] = [];
      for (let i = 0; i < fileCount; i++) {
        const file = `src/f${String(i).padStart(2, '0')}.ts`;
        targets.push({ file, spec: `${file}#a` }, { file, spec: `${file}#b` });
      }
      for (let count = 1; count <= 6; count++) {
        const seen = new Map<string, number>();
        for (let index = 1; index <= count; index++) {
          const shard = shardTargets(targets, { index, count });
          for (const target of shard) seen.set(target.spec, (seen.get(target.spec) ?? 0) + 1);
          const perFile = new Set(shard.map((t) => t.file)).size;
          // Near-equal: no shard has more than one file above the even share.
          expect(perFile).toBeLessThanOrEqual(Math.ceil(fileCount / count));
        }
        expect(seen.size).toBe(targets.length);
        expect([...seen.values()].every((times) => times === 1)).toBe(true);
      }
    }
  });

  it('deals the sorted files out in turn, so a folder of alike handlers spreads over every shard', () => {
    // Sorted, the 10 slow handlers sit together; contiguous slices gave them all to one shard.
    const kinds = { clean: 40, handle: 20, slow: 10, state: 30 };
    const targets: Target[] = Object.entries(kinds).flatMap(([kind, count]) =>
      Array.from({ length: count }, (_, i) => {
        const file = `src/${kind}/f${String(i).padStart(3, '0')}.cjs`;
        return { file, spec: `${file}#handler` };
      }),
    );
    const perShard = [1, 2, 3, 4].map((index) => shardTargets(targets, { index, count: 4 }));
    expect(perShard[0].slice(0, 2).map((t) => t.file)).toEqual(['src/clean/f000.cjs', 'src/clean/f004.cjs']);
    for (const [kind, count] of Object.entries(kinds)) {
      const shares = perShard.map((shard) => shard.filter((t) => t.file.startsWith(`src/${kind}/`)).length);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      expect(shares.reduce((a, b) => a + b)).toBe(count);
    }
  });
});
