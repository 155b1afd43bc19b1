// Converts whatever a handler threw or passed to its callback into Lambda's error shape {errorType, errorMessage, trace}.
import type { LambdaError } from './types.js';

/** As Lambda's Node.js runtime reports it: errors by name/message/stack, other values by their string form. */
export function toLambdaError(error: unknown): LambdaError {
  if (error instanceof Error || isErrorLike(error)) {
    const err = error as Error;
    return {
      errorType: err.name || 'Error',
      errorMessage: err.message ?? '',
      trace: typeof err.stack === 'string' ? err.stack.split('\n') : [],
    };
  }
  if (typeof error === 'string') return { errorType: 'string', errorMessage: error, trace: [] };
  let message: string;
  try {
    message = JSON.stringify(error) ?? String(error);
  } catch {
    message = String(error);
  }
  return { errorType: typeof error, errorMessage: message, trace: [] };
}

function isErrorLike(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && 'message' in value && 'name' in value && 'stack' in value
  );
}

/** Lambda's error for a rejection nobody handled: type `Runtime.UnhandledPromiseRejection`, message `String(reason)`. */
export function unhandledRejectionError(reason: unknown): LambdaError {
  const message = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  const frames = reason instanceof Error && reason.stack ? reason.stack.split('\n').slice(1) : [];
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

/** `Task timed out after 3.00 seconds`, as Lambda prints it. */
export function timeoutMessage(timeoutMs: number): string {
  return `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
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
