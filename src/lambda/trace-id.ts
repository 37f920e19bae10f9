import { randomBytes } from 'node:crypto';

/**
 * X-Ray trace ids as Lambda and the HTTP fronts pass them (tracing not active, so not sampled): a root
 * `1-<epoch seconds, 8 hex>-<24 hex>`, and the header `Root=<root>;Parent=<16 hex>;Sampled=0` an
 * invocation gets in `_X_AMZN_TRACE_ID` (and the Runtime API's `Lambda-Runtime-Trace-Id`). An invocation
 * that came through an HTTP front shares the root of the `X-Amzn-Trace-Id` header the front added.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 */

export function newTraceRoot(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0');
  return `1-${seconds}-${randomBytes(12).toString('hex')}`;
}

export const invocationTraceId = (root: string) =>
  `Root=${root};Parent=${randomBytes(8).toString('hex')};Sampled=0`;

const ROOT = /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})\s*(?:;|$)/i;

/** The root of a trace header a client sent, when it is a well-formed one. */
export function traceRootOf(header: string | undefined): string | undefined {
  return header === undefined ? undefined : ROOT.exec(header)?.[1]?.toLowerCase();
}
