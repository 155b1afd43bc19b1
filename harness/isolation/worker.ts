// The child process of one environment: runs one check on request and sends the report back over IPC.
// It loads what an environment needs and no more: a config file is read only for a config's event function, and a
// JavaScript handler loads natively (tsx is registered for TypeScript only), so start-up is Node's plus the check.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { HeapGrowthExplanation, SnapshotPair } from '../analysis/retainers.js';
import { runCheck } from '../check/index.js';
import type { CheckOptions } from '../check-options.js';
import { configureHeapSnapshots } from '../probes/heap-diff.js';
import { ownWholeProcess } from '../runtime/handler-scope.js';
import { loadFirstHandlerNatively, prepareTypeScript } from '../runtime/loader.js';
import { markHandlerLoad, maxMemoryUsedMB } from './memory.js';
import { endWithParent } from './process-tree.js';
import {
  type CheckRequest,
  type CheckResponse,
  type ConfigEvent,
  errorResponse,
  PROGRESS_BYTES,
  type SnapshotAnalysis,
  TYPESCRIPT_HANDLER_ARGUMENT,
} from './protocol.js';

/** A heap snapshot of a large heap under a busy machine can take tens of seconds. */
const HARNESS_WORK_MS = 60_000;

/** A function cannot be sent to a process: the config that defines it is loaded here and its function taken. */
async function configEventFunction(where: ConfigEvent): Promise<CheckOptions['event']> {
  const { loadConfig, settingsFor } = await import('../config/index.js');
  const { config } = await loadConfig(process.cwd(), where.config);
  return settingsFor(config, where.file, where.spec).event;
}

function send(message: CheckResponse): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/** Snapshot analysis runs in the parent, outside this environment's heap limit: ask, and wait for the answer. */
let answerAnalysis: ((answer: SnapshotAnalysis) => void) | undefined;
function analyseInParent(pair: SnapshotPair): Promise<HeapGrowthExplanation> {
  return new Promise((resolve, reject) => {
    answerAnalysis = (answer) => {
      answerAnalysis = undefined;
      if (answer.explanation) resolve(answer.explanation);
      else reject(new Error(`warmleak: the heap snapshots could not be analysed: ${answer.error}`));
    };
    void send({ type: 'analyse-snapshots', pair });
  });
}

// Lambda's runtime keeps polling for the next event, so a handler whose promise never settles times out instead
// of letting the process exit; a listener that stays registered keeps the IPC channel (and so the process) alive.
let requested = false;
let finished = false;
// Orphaned (warmleak killed, SIGKILL included): end the handler's whole tree, then this process.
endWithParent(() => finished);
// This process holds one environment: its handler is loaded as Lambda would load it, and all that is not the
// runtime's own work is the handler's (no async context is carried on its promises to tell it from a host's).
ownWholeProcess();
loadFirstHandlerNatively({ typescript: true });
process.on('message', async (request: CheckRequest | SnapshotAnalysis) => {
  if (request.type === 'snapshot-analysis') return answerAnalysis?.(request);
  if (requested) return;
  requested = true;
  configureHeapSnapshots({
    dir: request.workDir,
    analyse: analyseInParent,
    // Snapshots make no invocation progress: the parent's timeout watch is told how long they may take.
    onWork: (what) => void send({ type: 'harness-work', what, ms: HARNESS_WORK_MS }),
  });
  const progress = openSync(request.progressFile, 'w');
  const mark = Buffer.alloc(PROGRESS_BYTES);
  // Each invocation marks that it is starting: if the environment dies, the parent reads where.
  const options: CheckOptions = {
    ...request.options,
    onInvocation: (index: number) => {
      mark.writeInt32LE(index + 1, 0);
      writeSync(progress, mark, 0, PROGRESS_BYTES, 0);
    },
    // What was found so far leaves the process whenever it changed: an OOM or a crash later keeps it.
    onEvidence: (report) => {
      process.send?.({ type: 'evidence', report } satisfies CheckResponse);
    },
  };
  try {
    if (request.configEvent) options.event = await configEventFunction(request.configEvent);
    markHandlerLoad();
    const report = await runCheck(request.source, options);
    const usage = process.resourceUsage().maxRSS;
    await send({ type: 'report', report, maxMemoryUsedMB: maxMemoryUsedMB() ?? Math.ceil(usage / 1024) });
  } catch (error) {
    await send(errorResponse(error));
  } finally {
    closeSync(progress);
  }
  // Whatever the handler left running (sockets, timers, a browser) must not keep the environment alive.
  finished = true;
  process.disconnect?.();
  process.exit(0);
});
// A process started ahead (a spare) is taken once this arrives; a process started for its environment says it too.
void send({ type: 'ready' });
// A spare for a TypeScript handler registers tsx and starts its compiler while it waits (300-700 ms of a start under
// load), before its handler's request; a load that comes meanwhile waits for the same registration.
setImmediate(() => {
  // A failure here is the handler's load's to report, when it waits for the same registration.
  if (!requested && process.argv.includes(TYPESCRIPT_HANDLER_ARGUMENT)) prepareTypeScript().catch(() => {});
});
