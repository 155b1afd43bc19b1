// Errors a user can hit, each with a one-line message that names the fix. Internal bugs are not wrapped.

export class WarmleakError extends Error {
  override name = 'WarmleakError';
}

/** The handler file or export cannot be loaded: missing file, missing export, not a function, syntax error. */
export class HandlerLoadError extends WarmleakError {
  override name = 'HandlerLoadError';
}

/** An event file or value that is not a usable event (malformed JSON, unknown fixture type). */
export class InvalidEventError extends WarmleakError {
  override name = 'InvalidEventError';
}

/** Options or CLI arguments that make no sense (negative invocation count, unknown runtime). */
export class UsageError extends WarmleakError {
  override name = 'UsageError';
}

/** The handler failed (threw, rejected, timed out) while being measured; carries Lambda's error shape. */
export class InvocationError extends WarmleakError {
  override name = 'InvocationError';
  constructor(
    message: string,
    readonly lambdaError?: { errorType: string; errorMessage: string; trace: string[] },
  ) {
    super(message);
  }
}

/** A SAM, CloudFormation, Serverless or CDK template that cannot be read (not YAML, no Resources, no functions). */
export class TemplateError extends WarmleakError {
  override name = 'TemplateError';
}
