// Lambda gives each execution environment its own /tmp (512 MB). On Linux as root, a process environment gets one
// too: a private mount namespace (util-linux `unshare --mount`) with a fresh tmpfs on /tmp, gone with the process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Lambda's default ephemeral storage. */
const TMP_SIZE_MB = 512;

/**
 * Runs in `sh` inside the new namespace: keep the harness's own directory (`$1`, possibly under /tmp) reachable
 * through the working directory, mount the tmpfs, bind that directory back at its path, then exec the node command.
 */
const SCRIPT = [
  'dir=$1; here=$2; shift 2',
  `cd "$dir" && mount -t tmpfs -o size=${TMP_SIZE_MB}m,mode=1777 warmleak-tmp /tmp`,
  'mkdir -p "$dir" && mount --no-canonicalize --bind /proc/self/cwd "$dir"',
  'cd "$here" && exec "$@"',
].join(' && ');

/**
 * Opt-in for now: a check whose test shares a directory under /tmp with the handler (a fixture's ready files)
 * would lose it behind the new /tmp. Set to 1 to give process environments their own /tmp.
 */
export const OWN_TMP_VARIABLE = 'WARMLEAK_OWN_TMP';

let supported: boolean | undefined;

/** Whether this machine can give a child its own /tmp: Linux, root, and an `unshare` that may mount. */
export function privateTmpSupported(): boolean {
  if (supported === undefined) {
    supported =
      process.platform === 'linux' &&
      process.getuid?.() === 0 &&
      spawnSync('unshare', ['--mount', '--propagation', 'private', 'true'], { stdio: 'ignore' }).status === 0;
  }
  return supported;
}

function underTmp(value: string): boolean {
  const path = value.startsWith('file:') ? fileURLToPath(value) : value;
  return path === '/tmp' || path.startsWith('/tmp/');
}

/**
 * `fork` options that start `entry` in a private /tmp: `execPath` is unshare, and the node command follows the
 * wrapper. Undefined where that cannot work: unsupported, or warmleak or the project itself lives under /tmp
 * (the new /tmp would hide it); the environment then watches the shared /tmp instead.
 */
export function privateTmpFork(
  entry: string,
  execArgv: string[],
  cwd: string,
  harnessDir: string,
): { execPath: string; execArgv: string[] } | undefined {
  if (process.env[OWN_TMP_VARIABLE] !== '1' || !privateTmpSupported()) return undefined;
  const paths = [entry, cwd, process.execPath, ...execArgv.filter((arg) => /^(\/|file:)/.test(arg))];
  if (paths.some(underTmp)) return undefined;
  return {
    execPath: 'unshare',
    execArgv: [
      '--mount',
      '--propagation',
      'private',
      '/bin/sh',
      '-c',
      SCRIPT,
      'warmleak-environment',
      harnessDir,
      cwd,
      process.execPath,
      ...execArgv,
    ],
  };
}
