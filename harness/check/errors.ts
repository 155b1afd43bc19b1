// Invocation errors as outcomes of a check: counted by Lambda's errorType, the first one kept, and worded as a fix.
import type { LambdaError } from '../runtime/types.js';
import type { ErrorsReport } from '../types.js';

/** Counts errors without keeping them: only the first message is held, whatever the number of invocations. */
export class InvocationErrors implements ErrorsReport {
  count = 0;
  readonly byType: Record<string, number> = {};
  first: ErrorsReport['first'];

  add(error: LambdaError, invocation: number): void {
    this.count++;
    this.byType[error.errorType] = (this.byType[error.errorType] ?? 0) + 1;
    if (this.first === undefined) {
      const errorMessage = error.errorMessage.split('\n')[0];
      this.first = { errorType: error.errorType, errorMessage, invocation };
    }
  }

  report(): ErrorsReport {
    const report: ErrorsReport = { count: this.count, byType: { ...this.byType } };
    if (this.first) report.first = { ...this.first };
    return report;
  }
}

/** Errors the AWS SDK raises when it finds no credentials, or the service refuses the ones it found. */
const CREDENTIALS =
  /Credential|ExpiredToken|InvalidClientTokenId|UnrecognizedClient|InvalidSignature|SignatureDoesNotMatch/i;

/** A request that never reached its service: fetch's `fetch failed` (the cause is not in the message), Node's codes. */
const NETWORK =
  /^fetch failed$|\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)\b/;

/** The likely fix when every invocation fails with this error: mock or configure AWS, or pass the event it expects. */
export function errorHint(errorType: string, errorMessage: string): string {
  if (CREDENTIALS.test(errorType) || /could not load credentials/i.test(errorMessage)) {
    return 'the AWS SDK found no usable credentials: mock the client in a --setup file, or set them with --env';
  }
  if (NETWORK.test(errorMessage)) {
    return "it could not reach a service it calls: mock it in a --setup file (aws-sdk-client-mock, undici's MockAgent, msw), or point it at a local one with --env";
  }
  return 'pass the event it expects: the event option or --event';
}
