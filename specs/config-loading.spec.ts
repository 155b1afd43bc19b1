// Config from warmleak.config.{ts,json} or package.json gives defaults and per-handler overrides; typos are usage errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, matchesHandler, settingsFor } from '../harness/config/index.js';
import { UsageError } from '../harness/errors.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'warmleak-config-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('config', () => {
  it('loads warmleak.config.ts through tsx, with types and RegExp allowances', async () => {
    writeFileSync(
      join(root, 'warmleak.config.ts'),
      `const memory: number = 256;
export default {
  memorySizeMB: memory,
  invocations: 200,
  allow: [/^cache\\./],
  handlers: { 'src/reports/**': { memorySizeMB: 1024, timeoutMs: 10_000 }, 'src/reports/pdf.ts#render': { invocations: 50 } },
};
`,
    );
    const loaded = await loadConfig(root);
    expect(loaded.file).toBe(join(root, 'warmleak.config.ts'));
    expect(settingsFor(loaded.config, 'src/orders/handler.ts', 'src/orders/handler.ts')).toMatchObject({
      memorySizeMB: 256,
      invocations: 200,
    });
    const pdf = settingsFor(loaded.config, 'src/reports/pdf.ts', 'src/reports/pdf.ts#render');
    expect(pdf).toMatchObject({ memorySizeMB: 1024, timeoutMs: 10_000, invocations: 50 });
    expect(pdf.allow?.[0]).toBeInstanceOf(RegExp);
    expect(settingsFor(loaded.config, 'src/reports/pdf.ts', 'src/reports/pdf.ts#other').invocations).toBe(
      200,
    );
  });

  it('prefers a config file to package.json and reads package.json’s "warmleak" key otherwise', async () => {
    writeFileSync(
      join(root, 'package.json'),
      JSON.stringify({ name: 'app', warmleak: { include: ['src/**/handler.ts'], timeoutMs: 5000 } }),
    );
    expect((await loadConfig(root)).config).toEqual({ include: ['src/**/handler.ts'], timeoutMs: 5000 });
    writeFileSync(join(root, 'warmleak.config.json'), JSON.stringify({ invocations: 100 }));
    expect((await loadConfig(root)).config).toEqual({ invocations: 100 });
  });

  it('returns an empty config when there is none', async () => {
    expect(await loadConfig(root)).toEqual({ config: {}, dir: root });
  });

  it('names an unknown setting, a bad value and a missing --config file', async () => {
    writeFileSync(
      join(root, 'warmleak.config.json'),
      JSON.stringify({ handlers: { 'src/a.ts': { memorySize: 512 } } }),
    );
    await expect(loadConfig(root)).rejects.toThrow(
      'warmleak.config.json handlers["src/a.ts"]: unknown setting "memorySize"',
    );
    writeFileSync(join(root, 'near.json'), JSON.stringify({ exclude: ['src/lib/**'], invocation: 10 }));
    await expect(loadConfig(root, 'near.json')).rejects.toThrow(
      'near.json: unknown setting "invocation"; did you mean "invocations"?',
    );
    writeFileSync(join(root, 'bad.json'), JSON.stringify({ invocations: -3 }));
    await expect(loadConfig(root, 'bad.json')).rejects.toThrow(
      'bad.json: "invocations" must be a positive integer',
    );
    await expect(loadConfig(root, 'missing.json')).rejects.toBeInstanceOf(UsageError);
  });

  it('matches override keys by file, file#export and glob', () => {
    expect(matchesHandler('src/**/handler.ts', 'src/a/b/handler.ts', 'src/a/b/handler.ts')).toBe(true);
    expect(matchesHandler('src/**/handler.ts', 'src/handler.ts', 'src/handler.ts')).toBe(true);
    expect(matchesHandler('src/*/handler.{ts,js}', 'src/a/handler.js', 'src/a/handler.js')).toBe(true);
    expect(matchesHandler('src/*/handler.ts', 'src/a/b/handler.ts', 'src/a/b/handler.ts')).toBe(false);
    expect(matchesHandler('src/a.ts#main', 'src/a.ts', 'src/a.ts')).toBe(false);
  });
});
