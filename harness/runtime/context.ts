// Builds the Lambda `Context` an invocation receives, per runtime (nodejs24.x dropped done/succeed/fail).
import type { Context } from 'aws-lambda';
import type { LambdaRuntime } from './types.js';

/** What stays the same for every invocation of one environment. */
export interface FunctionConfiguration {
  functionName: string;
  functionVersion: string;
  memorySizeMB: number;
  region: string;
  accountId: string;
  logGroupName: string;
  logStreamName: string;
  timeoutMs: number;
  runtime: LambdaRuntime;
  /** Computed once: `arn:aws:lambda:<region>:<account>:function:<name>`. */
  invokedFunctionArn: string;
}

/** The legacy completion methods, wired by the environment to finish the invocation. */
export interface LegacyCompletion {
  done(error?: unknown, result?: unknown): void;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
}

export function functionArn(config: Omit<FunctionConfiguration, 'invokedFunctionArn'>): string {
  return `arn:aws:lambda:${config.region}:${config.accountId}:function:${config.functionName}`;
}

/** Lambda's log stream name: `2026/11/23/[$LATEST]` followed by 32 hex characters. */
export function logStreamName(date: Date, version: string, id: string): string {
  const day = date.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${version}]${id.replaceAll('-', '')}`;
}

/**
 * A fresh Context for one invocation. `deadline` is the epoch ms at which the invocation times out.
 * On nodejs24.x the context has no done/succeed/fail, as in Lambda's runtime for Node.js 24.
 */
export function createContext(
  config: FunctionConfiguration,
  awsRequestId: string,
  deadline: number,
  completion?: LegacyCompletion,
): Context {
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: config.functionName,
    functionVersion: config.functionVersion,
    invokedFunctionArn: config.invokedFunctionArn,
    memoryLimitInMB: String(config.memorySizeMB),
    awsRequestId,
    logGroupName: config.logGroupName,
    logStreamName: config.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  } as Context;
  if (completion && config.runtime !== 'nodejs24.x') {
    context.done = completion.done;
    context.succeed = completion.succeed as Context['succeed'];
    context.fail = completion.fail;
  }
  return context;
}
