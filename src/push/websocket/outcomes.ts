import type { Settled } from '../http/gateway-timeout';

/**
 * What API Gateway makes of an invocation's outcome on a WebSocket API: whether `$connect` lets the
 * client in, what a route response sends back, and the error frames it writes on its own. The frames are
 * API Gateway's exact text, as clients receive it (a space after `"message":` only):
 * `{"message": "Forbidden", "connectionId":"…", "requestId":"…"}` for a message no route takes,
 * `{"message": "Internal server error", …}` for a failed invocation,
 * `{"message": "Endpoint request timed out", …}` past the 29 s integration timeout.
 */

export type FrameMessage = 'Forbidden' | 'Internal server error' | 'Endpoint request timed out';

export const errorFrame = (message: FrameMessage, connectionId: string, requestId: string) =>
  `{"message": "${message}", "connectionId":${JSON.stringify(connectionId)}, "requestId":${JSON.stringify(requestId)}}`;

/** `$connect`'s verdict: let the client in (with the subprotocol the function chose), or refuse it. */
export type ConnectDecision = { accept: true; protocol?: string } | { accept: false; statusCode: number };

const ACCEPT: ConnectDecision = { accept: true };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parsed(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}

/** The Sec-WebSocket-Protocol header a `$connect` result sets, whatever its case. */
function protocolOf(headers: unknown): string | undefined {
  if (!isObject(headers)) return undefined;
  for (const name in headers) {
    const value = headers[name];
    if (name.toLowerCase() === 'sec-websocket-protocol' && typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * A 2xx statusCode lets the client in; any other status refuses the upgrade with it; a function error
 * refuses it with 502, a rejected invocation (throttled) with 500, the integration timeout with 504.
 */
export function connectDecision(settled: Settled): ConnectDecision {
  if (settled.type === 'timeout') return { accept: false, statusCode: 504 };
  if (settled.type === 'rejected') return { accept: false, statusCode: 500 };
  if (settled.outcome.functionError) return { accept: false, statusCode: 502 };
  const result = parsed(settled.outcome.payload);
  if (!isObject(result) || result.statusCode === undefined || result.statusCode === null) return ACCEPT;
  const statusCode = Number(result.statusCode);
  if (statusCode >= 200 && statusCode <= 299) {
    const protocol = protocolOf(result.headers);
    return protocol === undefined ? ACCEPT : { accept: true, protocol };
  }
  if (Number.isInteger(statusCode) && statusCode >= 300 && statusCode <= 599) {
    return { accept: false, statusCode };
  }
  return { accept: false, statusCode: 502 };
}

/** The frame a route response sends: the result's `body` (text as is, anything else as JSON). */
export function routeResponseFrame(payload: string): string | undefined {
  const result = parsed(payload);
  if (!isObject(result) || result.body === undefined || result.body === null) return undefined;
  return typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
}
