import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { systemClock, type Clock } from '../../clock';
import { listen } from '../../listen';
import { FOREIGN_HOST_MESSAGE, hostAllowList } from '../../request-guard';
import type { Invoker } from '../../lambda/types';
import type { ServiceModel } from '../../service/model';
import { ApiKeys } from './api-keys';
import { Authorizers, authorizerText } from './authorizers/registry';
import { GatewayResponseOverrides } from './gateway-response-overrides';
import { createRequestHandler, type RequestHandler } from './handle';
import { apiIdOf } from './ids';
import { RouteTable, type RouteOptions } from './routes';
import { headerOf } from './request';
import type { HttpResult, IncomingRequest } from './types';

/**
 * The one HTTP server of `sls emulate` for every `http`, `httpApi`, `alb` and function URL route of the
 * service. Routing and event building are done by the pure modules next to it; this class owns the
 * socket: reading requests, writing responses, the port.
 */

export interface HttpFrontOptions extends RouteOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** API Gateway's integration timeouts; tests make them small. */
  restTimeoutMs?: number;
  httpApiTimeoutMs?: number;
  clock?: Clock;
  newUuid?: () => string;
  /** What an answer waits for: the commit of the writes made so far (an async integration's event). */
  committed?: () => Promise<void> | undefined;
  /** `custom.emulate.allowedHosts`: Host names answered besides loopback names, IP addresses and `host`. */
  allowedHosts?: readonly string[];
  /** Lines for the console: start-up warnings, authorizer failures. */
  log?: (line: string) => void;
}

export interface FrontRoute {
  method: string;
  url: string;
  /** The function's key in serverless.yml. */
  function: string;
  /** What guards it (`TOKEN authorizer auth`, `AWS_IAM`), when something does. */
  authorizer?: string;
}

const REST_TIMEOUT_MS = 29_000;
const HTTP_API_TIMEOUT_MS = 30_000;
const EMPTY = Buffer.alloc(0);
const BAD_HEADER: HttpResult = {
  statusCode: 502,
  headers: { 'content-type': 'application/json' },
  body: '{"message": "Internal server error"}',
};
const FOREIGN_HOST: HttpResult = {
  statusCode: 403,
  headers: { 'content-type': 'text/plain' },
  body: FOREIGN_HOST_MESSAGE,
};
const HANDLER_FAILED: HttpResult = {
  statusCode: 500,
  headers: { 'content-type': 'application/json' },
  body: '{"message":"Internal Server Error"}',
};

function incoming(req: IncomingMessage, body: Buffer): IncomingRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return {
    method: req.method ?? 'GET',
    path: q === -1 ? url : url.slice(0, q),
    rawQuery: q === -1 ? '' : url.slice(q + 1),
    rawHeaders: req.rawHeaders,
    body,
    sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    localPort: req.socket.localPort ?? 0,
    protocol: `HTTP/${req.httpVersion}`,
  };
}

function write(res: ServerResponse, result: HttpResult): void {
  const { body } = result;
  if (result.stream) return writeStream(res, result, result.stream);
  try {
    if (result.statusMessage !== undefined) res.statusMessage = result.statusMessage;
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    res.writeHead(result.statusCode, { ...result.headers, 'content-length': length });
  } catch {
    // A header the function set that HTTP cannot carry (a newline, a bad name): the gateway fails it.
    if (result !== BAD_HEADER) write(res, BAD_HEADER);
    return;
  }
  // A string body goes out in one write with the headers; node writes a Buffer body separately.
  res.end(body);
}

/** A streamed answer: the headers at once, then each chunk as it comes (chunked transfer encoding). */
function writeStream(res: ServerResponse, result: HttpResult, stream: Readable): void {
  try {
    res.writeHead(result.statusCode, result.headers);
  } catch {
    stream.resume();
    return write(res, BAD_HEADER);
  }
  res.flushHeaders();
  // A stream cut short (REST streaming's limits) closes the connection: the body stays incomplete.
  stream.once('error', () => res.destroy());
  stream.pipe(res);
}

export class HttpFront {
  private readonly table: RouteTable;
  private readonly handler: RequestHandler;
  private readonly authorizers: Authorizers;
  private readonly apiKeys: ApiKeys;
  private readonly server: Server;
  private readonly hostAllowed: (host: string | undefined) => boolean;
  private address?: AddressInfo;

  constructor(
    service: ServiceModel,
    invoker: Invoker,
    private readonly options: HttpFrontOptions,
  ) {
    this.table = new RouteTable(service, options);
    this.hostAllowed = hostAllowList(options.host, options.allowedHosts ?? []);
    const clock = options.clock ?? systemClock;
    this.apiKeys = new ApiKeys(service.api.rest, clock);
    this.authorizers = new Authorizers(service, {
      invoker,
      clock,
      jwks: service.emulate.jwks,
      serviceDir: service.serviceDir,
    });
    this.handler = createRequestHandler(this.table, invoker, {
      identity: {
        accountId: service.accountId,
        region: service.region,
        stage: service.stage,
        restApiId: apiIdOf(service.service, service.stage, 'rest'),
        httpApiId: apiIdOf(service.service, service.stage, 'httpApi'),
      },
      restTimeoutMs: options.restTimeoutMs ?? REST_TIMEOUT_MS,
      httpApiTimeoutMs: options.httpApiTimeoutMs ?? HTTP_API_TIMEOUT_MS,
      restEndpointType: service.api.rest.endpointType,
      clock,
      newUuid: options.newUuid ?? randomUUID,
      authorizers: this.authorizers,
      log: this.log,
      apiKeys: this.apiKeys,
      gatewayResponses: new GatewayResponseOverrides(service.api.rest.gatewayResponses),
    });
    this.server = createServer({ keepAlive: true, noDelay: true }, (req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 65_000;
  }

  /** Finds the JWT authorizers' keys, then listens; a port in use is a ConfigError that names it. */
  async start(): Promise<{ url: string }> {
    for (const warning of await this.authorizers.prepare()) this.log(warning);
    for (const line of this.apiKeys.describe()) this.log(line);
    await listen(this.server, this.options.host, this.options.port, '--port');
    this.address = this.server.address() as AddressInfo;
    return { url: this.baseUrl() };
  }

  stop(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.server.listening) return resolve();
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  /** Every route with its URL on this server (the port is known once started). */
  routes(): FrontRoute[] {
    const base = this.baseUrl();
    return this.table.list().map((info) => ({
      method: info.method,
      url: base + (info.path === '*' ? '/*' : info.path),
      function: info.function,
      authorizer: info.authorizer && authorizerText(info.authorizer),
    }));
  }

  private readonly log = (line: string) => this.options.log?.(line);

  private baseUrl(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `http://${host}:${this.address?.port ?? this.options.port}`;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (!this.hostAllowed(req.headers.host)) return write(res, FOREIGN_HOST);
    const respond = (body: Buffer) => {
      this.handler(incoming(req, body)).then(
        (result) => {
          const commit = this.options.committed?.();
          if (commit)
            commit.then(
              () => write(res, result),
              () => write(res, HANDLER_FAILED),
            );
          else write(res, result);
        },
        () => write(res, HANDLER_FAILED),
      );
    };
    const raw = req.rawHeaders;
    if (headerOf(raw, 'content-length') === undefined && headerOf(raw, 'transfer-encoding') === undefined) {
      respond(EMPTY);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => respond(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
  }
}
