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

/**
 * Whether the host formats stacks itself (a test runner's prepareStackTrace that maps its own modules). Node 20.x
 * and later expose their own default as `Error.prepareStackTrace` (`ErrorPrepareStackTrace`): that one is no
 * runner's, and it maps every frame once source maps are on.
 */
export function hostFormatsStacks(): boolean {
  const formatter = remembered ? host : Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  const value: unknown = formatter?.value;
  return typeof value === 'function' && value.name !== 'ErrorPrepareStackTrace';
}

/**
 * Frames in V8's `at file:line:col` form at the positions V8 ran, with no source map applied. Node's own formatter
 * maps every frame once source maps are on, which parses the map of each module on the stack the first time it
 * appears there: warmleak's own modules and dependencies, in the middle of a measured run (tens of KB of mappings
 * that a heap slope read as growth). Only the one frame a site names is mapped, by the caller.
 */
const rawFrames = {
  value(_error: unknown, frames: NodeJS.CallSite[]): string {
    let stack = 'Error';
    for (const frame of frames) {
      const file = frame.getFileName();
      stack += file
        ? `\n    at ${file}:${frame.getLineNumber()}:${frame.getColumnNumber()}`
        : '\n    at <anonymous>';
    }
    return stack;
  },
  writable: true,
  configurable: true,
} satisfies PropertyDescriptor;

/**
 * `holder.stack` as warmleak reads its own stacks: with the host's formatter when the host has one (a test runner's
 * maps the modules it transformed), else as raw frames. The handler's formatter, if any, is set aside for the read
 * (by descriptor, so a handler's accessor is neither called nor lost) and put back. A stack that still cannot be
 * read is absent. Positions may be generated ones: map the frame you pick (see `userSite`).
 */
export function ownStack(holder: { stack?: unknown } | undefined): string | undefined {
  if (!holder) return undefined;
  const current = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  const wanted = hostFormatsStacks() ? (remembered ? host : current) : rawFrames;
  const swap = !sameFormatter(current, wanted);
  if (swap) install(wanted);
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
