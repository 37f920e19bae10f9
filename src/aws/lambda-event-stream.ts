import { EventStreamCodec } from '@smithy/core/event-streams';
import { PassThrough } from 'node:stream';
import type { InvokeOutcome } from '../lambda/types';
import type { ResponseStreamSink } from '../runtime/types';

/** The Content-Type of InvokeWithResponseStream's body (read by the SDK as ResponseStreamContentType). */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

const event = (type: string, contentType: string, body: Uint8Array) =>
  codec.encode({
    headers: {
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: contentType },
      ':message-type': { type: 'string', value: 'event' },
    },
    body,
  });

/** The InvokeComplete event's fields (InvokeWithResponseStreamCompleteEvent). */
export interface InvokeComplete {
  ErrorCode?: string;
  ErrorDetails?: string;
  LogResult?: string;
}

/**
 * What InvokeComplete says of an invocation: a function error's type as ErrorCode and its message as
 * ErrorDetails (AWS documents the fields, not their values), and the log tail for `LogType: Tail`.
 */
export function completeOf(outcome: InvokeOutcome): InvokeComplete {
  const complete: InvokeComplete = {};
  if (outcome.functionError) {
    complete.ErrorCode = outcome.error?.errorType ?? outcome.functionError;
    complete.ErrorDetails = outcome.error?.errorMessage ?? outcome.payload;
  }
  if (outcome.logResult) complete.LogResult = outcome.logResult;
  return complete;
}

/**
 * InvokeWithResponseStream's body in the AWS event-stream encoding
 * (https://docs.aws.amazon.com/lambda/latest/api/API_InvokeWithResponseStream.html): one `PayloadChunk`
 * event per chunk the function writes, as it writes it, then one `InvokeComplete`. `started` resolves
 * when the function starts its stream, when the answer's headers can go.
 */
export class LambdaEventStream implements ResponseStreamSink {
  readonly body = new PassThrough();
  readonly started: Promise<true>;
  private resolveStarted!: (started: true) => void;

  constructor() {
    this.started = new Promise((resolve) => (this.resolveStarted = resolve));
  }

  start(): void {
    this.resolveStarted(true);
  }

  chunk(data: Buffer): void {
    this.body.write(event('PayloadChunk', 'application/octet-stream', data));
  }

  /** The invocation is over: a handler that did not stream has its payload as one chunk, then the end. */
  complete(outcome: InvokeOutcome): void {
    if (!outcome.streamed && !outcome.functionError && outcome.payload) {
      this.chunk(Buffer.from(outcome.payload));
    }
    this.end(completeOf(outcome));
  }

  end(complete: InvokeComplete): void {
    this.body.end(event('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(complete))));
  }
}
