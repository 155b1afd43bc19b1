// The child process of one benchmarked environment: loads the handler, times its first invocation, then warm ones.
import { eventAt } from '../events/index.js';
import { endWithParent } from '../isolation/process-tree.js';
import { errorResponse } from '../isolation/protocol.js';
import { Environment } from '../runtime/environment.js';
import { ownWholeProcess } from '../runtime/handler-scope.js';
import type { BenchRequest, BenchResponse } from './bench-protocol.js';
import { benchWarmPhase } from './warm-cold.js';

function send(message: BenchResponse): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

// A listener that stays registered keeps the IPC channel (and so the process) alive until the request arrives.
let requested = false;
let finished = false;
// Orphaned (warmleak killed, SIGKILL included): end the handler's whole tree, then this process.
endWithParent(() => finished);
// As in the CLI's environment process: everything but the runtime's own work is the handler's.
ownWholeProcess();
process.on('message', async (request: BenchRequest) => {
  if (requested) return;
  requested = true;
  try {
    // This process is the environment: a handler's process.exit ends it, as it ends a Lambda environment.
    const environment = await Environment.create(request.source, {
      ...request.environment,
      interceptExit: false,
    });
    const first = await environment.invoke(eventAt(request.event, 0));
    // Sent before anything else happens, so the parent's wall clock stops at the first invocation's response.
    await send({
      type: 'cold',
      handler: environment.handlerId,
      runtime: environment.runtime,
      initDurationMs: first.initDurationMs ?? environment.initDurationMs,
      firstInvocationMs: first.durationMs,
      error: first.error !== undefined,
    });
    if (request.warm) {
      const warm = await benchWarmPhase(environment, request.event, request.warm);
      await send({ type: 'warm', ...warm });
    }
  } catch (error) {
    await send(errorResponse(error));
  }
  // Whatever the handler left running (sockets, timers) must not keep the environment alive.
  finished = true;
  process.disconnect?.();
  process.exit(0);
});
