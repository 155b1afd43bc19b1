// A team's first hour (slow: packs and installs): the packed tarball in a fresh TypeScript project, type-checked under
// node10, node16 and bundler resolution, run by Vitest (forks, threads, vmThreads) and Jest (ts-jest CommonJS, ts-jest
// ESM, @swc/jest), and its CLI reading the project's warmleak.config.ts. Each runner fails naming the leaky consumer's
// culprit and passes the clean one. Adds ~140 s of CPU to each `npm test` (5-10 min wall on a loaded 2-core machine).
import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_DEFAULTS } from '../harness/check/index.js';

const repo = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'warmleak-packed-'));
const app = join(work, 'app');
const version = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version as string;
const CULPRIT = 'processedIds (src/leaky.ts) grew by 1 element per invocation';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      {
        cwd,
        env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env },
        timeout: 280_000,
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** The version of a package as this repository installed it, so the app's install is served from npm's cache. */
function installed(name: string): string {
  return JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** `npm pack` of a staged copy (prepack builds its own dist/), so the repository's dist/ is never rebuilt under other specs. */
async function pack(): Promise<string> {
  const stage = join(work, 'stage');
  mkdirSync(stage);
  for (const entry of ['package.json', 'README.md', 'bin', 'harness', 'tsup.config.ts', 'tsconfig.json'])
    cpSync(join(repo, entry), join(stage, entry), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(stage, 'node_modules'));
  const packed = await run('npm', ['pack', '--pack-destination', work, '--silent'], stage);
  if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  return join(work, tarball);
}

interface TestReport {
  testResults: Array<{
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

/** `status: full name` of every test, and the failure messages, from a Jest-shaped JSON report. */
function outcome(file: string): { tests: string[]; failures: string } {
  const report = JSON.parse(readFileSync(file, 'utf8')) as TestReport;
  const results = report.testResults.flatMap((suite) => suite.assertionResults);
  return {
    tests: results.map((test) => `${test.status}: ${test.fullName}`).sort(),
    failures: results.flatMap((test) => test.failureMessages).join('\n'),
  };
}

const EXPECTED = [
  'failed: leaky consumer by path',
  'failed: leaky consumer imported',
  'passed: clean consumer by path',
  'passed: clean consumer imported',
];

/** Runs a test runner on the app's leaky and clean specs: only the leaky ones fail, naming the culprit. */
async function expectCulpritOnly(args: string[], output: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  // A check runs for seconds, past both runners' 5 s default (the README says so too).
  const result = await run(process.execPath, [...args, '--testTimeout=120000'], app, env);
  const { tests, failures } = outcome(output);
  expect(tests, failures).toEqual(EXPECTED);
  expect(failures).toContain(CULPRIT);
  expect(result.code).toBe(1);
}

beforeAll(async () => {
  const tarball = await pack();
  cpSync(join(repo, 'specs/packed-project'), app, { recursive: true });
  const devDependencies: Record<string, string> = { warmleak: `file:${tarball}` };
  for (const name of ['vitest', 'jest', 'ts-jest', '@swc/jest', '@swc/core', 'typescript', '@types/node'])
    devDependencies[name] = installed(name);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'orders-app', version: '3.1.4', private: true, devDependencies }, null, 2),
  );
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app);
  if (install.code !== 0) throw new Error(`npm install failed: ${install.stderr}`);
}, 300_000);

afterAll(() => {
  if (!process.env.WARMLEAK_KEEP_PACKED) rmSync(work, { recursive: true, force: true });
});

describe('the packed package in a new TypeScript project', () => {
  it.each(['node10', 'node16', 'bundler'])(
    'type-checks the specs under %s resolution',
    async (resolution) => {
      const checked = await run(
        process.execPath,
        ['node_modules/typescript/bin/tsc', '-p', `tsconfig.${resolution}.json`],
        app,
      );
      expect(checked.stdout).toBe('');
      expect(checked.code).toBe(0);
    },
    300_000,
  );

  it.each(['forks', 'threads', 'vmThreads'])(
    'Vitest --pool=%s fails naming the culprit',
    async (pool) => {
      const output = join(work, `vitest-${pool}.json`);
      const args = ['run', 'test/vitest', `--pool=${pool}`, '--reporter=json', `--outputFile=${output}`];
      await expectCulpritOnly(['node_modules/vitest/vitest.mjs', ...args], output);
    },
    300_000,
  );

  it.each([
    ['ts-jest, CommonJS', 'jest.ts-jest.config.js', {}],
    ['ts-jest, ESM', 'jest.ts-jest-esm.config.js', { NODE_OPTIONS: '--experimental-vm-modules' }],
    ['@swc/jest', 'jest.swc.config.js', {}],
  ])(
    'Jest with %s fails naming the culprit',
    async (_name, config, env) => {
      const output = join(work, `${config}.json`);
      const args = ['-c', config, '--json', `--outputFile=${output}`];
      await expectCulpritOnly(['node_modules/jest/bin/jest.js', ...args], output, env);
    },
    300_000,
  );

  it('carries no install script, and its types state the defaults the code uses', () => {
    const installed = join(app, 'node_modules/warmleak');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    // npm 11 warns about (and may refuse) a dependency's install scripts; prepack runs only for the publisher.
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare'])
      expect(manifest.scripts?.[script], script).toBeUndefined();
    const types = readFileSync(join(installed, 'dist/index.d.ts'), 'utf8');
    // Every `invocations` whose doc comment names a default (the .d.ts once said 300 where the code ran 500).
    const documented = [...types.matchAll(/Default (\d+)[^/]*\*\/\s*invocations\?:/g)].map((m) => m[1]);
    expect(documented).toEqual([String(CHECK_DEFAULTS.invocations)]);
  });

  it("npx warmleak: --version is warmleak's, no arguments print usage and exit 2, check follows the config", async () => {
    const own = await run('npx', ['warmleak', '--version'], app);
    expect(own.stdout).toMatch(new RegExp(`^warmleak/${version.replaceAll('.', '\\.')} `));
    const bare = await run('npx', ['warmleak'], app);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage:\n  $ warmleak <command> [options]');
    // `check` alone checks the config's include minus its exclude, and the export its handlers key names.
    const checked = await run('npx', ['warmleak', 'check', '--invocations', '60'], app);
    // Reports come in the order checks finish (several run at once), so the verdicts are compared as a set.
    const verdicts = checked.stdout.match(/^(?:LEAK|pass|ERROR) \S+/gm)?.sort((a, b) => a.localeCompare(b));
    expect(verdicts, checked.stdout + checked.stderr).toEqual([
      'LEAK src/leaky.ts#handler',
      'pass src/clean.ts#handler',
      'pass src/queue.ts#main',
    ]);
    expect(checked.stdout).toContain(CULPRIT);
    expect(checked.code).toBe(1);
  }, 300_000);
});
