// Lambda's response streaming API (`awslambda.streamifyResponse`, `awslambda.HttpResponseStream.from`), collecting
// the streamed body in memory so an invocation can return it as its response.
import { Writable } from 'node:stream';

/** Marks a handler as streaming, like Lambda's runtime does with a symbol on the function. */
export const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HTTP_METADATA = Symbol.for('warmleak.httpResponseMetadata');

export interface HttpResponseMetadata {
  statusCode?: number;
  headers?: Record<string, string>;
  cookies?: string[];
}

/** The writable a streaming handler receives; it keeps every chunk. */
export class ResponseStream extends Writable {
  readonly chunks: Buffer[] = [];
  private contentType = 'application/octet-stream';

  override _write(
    chunk: Buffer | string,
    encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
    callback();
  }

  setContentType(contentType: string): void {
    this.contentType = contentType;
  }

  getContentType(): string {
    return this.contentType;
  }

  get metadata(): HttpResponseMetadata | undefined {
    return (this as unknown as Record<symbol, HttpResponseMetadata | undefined>)[HTTP_METADATA];
  }

  /** The collected body: text when it decodes as UTF-8 (Lambda streams bytes; tests compare text). */
  body(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

type StreamingHandler = (event: unknown, responseStream: ResponseStream, context: unknown) => unknown;

/** The `awslambda` global as Lambda's Node.js runtime provides it. */
export const awslambda = {
  streamifyResponse<T extends StreamingHandler>(handler: T, options?: { highWaterMark?: number }): T {
    (handler as unknown as Record<symbol, unknown>)[STREAMING] = options ?? true;
    return handler;
  },
  HttpResponseStream: {
    /** Attaches status and headers to the stream, as Lambda sends them before the body. */
    from(stream: ResponseStream, metadata: HttpResponseMetadata): ResponseStream {
      (stream as unknown as Record<symbol, HttpResponseMetadata>)[HTTP_METADATA] = metadata;
      return stream;
    },
  },
};

export function isStreamingHandler(handler: Function): boolean {
  return (handler as unknown as Record<symbol, unknown>)[STREAMING] !== undefined;
}
