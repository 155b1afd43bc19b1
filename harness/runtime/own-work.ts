// Marks the async resources the emulated runtime creates for itself (its between-invocation turn, its empty-loop
// checks), so the resource tracker never records, or pays a stack capture for, work that is not the handler's.

let depth = 0;

/** Runs `fn`; what it creates synchronously is the runtime's own, not the handler's. */
export function asOwnWork<T>(fn: () => T): T {
  depth += 1;
  try {
    return fn();
  } finally {
    depth -= 1;
  }
}

/** Whether the runtime is creating its own resources right now. */
export function isOwnWork(): boolean {
  return depth > 0;
}
