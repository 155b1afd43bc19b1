// Reads the stacks warmleak captures for itself (where a timer, listener or promise was created) with the host's
// Error.prepareStackTrace (the test runner's, or Node's own), never with one the handler installed.

type Formatter = PropertyDescriptor | undefined;

/** The host's formatter, remembered when the first environment starts; a handler may replace it afterwards. */
let host: Formatter;
let remembered = false;

/** Remembers the host's Error.prepareStackTrace; called when the first environment installs its hooks. */
export function rememberHostFormatter(): void {
  host = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  remembered = true;
}

/**
 * Puts the host's Error.prepareStackTrace back when the last environment ends: a handler that replaced it (with one
 * that throws, or returns a number) must not break the next check's stacks or warmleak's own error lines.
 */
export function restoreHostFormatter(): void {
  if (!remembered) return;
  install(host);
  remembered = false;
  host = undefined;
}

/** Whether the host formats stacks itself (a test runner's prepareStackTrace that maps its own modules). */
export function hostFormatsStacks(): boolean {
  const formatter = remembered ? host : Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  return typeof formatter?.value === 'function';
}

/**
 * `holder.stack` formatted by the host: the handler's formatter, if any, is set aside for the read (by descriptor,
 * so a handler's accessor is neither called nor lost) and put back. A stack that still cannot be read is absent.
 */
export function ownStack(holder: { stack?: unknown } | undefined): string | undefined {
  if (!holder) return undefined;
  const current = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  const swap = remembered && !sameFormatter(current, host);
  if (swap) install(host);
  try {
    const stack = holder.stack;
    return typeof stack === 'string' ? stack : undefined;
  } catch {
    return undefined;
  } finally {
    if (swap) install(current);
  }
}

function sameFormatter(a: Formatter, b: Formatter): boolean {
  return a?.value === b?.value && a?.get === b?.get && a?.set === b?.set;
}

function install(formatter: Formatter): void {
  if (formatter) Object.defineProperty(Error, 'prepareStackTrace', formatter);
  else delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
}
