// Isolation modes for `warmleak check`: process isolation (a child per environment) and the pool that runs them.

export { lambdaHeapFlags, peakResidentMB } from './memory.js';
export { defaultConcurrency, mapConcurrently } from './pool.js';
export { checkInProcess, LAMBDA_DEFAULTS, type ProcessCheckOptions } from './process.js';
export { expectEnvironments, sparesReady } from './spares.js';
