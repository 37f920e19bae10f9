import type { IncomingRequest } from './types';

/**
 * The headers each front adds to the request before its event is built, as AWS's do: the client's
 * address (`X-Forwarded-For`, appended to one the client sent), the port and protocol it connected to,
 * and the trace header (`X-Amzn-Trace-Id: Root=...`, the root the invocation's `_X_AMZN_TRACE_ID` shares).
 * The local fronts speak plain HTTP on their own port, so `X-Forwarded-Proto` is `http` and
 * `X-Forwarded-Port` that port (AWS says `https` and 443); function URLs' `x-amzn-tls-version` and
 * `x-amzn-tls-cipher-suite` are left out, there being no TLS. REST APIs and WebSocket
 * APIs add them capitalised (their events keep names as sent); the other fronts lower-case every name.
 */

const ADDED = ['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto', 'x-amzn-trace-id'];
const REST_NAMES = ['X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto', 'X-Amzn-Trace-Id'];

export function withGatewayHeaders(
  request: IncomingRequest,
  rest: boolean,
  traceRoot: string,
): IncomingRequest {
  const rawHeaders = addGatewayHeaders(request.rawHeaders, request, rest ? 'as-sent' : 'lower', traceRoot);
  return { ...request, rawHeaders };
}

/**
 * `rawHeaders` without what the client sent of the added headers, then the added ones: capitalised
 * for the fronts whose events keep names as sent (REST, WebSocket), else lower-case.
 */
export function addGatewayHeaders(
  raw: readonly string[],
  client: { sourceIp: string; localPort: number },
  names: 'as-sent' | 'lower',
  traceRoot: string,
): string[] {
  const kept: string[] = [];
  const sentFor: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    if (lower === 'x-forwarded-for') sentFor.push(raw[i + 1]);
    if (!ADDED.includes(lower)) kept.push(raw[i], raw[i + 1]);
  }
  const values = [
    [...sentFor, client.sourceIp].join(', '),
    String(client.localPort),
    'http',
    `Root=${traceRoot}`,
  ];
  const added = names === 'as-sent' ? REST_NAMES : ADDED;
  for (let i = 0; i < added.length; i++) kept.push(added[i], values[i]);
  return kept;
}
