import type { IncomingRequest } from '../../../src/push/http/types';

/** An IncomingRequest as node:http would hand it over, from a method, a URL path and headers. */
export function incoming(
  method: string,
  url: string,
  headers: Array<[string, string]> = [],
  body: string | Buffer = '',
): IncomingRequest {
  const q = url.indexOf('?');
  const rawHeaders = headers.flat();
  return {
    method,
    path: q === -1 ? url : url.slice(0, q),
    rawQuery: q === -1 ? '' : url.slice(q + 1),
    rawHeaders,
    body: typeof body === 'string' ? Buffer.from(body) : body,
    sourceIp: '203.0.113.7',
    localPort: 3000,
    protocol: 'HTTP/1.1',
  };
}
