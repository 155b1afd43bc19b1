// Converts whatever a handler threw or passed to its callback into Lambda's error shape {errorType, errorMessage, trace}.
import { types } from 'node:util';
import type { LambdaError } from './types.js';

/**
 * Lambda's answer when reading a thrown error's name, message or stack throws: a getter, a Proxy trap, an
 * Error.prepareStackTrace that throws or returns something that is not a string (its `stack.split` then throws).
 */
export const UNREADABLE_ERROR_MESSAGE =
  'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack';

function unreadable(): LambdaError {
  return { errorType: 'handled', errorMessage: UNREADABLE_ERROR_MESSAGE, trace: [] };
}

/**
 * As Lambda's Node.js runtime reports it (its `toRapidResponse`): a native error, or an object whose name, message
 * and stack are non-empty strings, by those three; any other value by `typeof` and its own `toString()`. Each
 * property is read at most once, as few times as Lambda reads it or fewer, and nothing thrown escapes.
 */
export function toLambdaError(error: unknown): LambdaError {
  try {
    if (types.isNativeError(error)) {
      const { name, message, stack } = error as { name: unknown; message: unknown; stack: unknown };
      return errorShape(name, message, stack);
    }
    const shaped = errorLike(error);
    if (shaped) return shaped;
    const text = (error as { toString(): unknown }).toString();
    return {
      errorType: typeof error,
      errorMessage: typeof text === 'string' ? text : String(text),
      trace: [],
    };
  } catch {
    return unreadable();
  }
}

/** Lambda's `_isError`: truthy name, message and stack, all three strings. Reads stop at the first falsy one. */
function errorLike(value: unknown): LambdaError | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const candidate = value as { name?: unknown; message?: unknown; stack?: unknown };
  const name = candidate.name;
  if (!name) return undefined;
  const message = candidate.message;
  if (!message) return undefined;
  const stack = candidate.stack;
  if (!stack || typeof name !== 'string' || typeof message !== 'string' || typeof stack !== 'string')
    return undefined;
  return errorShape(name, message, stack);
}

function errorShape(name: unknown, message: unknown, stack: unknown): LambdaError {
  // Lambda splits the stack unconditionally: a stack that is not a string fails the conversion as a whole.
  if (typeof stack !== 'string') throw new TypeError('stack is not a string');
  return { errorType: asText(name), errorMessage: asText(message), trace: stack.split('\n') };
}

/** Name and message as JSON would carry them, kept as text so every reporter can escape them. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? '' : String(value);
}

/**
 * Lambda's error for a rejection nobody handled: type `Runtime.UnhandledPromiseRejection`, message the reason's
 * `toString()`. A reason that cannot be read is reported as Lambda reports an unreadable error, under that type.
 */
export function unhandledRejectionError(reason: unknown): LambdaError {
  let message: string;
  let frames: string[] = [];
  try {
    if (types.isNativeError(reason)) {
      const { name, message: text, stack } = reason as { name: unknown; message: unknown; stack: unknown };
      message = `${asText(name)}: ${asText(text)}`;
      if (typeof stack === 'string') frames = stack.split('\n').slice(1);
    } else {
      message = String(reason);
    }
  } catch {
    message = UNREADABLE_ERROR_MESSAGE;
    frames = [];
  }
  return {
    errorType: 'Runtime.UnhandledPromiseRejection',
    errorMessage: message,
    trace: [`Runtime.UnhandledPromiseRejection: ${message}`, ...frames],
  };
}

/** The invocation error when the handler runs past the configured timeout. */
export function timeoutError(requestId: string, timeoutMs: number): LambdaError {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: ${timeoutMessage(timeoutMs)}`,
    trace: [],
  };
}

/**
 * `Task timed out after 3.00 seconds`, as Lambda prints it: the configured timeout, to the hundredth as Lambda
 * shows it, or to the millisecond when a shorter one (the API allows any) would round to another value.
 */
export function timeoutMessage(timeoutMs: number): string {
  const seconds = timeoutMs / 1000;
  const shown = Number(seconds.toFixed(2)) === seconds ? seconds.toFixed(2) : String(seconds);
  return `Task timed out after ${shown} seconds`;
}

/** Lambda gives a function's init phase (loading its module) 10 s, apart from the invocation timeout. */
export const INIT_TIMEOUT_MS = 10_000;

/** What a module load past Lambda's init timeout is, in the words of Lambda's INIT_REPORT line. */
export function initTimeoutMessage(): string {
  return `INIT_REPORT Status: timeout; the handler module did not finish loading in ${INIT_TIMEOUT_MS / 1000} seconds`;
}

/** Lambda's `Invoke Error` log payload: the error shape with `stack` in place of `trace`. */
export function invokeErrorPayload(error: LambdaError): string {
  return JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage, stack: error.trace });
}

/** What Lambda reports when the function's process exits during an invocation. */
export function exitError(requestId: string, code: number): LambdaError {
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`,
    trace: [],
  };
}
