// The first commands a new user types: `warmleak` alone prints usage and exits 2, `--version` is warmleak's own, a mistyped flag names the right one, help lists every event type.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../harness/events/index.js';

function warmleak(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ...env },
  });
}

const own = JSON.parse(readFileSync('package.json', 'utf8')).version as string;

describe('warmleak CLI basics', () => {
  it('with no arguments prints usage on stderr and exits 2', () => {
    const run = warmleak([]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^warmleak\/\S+\n\nUsage:\n {2}\$ warmleak <command> \[options\]\n/);
    expect(run.stderr).toContain('\n  check [...handlers]  ');
  });

  it("--version prints warmleak's version, not the version of the app it runs in", () => {
    const run = warmleak(['--version'], { npm_package_version: '9.9.9' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^warmleak/${own.replaceAll('.', '\\.')} `));
  });

  it('a mistyped flag exits 2 naming the flag it was meant to be, also before any command', () => {
    const typo = warmleak(['check', 'handler.ts', '--invocation', '10']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe('warmleak: Unknown option `--invocation`; did you mean --invocations?\n');
    expect(warmleak(['invoke', 'handler.ts', '--event-typ', 'sqs']).stderr).toBe(
      'warmleak: Unknown option `--eventTyp`; did you mean --event-type?\n',
    );
    const global = warmleak(['--verison']);
    expect(global.status).toBe(2);
    expect(global.stderr).toBe('warmleak: Unknown option `--verison`; did you mean --version?\n');
    expect(warmleak(['check', '--zzzzzz']).stderr).toBe(
      'warmleak: Unknown option `--zzzzzz`; run warmleak check --help\n',
    );
  });

  it('--help of check and invoke lists every event type and points at the user’s own files', () => {
    for (const command of ['check', 'invoke']) {
      const help = warmleak([command, '--help']).stdout;
      expect(help).toContain(`Built-in sample event: ${EVENT_TYPES.join(', ')}`);
      expect(help).not.toContain('specs/fixtures');
    }
  });

  it("a command's --help exits 0 with nothing on stderr (its option defaults are not unknown options)", () => {
    for (const command of ['check', 'invoke', 'bench', 'simulate']) {
      const run = warmleak([command, '--help']);
      expect({ command, status: run.status, stderr: run.stderr }).toEqual({ command, status: 0, stderr: '' });
      expect(run.stdout).toMatch(new RegExp(`\\$ warmleak ${command}\\b`));
    }
  });
});
