import { PassThrough } from 'node:stream';
import { PRELUDE_DELIMITER_LENGTH } from '../../runtime/node/response-stream';
import type { ResponseStreamSink } from '../../runtime/types';
import type { Settled } from './gateway-timeout';
import type { HttpResult } from './types';

const DELIMITER = Buffer.alloc(PRELUDE_DELIMITER_LENGTH);

/** The status line and headers of a streamed answer; its `stream` carries the body. */
export type StreamedHead = Omit<HttpResult, 'body' | 'stream'>;

/** How a front reads the start of a function's stream (function URLs, REST API STREAM integrations). */
export interface PreludeFormat {
  /** The head of a stream of this content type that has no prelude; undefined when it starts with one. */
  headWithout(contentType: string): StreamedHead | undefined;
  /** The prelude (the bytes before the delimiter) as a head; undefined when it is not a valid one. */
  read(prelude: Buffer): StreamedHead | undefined;
  /** The delimiter must come within this many bytes, or the prelude is not valid. */
  maxBytes: number;
  /** The answer to a stream that does not start with a valid prelude. */
  refused(): HttpResult;
  /** The head of a stream that ended with nothing written; without it, that stream is refused. */
  empty?: StreamedHead;
}

/** A prelude's JSON: `statusCode` (200 unless given), single-value `headers`, `cookies`, and every field. */
export interface Prelude {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  fields: Record<string, unknown>;
}

/** The JSON awslambda.HttpResponseStream.from writes; undefined when it is not an object of that shape. */
export function preludeOf(bytes: Buffer): Prelude | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const fields = value as Record<string, unknown>;
  const { statusCode = 200, headers = {}, cookies = [] } = fields;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode)) return undefined;
  if (typeof headers !== 'object' || headers === null) return undefined;
  if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === 'string')) return undefined;
  const single: Record<string, string> = {};
  for (const [name, v] of Object.entries(headers)) single[name] = String(v);
  return { statusCode, headers: single, cookies, fields };
}

/**
 * A sink for a streaming invocation whose answer is HTTP: the stream's start (a prelude, then 8 null
 * bytes, as awslambda.HttpResponseStream.from writes them) becomes the status and headers, the rest the
 * body, each chunk passed on as it comes. `answer` resolves once the status is known, before the body's
 * first byte: streamed (its `stream` is `body`), or the format's refusal.
 */
export class PreludeStream implements ResponseStreamSink {
  readonly body = new PassThrough();
  readonly answer: Promise<HttpResult>;
  private resolve!: (result: HttpResult) => void;
  /** The prelude's bytes so far, until its delimiter; undefined once the body has started. */
  private prelude: Buffer | undefined;
  private known = false;
  /** What the function writes from now on reaches no one (refused, cut, or answered otherwise). */
  private dropped = false;

  constructor(private readonly format: PreludeFormat) {
    this.answer = new Promise((resolve) => (this.resolve = resolve));
  }

  start(contentType: string): void {
    const head = this.format.headWithout(contentType);
    if (head) this.answerWith(head);
    else this.prelude = Buffer.alloc(0);
  }

  chunk(data: Buffer): void {
    if (this.dropped) return;
    if (this.prelude === undefined) return this.write(data);
    const bytes = Buffer.concat([this.prelude, data]);
    const end = bytes.subarray(0, this.format.maxBytes).indexOf(DELIMITER);
    if (end === -1) {
      if (bytes.length >= this.format.maxBytes) return this.refuse();
      this.prelude = bytes;
      return;
    }
    this.prelude = undefined;
    const head = this.format.read(bytes.subarray(0, end));
    if (!head) return this.refuse();
    this.answerWith(head);
    const rest = bytes.subarray(end + DELIMITER.length);
    if (rest.length > 0) this.write(rest);
  }

  /**
   * The invocation is over, the function's error included: what it streamed stays the answer, which
   * ends as a complete response. A stream that never finished its prelude is refused, unless nothing was
   * written and the format has an answer for that.
   */
  end(): void {
    if (!this.known) {
      if (this.prelude?.length || !this.format.empty) this.refuse();
      else this.answerWith(this.format.empty);
    }
    this.close();
  }

  /** The client was answered otherwise (an error before the first byte): the rest is dropped. */
  drop(): void {
    this.dropped = true;
    this.close();
  }

  /** Stops the answer where it is, as a closed connection: the client gets an incomplete body. */
  cut(reason: string): void {
    this.dropped = true;
    this.finish();
    this.body.destroy(new Error(reason));
  }

  /** Every time bytes go to the client, the head included. */
  protected onActivity(): void {}

  /** Once nothing more can be sent. */
  protected finish(): void {}

  private close() {
    this.finish();
    if (!this.body.destroyed && !this.body.writableEnded) this.body.end();
  }

  private write(data: Buffer) {
    this.body.write(data);
    this.onActivity();
  }

  private answerWith(head: StreamedHead) {
    this.known = true;
    this.resolve({ ...head, body: '', stream: this.body });
    this.onActivity();
  }

  private refuse() {
    this.known = true;
    this.prelude = undefined;
    this.drop();
    this.resolve(this.format.refused());
  }
}

export interface StreamedAnswers {
  /** The answer when the invocation settled before the status was known: an error, or undefined. */
  failed(settled: Settled): HttpResult | undefined;
  /** The answer to a handler that did not stream, from its whole payload. */
  unstreamed(payload: string): HttpResult;
}

/**
 * The answer of an invocation streaming into `sink`: as soon as the sink knows its status, with the body
 * to follow; else, once the invocation settles, its error, or the answer to a handler that did not stream.
 */
export async function streamedAnswer(
  sink: PreludeStream,
  settling: Promise<Settled>,
  answers: StreamedAnswers,
): Promise<HttpResult> {
  const early = await Promise.race([sink.answer, settling.then(() => undefined)]);
  if (early) {
    void settling.then(() => sink.end());
    return early;
  }
  const settled = await settling;
  const error = answers.failed(settled);
  if (error) {
    sink.drop();
    return error;
  }
  if (settled.type === 'outcome' && !settled.outcome.streamed) {
    sink.drop();
    return answers.unstreamed(settled.outcome.payload);
  }
  sink.end();
  return sink.answer;
}
