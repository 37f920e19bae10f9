import type { Readable } from 'node:stream';

/**
 * Shapes shared by the HTTP front's modules: the request as the server received it, the response it
 * writes, and who the API is (ids, stage, region) as the events' requestContext reports it.
 */

/** One request as node:http received it, before any front looked at it. */
export interface IncomingRequest {
  method: string;
  /** The path as sent (still percent-encoded), without the query string. */
  path: string;
  /** The query string as sent, without the leading `?` ('' when none). */
  rawQuery: string;
  /**
   * node's `rawHeaders`: name, value, name, value, ... with names in the case the client sent. (node's
   * `headers` object is built lazily on first use; the front reads only the raw list.)
   */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  /** The server's port the client connected to (what `X-Forwarded-Port` says). */
  localPort: number;
  /** e.g. `HTTP/1.1`. */
  protocol: string;
}

/** What the server writes back. Header names keep the case the function (or the front) gave them. */
export interface HttpResult {
  statusCode: number;
  /** A streamed answer (RESPONSE_STREAM function URLs, STREAM REST methods): sent chunk by chunk; `body` is unused. */
  stream?: Readable;
  /** The reason phrase, when the front sets one (ALB's `statusDescription`). */
  statusMessage?: string;
  headers: Record<string, string | string[]>;
  body: string | Buffer;
  /** REST API's own answers: their gateway response type, for the service's GatewayResponse resources. */
  gatewayResponse?: { type: string; message: string | null; validationError?: string };
}

/** Who the emulated APIs are, as the events' requestContext reports it. Computed once per server. */
export interface ApiIdentity {
  accountId: string;
  region: string;
  stage: string;
  restApiId: string;
  httpApiId: string;
}

/** A request body as an event carries it: text, or base64 for binary media; null when empty. */
export interface EventBody {
  body: string | null;
  isBase64Encoded: boolean;
}
