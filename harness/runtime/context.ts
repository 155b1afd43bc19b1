// Builds the Lambda `Context` an invocation receives, per runtime (nodejs24.x dropped done/succeed/fail).
import { randomUUID } from 'node:crypto';
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
  // One object literal per shape (no properties added afterwards): every context of an environment shares a
  // hidden class, and an invocation allocates one object and one closure here.
  const getRemainingTimeInMillis = () => Math.max(0, deadline - Date.now());
  if (completion && config.runtime !== 'nodejs24.x') {
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName: config.functionName,
      functionVersion: config.functionVersion,
      invokedFunctionArn: config.invokedFunctionArn,
      memoryLimitInMB: memoryLimit(config.memorySizeMB),
      awsRequestId,
      logGroupName: config.logGroupName,
      logStreamName: config.logStreamName,
      getRemainingTimeInMillis,
      done: completion.done,
      succeed: completion.succeed as Context['succeed'],
      fail: completion.fail,
    };
  }
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: config.functionName,
    functionVersion: config.functionVersion,
    invokedFunctionArn: config.invokedFunctionArn,
    memoryLimitInMB: memoryLimit(config.memorySizeMB),
    awsRequestId,
    logGroupName: config.logGroupName,
    logStreamName: config.logStreamName,
    getRemainingTimeInMillis,
  } as Context;
}

const MEMORY_LIMITS = new Map<number, string>();

/** `memoryLimitInMB` is a string in Lambda's context; formatted once per size, not per invocation. */
function memoryLimit(memorySizeMB: number): string {
  let text = MEMORY_LIMITS.get(memorySizeMB);
  if (text === undefined) {
    text = String(memorySizeMB);
    MEMORY_LIMITS.set(memorySizeMB, text);
  }
  return text;
}

/**
 * Request ids shaped like Lambda's (UUID v4), cheaper than a `randomUUID()` per invocation: 30 random hex
 * characters (version and variant digits included) shared by up to 2^24 invocations, then six that count up
 * from a random start. A small integer formats fast; when the counter wraps, a new random prefix is drawn, so
 * ids stay unique within an environment and, through the random prefix, across environments.
 */
export class RequestIds {
  private prefix = '';
  private next = 0;
  private left = 0;

  take(): string {
    if (this.left === 0) this.reseed();
    this.left--;
    const tail = (this.next++ & 0xffffff).toString(16);
    return this.prefix + (tail.length < 6 ? '000000'.slice(tail.length) + tail : tail);
  }

  private reseed(): void {
    const seed = randomUUID();
    this.prefix = seed.slice(0, 30);
    this.next = Number.parseInt(seed.slice(30), 16);
    this.left = 0x1000000;
  }
}
