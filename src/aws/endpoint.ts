import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { listen } from '../listen';
import { FOREIGN_HOST_MESSAGE, fromWebPage, hostAllowList } from '../request-guard';
import { acceptHttp2 } from './http2';
import { jsonError } from './json-protocol';
import { unknownOperation } from './unemulated';

export interface AwsRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The client's address, when the request came over a socket. */
  sourceIp?: string;
}

/**
 * The trace a request carries (`X-Amzn-Trace-Id`, which the SDKs send from a function's
 * `_X_AMZN_TRACE_ID`): what it makes continues that trace.
 */
export function requestTraceHeader(request: AwsRequest): string | undefined {
  const value = request.headers['x-amzn-trace-id'];
  return Array.isArray(value) ? value[0] : value;
}

export interface AwsResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** A body sent as it comes, after the headers (Lambda's InvokeWithResponseStream); `body` is unused. */
  stream?: Readable;
  /** Called when the client's connection closes (a stream that never ends: the live view's events). */
  closed?: () => void;
}

/** One AWS API the endpoint serves, recognised by how AWS clients address it. */
export interface AwsService {
  handles(request: AwsRequest): boolean;
  handle(request: AwsRequest): Promise<AwsResponse>;
  /** Whether a request a web page made may be served (S3: the bucket's CORS configuration); else none. */
  allowsWebPage?(request: AwsRequest): boolean;
}

// The handler's network keeps the AWS Host of the calls it sends here.
const AWS_HOSTS = /(?:^|\.)amazonaws\.com(?:\.cn)?$/;

export interface EndpointOptions {
  /** `--host`, answered besides loopback names and IP addresses. */
  host?: string;
  /** `custom.emulate.allowedHosts`. */
  allowedHosts?: readonly string[];
  /** Where a request that failed in the emulator itself is reported. */
  log?: (line: string) => void;
  /** What an answer waits for: the commit of the writes made so far, when one is pending. */
  committed?: () => Promise<void> | undefined;
}

/**
 * A Query action in a GET's URL without an Authorization header: what an `<img>` or a link sends, and
 * no AWS client. Browsers leave out Origin and Sec-Fetch-Site on such a GET to a non-loopback address.
 */
const linkedAction = (request: AwsRequest) =>
  request.method === 'GET' && request.query.has('Action') && request.headers.authorization === undefined;

/**
 * The one port on which the emulator answers every AWS API it emulates, routed the way AWS clients
 * send requests (a REST path, an X-Amz-Target header, a Query `Action`). Signatures are not checked.
 */
export class AwsEndpoint {
  private readonly server: Server = createServer();
  private readonly closeHttp2 = acceptHttp2(this.server);

  private readonly hostAllowed: (host: string | undefined) => boolean;
  private readonly log: (line: string) => void;
  private readonly committed: () => Promise<void> | undefined;

  constructor(
    private readonly services: AwsService[],
    options: EndpointOptions = {},
  ) {
    this.hostAllowed = hostAllowList(options.host ?? '127.0.0.1', options.allowedHosts ?? [], [AWS_HOSTS]);
    this.log = options.log ?? (() => undefined);
    this.committed = options.committed ?? (() => undefined);
    this.handleRequests();
  }

  /** Adds an API once what it serves exists (the Lambda API needs the endpoint's own URL first). */
  add(service: AwsService): void {
    this.services.push(service);
  }

  private handleRequests() {
    this.server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        // The raw path as sent: an S3 key may hold `..` or start with `/`, which URL parsing would change.
        const target = req.url ?? '/';
        const q = target.indexOf('?');
        const request = {
          method: req.method ?? 'GET',
          path: q === -1 ? target : target.slice(0, q),
          query: new URLSearchParams(q === -1 ? '' : target.slice(q + 1)),
          headers: req.headers,
          body: Buffer.concat(chunks),
          sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        };
        void this.route(request).then((response) => this.send(res, response, request));
      });
    });
  }

  /** An answer that cannot be written (a header value Node refuses) is the request's 500, not a crash. */
  private send(
    res: ServerResponse,
    { status, headers, body, stream, closed }: AwsResponse,
    request: AwsRequest,
  ): void {
    if (closed) res.once('close', closed);
    try {
      res.writeHead(status, headers);
      if (stream) {
        res.flushHeaders();
        stream.pipe(res);
        return;
      }
      res.end(body);
    } catch (error) {
      this.log(`AWS endpoint: ${request.method} ${request.path} failed: ${(error as Error).message}`);
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ __type: 'InternalFailure', message: (error as Error).message }));
    }
  }

  /** Answers a request as if it had come over the socket (the live view reads the services this way). */
  async route(request: AwsRequest): Promise<AwsResponse> {
    if (!this.hostAllowed(request.headers.host)) {
      return jsonError(403, 'AccessDeniedException', FOREIGN_HOST_MESSAGE);
    }
    const service = this.services.find((s) => s.handles(request));
    if ((fromWebPage(request.headers) || linkedAction(request)) && !service?.allowsWebPage?.(request)) {
      return jsonError(
        403,
        'AccessDeniedException',
        'Blocked: a web page may not use the AWS endpoint, except an S3 bucket whose CORS configuration allows its origin',
      );
    }
    if (!service) return unknownOperation(request);
    try {
      const response = await service.handle(request);
      const commit = this.committed();
      if (commit) await commit;
      return response;
    } catch (error) {
      this.log(`AWS endpoint: ${request.method} ${request.path} failed: ${(error as Error).stack ?? error}`);
      return jsonError(500, 'ServiceException', (error as Error).message);
    }
  }

  async start(host: string, port: number): Promise<string> {
    await listen(this.server, host, port, '--aws-port');
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      this.closeHttp2();
    });
  }
}
