/**
 * Response streaming as Lambda's Node.js runtime offers it: the `awslambda` global with
 * `streamifyResponse` and `HttpResponseStream`, and the writable `responseStream` a streaming handler
 * writes to. Modelled on aws-lambda-nodejs-runtime-interface-client (src/utils/globals.ts,
 * src/stream/response-stream.ts, src/stream/http-response-stream.ts) and on
 * https://docs.aws.amazon.com/lambda/latest/dg/config-rs-write-functions.html.
 */
import { Writable } from 'node:stream';
import { LambdaErrorType, LambdaRuntimeError } from '../lambda-errors';
import type { ResponseStreamSink } from '../types';

/** The mark streamifyResponse puts on a handler; Lambda's runtime (and tracers wrapping handlers) read it. */
const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const STREAM_RESPONSE = 'response';

/** A stream's content type unless the handler sets one (the runtime's `DEFAULT_CONTENT_TYPE`). */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** What HttpResponseStream.from sets: the stream starts with a JSON prelude and 8 null bytes. */
export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
export const PRELUDE_DELIMITER_LENGTH = 8;

/**
 * Largest streamed response: 200 MB by default, per
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html (20 MB before
 * July 2025). The bandwidth cap beyond the first 6 MB (2 MBps) is not emulated.
 */
export const MAX_STREAMED_RESPONSE_BYTES = 200 * 1024 * 1024;

export const isStreamingHandler = (handler: unknown): boolean =>
  typeof handler === 'function' &&
  (handler as unknown as Record<symbol, unknown>)[HANDLER_STREAMING] === STREAM_RESPONSE;

type FirstWriteHook = (write: (chunk: string | Uint8Array) => void) => void;

/** The runtime's InvalidStreamingOperation: content type set after the stream started. */
class InvalidStreamingOperation extends Error {
  override name = 'Runtime.InvalidStreamingOperation';
}

const tooLarge = () =>
  new LambdaRuntimeError({
    errorType: LambdaErrorType.ResponseSizeTooLarge,
    errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_STREAMED_RESPONSE_BYTES} bytes).`,
  });

/**
 * The `responseStream` of a streaming handler: a Writable whose bytes go to `sink` as they are written.
 * Like the runtime's: a value that is not a string or bytes is written as its JSON, and the content type
 * can be set until the first write.
 */
export class ResponseStream extends Writable {
  private contentType = DEFAULT_CONTENT_TYPE;
  private started = false;
  private written = 0;
  /** Set by HttpResponseStream.from: writes the prelude just before the first chunk. */
  _onBeforeFirstWrite?: FirstWriteHook;

  constructor(private readonly sink: ResponseStreamSink) {
    super();
    // A write past the limit destroys the stream with its error; the invocation fails with it (callHandler).
    this.on('error', () => undefined);
  }

  setContentType(contentType: string): void {
    if (this.started) throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    this.contentType = contentType;
  }

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const data = typeof chunk === 'string' || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk);
    if (!this.started) {
      this.begin();
      this._onBeforeFirstWrite?.((first) => super.write(first));
    }
    return (super.write as (...args: unknown[]) => boolean)(data, encoding, callback);
  }

  /** `end(chunk)` writes its chunk as `write` does (after the prelude), as the runtime's stream does. */
  override end(...args: unknown[]): this {
    const end = super.end.bind(this) as (...rest: unknown[]) => this;
    const [chunk, encoding] = args;
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return end(...args);
    this.write(chunk, typeof encoding === 'string' ? encoding : undefined);
    return end(args.find((arg) => typeof arg === 'function'));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.written += chunk.length;
    if (this.written > MAX_STREAMED_RESPONSE_BYTES) return done(tooLarge());
    this.sink.chunk(chunk);
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    if (!this.started) this.begin();
    done();
  }

  private begin() {
    this.started = true;
    this.sink.start(this.contentType);
  }
}

/** `awslambda.HttpResponseStream`: the status, headers and cookies of a function URL's streamed answer. */
export const HttpResponseStream = {
  from(stream: ResponseStream, prelude: Record<string, unknown>): ResponseStream {
    stream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    const text = JSON.stringify(prelude);
    stream._onBeforeFirstWrite = (write) => {
      write(text);
      write(new Uint8Array(PRELUDE_DELIMITER_LENGTH));
    };
    return stream;
  },
};

/**
 * The `awslambda` global of Lambda's Node.js runtimes, set before the handler's module loads (unless
 * AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA is `1` or `true`, the runtime's own escape hatch).
 */
export function installAwsLambdaGlobal(): void {
  const off = process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA;
  if (off === '1' || off === 'true') return;
  const global = globalThis as { awslambda?: Record<string, unknown> };
  global.awslambda = {
    ...global.awslambda,
    streamifyResponse: <T extends object>(handler: T): T => {
      (handler as Record<symbol, unknown>)[HANDLER_STREAMING] = STREAM_RESPONSE;
      return handler;
    },
    HttpResponseStream,
  };
}
