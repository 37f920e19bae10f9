import type { Clock } from '../../clock';
import type { RestApiSettings } from '../../service/model';
import { restResponses } from './gateway-responses';
import type { Settled } from './gateway-timeout';
import {
  preludeOf,
  PreludeStream,
  streamedAnswer,
  type PreludeFormat,
  type StreamedHead,
} from './prelude-stream';
import type { HttpResult } from './types';

/**
 * REST API methods whose Lambda proxy integration has `responseTransferMode: STREAM`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode-lambda.html):
 * API Gateway invokes with response streaming and reads every stream as metadata JSON, 8 null bytes,
 * then the payload, which it passes on as it comes.
 */

/** The metadata and its delimiter must come within the stream's first 16 KB. */
const MAX_METADATA_BYTES = 16 * 1024;

/**
 * How long a streamed answer may last, and may stay silent (by endpoint type), per
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode.html.
 */
const MAX_STREAM_MS = 15 * 60_000;
const IDLE_MS: Record<RestApiSettings['endpointType'], number> = {
  EDGE: 30_000,
  REGIONAL: 5 * 60_000,
  PRIVATE: 5 * 60_000,
};

export interface RestStreamLimits {
  clock: Clock;
  /** Until the metadata has come (the integration timeout), else the 504. */
  headMs: number;
  /** The whole answer, from the invocation's start; then the connection is closed. */
  totalMs: number;
  /** Between two writes once the answer has started; then the connection is closed. */
  idleMs: number;
}

export const restStreamLimits = (
  clock: Clock,
  headMs: number,
  endpointType: RestApiSettings['endpointType'],
): RestStreamLimits => ({ clock, headMs, totalMs: MAX_STREAM_MS, idleMs: IDLE_MS[endpointType] });

type Headers = Record<string, string | string[]>;

/** `headers` with `name` (in any case) set to `values`. */
const withHeader = (headers: Headers, name: string, values: string[]): Headers => ({
  ...Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name.toLowerCase())),
  [name]: values,
});

/** `headers` and `multiValueHeaders` merged (the multi-value one wins a clash), then `cookies`. */
function restHead(bytes: Buffer): StreamedHead | undefined {
  const prelude = preludeOf(bytes);
  if (!prelude) return undefined;
  const { multiValueHeaders = {} } = prelude.fields;
  if (typeof multiValueHeaders !== 'object' || multiValueHeaders === null) return undefined;
  let headers: Headers = prelude.headers;
  for (const [name, values] of Object.entries(multiValueHeaders)) {
    if (!Array.isArray(values)) return undefined;
    headers = withHeader(headers, name, values.map(String));
  }
  if (prelude.cookies.length > 0) {
    const name = Object.keys(headers).find((key) => key.toLowerCase() === 'set-cookie') ?? 'set-cookie';
    headers = withHeader(headers, name, [...[headers[name] ?? []].flat(), ...prelude.cookies]);
  }
  return { statusCode: prelude.statusCode, headers };
}

/**
 * A stream without valid metadata is answered 500. So is a handler that does not stream: Lambda sends its
 * JSON result as the stream, and JSON has no null bytes, so it never holds the delimiter.
 */
const REST_PRELUDE: PreludeFormat = {
  headWithout: () => undefined,
  read: restHead,
  maxBytes: MAX_METADATA_BYTES,
  refused: restResponses.streamNotConforming,
};

/** The sink of a STREAM method: once answering, the stream is closed past its whole or idle limit. */
export class RestStream extends PreludeStream {
  private readonly total: unknown;
  private idle: unknown;

  constructor(private readonly limits: RestStreamLimits) {
    super(REST_PRELUDE);
    this.total = limits.clock.setTimeout(() => this.cut('the stream lasted too long'), limits.totalMs);
  }

  protected override onActivity(): void {
    this.limits.clock.clearTimeout(this.idle);
    this.idle = this.limits.clock.setTimeout(
      () => this.cut('the stream was idle too long'),
      this.limits.idleMs,
    );
  }

  protected override finish(): void {
    this.limits.clock.clearTimeout(this.total);
    this.limits.clock.clearTimeout(this.idle);
  }
}

/** Before the metadata: the buffered proxy integration's errors (504, 500, 502). */
function failed(settled: Settled): HttpResult | undefined {
  if (settled.type === 'timeout') return restResponses.timeout();
  if (settled.type === 'rejected') return restResponses.invokeRejected();
  return settled.outcome.functionError ? restResponses.badGateway() : undefined;
}

/**
 * The answer of a STREAM method: `invoke` runs without the front's limit, which here bounds only the time
 * until the metadata has come. A function error after that ends the answer where it is.
 */
export function restStreamed(
  limits: RestStreamLimits,
  invoke: (sink: RestStream) => Promise<Settled>,
): Promise<HttpResult> {
  const { clock, headMs } = limits;
  const sink = new RestStream(limits);
  let timer: unknown;
  const timedOut = new Promise<Settled>((resolve) => {
    timer = clock.setTimeout(() => resolve({ type: 'timeout' }), headMs);
  });
  void sink.answer.then(() => clock.clearTimeout(timer));
  const settling = invoke(sink).finally(() => clock.clearTimeout(timer));
  return streamedAnswer(sink, Promise.race([settling, timedOut]), {
    failed,
    unstreamed: restResponses.streamNotConforming,
  });
}
