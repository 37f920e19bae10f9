import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from '../listen';
import { acceptHttp2 } from './http2';
import { jsonError } from './json-protocol';

export interface AwsRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The client's address, when the request came over a socket. */
  sourceIp?: string;
}

export interface AwsResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One AWS API the endpoint serves, recognised by how AWS clients address it. */
export interface AwsService {
  handles(request: AwsRequest): boolean;
  handle(request: AwsRequest): Promise<AwsResponse>;
}

/**
 * The one port on which the emulator answers every AWS API it emulates, routed the way AWS clients
 * send requests (a REST path, an X-Amz-Target header, a Query `Action`). Signatures are not checked.
 */
export class AwsEndpoint {
  private readonly server: Server = createServer();
  private readonly closeHttp2 = acceptHttp2(this.server);

  constructor(private readonly services: AwsService[]) {
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
        void this.route(request).then(({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        });
      });
    });
  }

  private async route(request: AwsRequest): Promise<AwsResponse> {
    const service = this.services.find((s) => s.handles(request));
    if (!service) {
      return jsonError(
        404,
        'UnknownOperationException',
        `No emulated AWS API at ${request.method} ${request.path}`,
      );
    }
    try {
      return await service.handle(request);
    } catch (error) {
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
