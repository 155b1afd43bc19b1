// Ending an environment's processes reads the marker only of processes started after the environment.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MARKER_VARIABLE, processesOf, startTimeOf } from '../harness/isolation/process-tree.js';

describe.runIf(process.platform === 'linux')('processesOf', () => {
  it('finds a marked process outside the tree, and reads no marker of one started before the environment', async () => {
    const marker = `spec-${process.pid}-${Date.now()}`;
    const sleeper = spawn('sleep', ['30'], {
      env: { ...process.env, [MARKER_VARIABLE]: marker },
      stdio: 'ignore',
    });
    try {
      const pid = sleeper.pid as number;
      await new Promise((resolve) => sleeper.once('spawn', resolve));
      const started = startTimeOf(pid);
      expect(started).toBeGreaterThan(0);
      const pids = (startedAfter: number) => processesOf({ marker, startedAfter }).map((entry) => entry.pid);
      expect(pids(started)).toEqual([pid]);
      // An environment started after it cannot have started it: its environment is not read.
      expect(pids(started + 1)).toEqual([]);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
