import { PassThrough } from 'node:stream';
import { HTTP_INTEGRATION_CONTENT_TYPE, PRELUDE_DELIMITER_LENGTH } from '../../runtime/node/response-stream';
import type { ResponseStreamSink } from '../../runtime/types';
import { urlResponses } from './gateway-responses';
import type { HttpResult } from './types';

const DELIMITER = Buffer.alloc(PRELUDE_DELIMITER_LENGTH);

/** The status line and headers of a streamed answer; `stream` carries the body. */
export type StreamedHead = Omit<HttpResult, 'body' | 'stream'>;

/**
 * The prelude awslambda.HttpResponseStream.from writes: `{statusCode, headers, cookies}` as JSON. What
 * is not a JSON object of that shape is the URL's 502, as a malformed buffered result is.
 */
function headOf(prelude: Buffer): StreamedHead | undefined {
  let value: unknown;
  try {
    value = JSON.parse(prelude.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { statusCode = 200, headers = {}, cookies = [] } = value as Record<string, unknown>;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode)) return undefined;
  if (typeof headers !== 'object' || headers === null) return undefined;
  if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === 'string')) return undefined;
  const result: StreamedHead = { statusCode, headers: {} };
  for (const [name, v] of Object.entries(headers)) result.headers[name] = String(v);
  if (cookies.length > 0) result.headers['set-cookie'] = cookies;
  return result;
}

/**
 * A RESPONSE_STREAM function URL's answer as the function writes it (the Lambda service's side of
 * https://docs.aws.amazon.com/lambda/latest/dg/config-rs-invoke-furls.html): a stream of the
 * http-integration type starts with its prelude, which becomes the status, headers and cookies, then 8
 * null bytes; any other stream is a 200 with the stream's content type. `head` resolves once the
 * status is known, before the body's first byte; `body` then carries each chunk as it comes.
 */
export class UrlStream implements ResponseStreamSink {
  readonly body = new PassThrough();
  readonly head: Promise<StreamedHead>;
  private resolveHead!: (head: StreamedHead) => void;
  /** The prelude's bytes so far, until its delimiter; undefined once the body has started. */
  private prelude: Buffer | undefined;
  private known = false;
  /** The prelude was malformed: the answer is the URL's 502 and what the function writes is dropped. */
  private refused = false;

  constructor() {
    this.head = new Promise((resolve) => (this.resolveHead = resolve));
  }

  start(contentType: string): void {
    if (contentType === HTTP_INTEGRATION_CONTENT_TYPE) this.prelude = Buffer.alloc(0);
    else this.answer({ statusCode: 200, headers: { 'content-type': contentType } });
  }

  chunk(data: Buffer): void {
    if (this.refused) return;
    if (this.prelude === undefined) {
      this.body.write(data);
      return;
    }
    const bytes = Buffer.concat([this.prelude, data]);
    const end = bytes.indexOf(DELIMITER);
    if (end === -1) {
      this.prelude = bytes;
      return;
    }
    this.prelude = undefined;
    const head = headOf(bytes.subarray(0, end));
    if (!head) return this.refuse();
    this.answer(head);
    const rest = bytes.subarray(end + DELIMITER.length);
    if (rest.length > 0) this.body.write(rest);
  }

  /**
   * The invocation is over, the function's error included: what it streamed stays the answer, which
   * ends as a complete response. A stream that never finished its prelude: 200 when nothing was
   * written, else 502.
   */
  end(): void {
    if (!this.known) {
      if (this.prelude?.length) this.refuse();
      else this.answer({ statusCode: 200, headers: {} });
    }
    this.body.end();
  }

  private answer(head: StreamedHead) {
    this.known = true;
    this.resolveHead(head);
  }

  private refuse() {
    const { body, ...head } = urlResponses.functionError();
    this.refused = true;
    this.prelude = undefined;
    this.body.write(body);
    this.answer(head);
  }
}
