// V8 feedback for the harness's own checkpoint code, allocated at once instead of creeping into the measured heap.
import { setFlagsFromString } from 'node:v8';

/**
 * V8 allocates a function's feedback vector lazily, after it has run for a while, and the inline caches, maps and
 * allocation sites that hang off it follow. Code that runs once per checkpoint (the probes' walks, the series
 * book, the evidence) so kept adding V8 metadata to the heap for dozens of checkpoints: a decaying creep that read
 * as 60-80 B/invocation of a fresh process's no-op main phase. While a checkpoint runs, allocation is eager: a
 * harness function called there for the first time gets its vector at that first call, at the first checkpoint,
 * which the heap verdict does not count. Between checkpoints it is lazy again, as Lambda's runtime leaves it for
 * the handler's code. A process started with the flag set either way keeps it.
 *
 * Node 22 and later only. On Node 20 (V8 11.3, whose bytecode and deoptimisation data sit in the measured old
 * space) it lowered a no-op's main phase from ~140 to 60-85 B/invocation, not enough to spare it the heap phase,
 * and an AWS SDK v3 client at module scope was then called a heap leak in 3 of 6 fresh-process runs (132-377
 * B/invocation over heap phases cut short by a loaded machine) against 1 of 6 without it. Not a significant
 * difference, and the cause is not known, but a false alarm there costs more than what the flag gains.
 */
const skipped =
  Number(process.versions.node.split('.')[0]) < 22 ||
  [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) =>
    arg.includes('lazy-feedback-allocation'),
  );

/** Runs `work` (sync, or until its promise settles) with feedback allocated eagerly. */
export function withEagerFeedback<T>(work: () => T): T {
  if (skipped) return work();
  setFlagsFromString('--no-lazy-feedback-allocation');
  let result: T;
  try {
    result = work();
  } catch (error) {
    setFlagsFromString('--lazy-feedback-allocation');
    throw error;
  }
  if (!(result instanceof Promise)) {
    setFlagsFromString('--lazy-feedback-allocation');
    return result;
  }
  return result.finally(() => setFlagsFromString('--lazy-feedback-allocation')) as T;
}
