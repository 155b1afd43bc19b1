import { InvocationError } from '../errors.js';
import { forkEnvironment, workerEntry, workerExecArgv } from '../isolation/children.js';
import { rebuildError } from '../isolation/protocol.js';
import { splitHandlerSpec } from '../runtime/handler-spec.js';
import type { EnvironmentOptions } from '../runtime/types.js';
import type { BenchRequest, BenchResponse } from './bench-protocol.js';

/** Lambda gives a function's init phase 10 s; the parent allows that, the invocations asked for, and a margin. */
const INIT_TIMEOUT_MS = 10_000;
const GRACE_MS = 5_000;

type ColdMessage = Extract<BenchResponse, { type: 'cold' }>;
type WarmMessage = Extract<BenchResponse, { type: 'warm' }>;

export interface ChildBenchResult {
  /** From just before fork() to the child's first-invocation message arriving. */
  wallClockMs: number;
  cold: ColdMessage;
  warm: Omit<WarmMessage, 'type'> | null;
}

/**
 * Runs one environment in a fresh child process with Lambda's heap flags: load, first invocation and, when asked,
 * warm invocations. Resolves after the child has exited. A handler that cannot be loaded rejects with the child's
 * typed error; a child that dies or hangs rejects with an InvocationError naming why.
 */
export async function benchInChild(
  request: BenchRequest,
  environment: EnvironmentOptions,
): Promise<ChildBenchResult> {
  const memorySizeMB = environment.memorySizeMB ?? 128;
  const timeoutMs = environment.timeoutMs ?? 3000;
  const worker = workerEntry(import.meta.url, ['./bench-worker.ts', './bench-worker.js'], 'bench worker');
  const warm = request.warm;
  const deadlineMs =
    INIT_TIMEOUT_MS +
    timeoutMs +
    GRACE_MS +
    (warm ? warm.timeMs + timeoutMs * (warm.iterations + warm.warmupIterations) : 0);
  const started = performance.now();
  const flags = workerExecArgv(worker, splitHandlerSpec(request.source).file, import.meta.url);
  const forked = forkEnvironment(worker, flags, memorySizeMB);
  const { child } = forked;

  let wallClockMs = 0;
  let cold: ColdMessage | undefined;
  let warmResult: ChildBenchResult['warm'] = null;
  let failure: Extract<BenchResponse, { type: 'error' }> | undefined;
  child.on('message', (message: BenchResponse) => {
    if (message.type === 'cold') {
      wallClockMs = performance.now() - started;
      cold = message;
    } else if (message.type === 'warm') {
      warmResult = { timing: message.timing, errors: message.errors, samples: message.samples };
    } else {
      failure = message;
    }
  });

  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, deadlineMs);
  child.send(request);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  clearTimeout(deadline);
  forked.end();

  if (failure) throw rebuildError(failure);
  if (cold && (!warm || warmResult)) return { wallClockMs, cold, warm: warmResult };
  const spawnError = forked.spawnError();
  if (spawnError) throw spawnError;
  const phase = cold ? 'during its warm invocations' : 'before its first invocation returned';
  const reason = timedOut
    ? `was killed after ${(deadlineMs / 1000).toFixed(0)} s`
    : signal !== null
      ? `exited with signal ${signal}`
      : `exited with status ${code}`;
  const lastLine = forked.stderr().trim().split('\n').at(-1);
  throw new InvocationError(
    `the environment's process ${reason} ${phase}${lastLine ? ` (${lastLine})` : ''}; run \`warmleak check ${request.source} --isolation process\` to see why`,
  );
}
