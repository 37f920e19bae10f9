import { randomUUID } from 'node:crypto';
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { AwsRequest, AwsResponse } from '../../aws/endpoint';
import { systemClock, type Clock } from '../../clock';
import { listen } from '../../listen';
import { FOREIGN_HOST_MESSAGE, hostAllowList } from '../../request-guard';
import { newTraceRoot, rootTraceHeader, traceRootOf } from '../../lambda/trace-id';
import type { Invoker } from '../../lambda/types';
import type { ServiceModel } from '../../service/model';
import { addGatewayHeaders } from '../http/gateway-headers';
import { invokeWithin, type Settled } from '../http/gateway-timeout';
import { requestTimeFormatter, shortRequestId, stableId } from '../http/ids';
import { headerOf } from '../http/request';
import { ConnectionsApi, MAX_MESSAGE_BYTES, type Connection } from './connections-api';
import {
  connectEvent,
  disconnectEvent,
  messageEvent,
  type ConnectionContext,
  type EventStamp,
  type WebsocketProxyEvent,
} from './events';
import { authorizerText } from '../http/authorizers/registry';
import { connectAuthorizer, type ConnectAuthorizer } from './connect-authorizer';
import { connectDecision, errorFrame, routeResponseFrame, type ConnectDecision } from './outcomes';
import { WebsocketRoutes, type WebsocketRoute } from './routes';

/**
 * The WebSocket API of `sls emulate` on its own port: `$connect` runs during the upgrade and decides
 * whether the client gets in, each text message goes to the route its selection expression picks (else
 * `$default`, else API Gateway's Forbidden frame), `$disconnect` runs once the client has gone. The
 * same port answers the `@connections` Management API over plain HTTP. Quotas as API Gateway's: 29 s
 * integration timeout, 128 KB messages, 10 minutes idle, 2 hours per connection; binary frames close the
 * connection with 1003 (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-binary-media-types.html).
 */

export interface WebsocketFrontOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** API Gateway's integration timeout (29 s); tests make it small. */
  timeoutMs?: number;
  /** The idle connection timeout (10 minutes) and the longest connection (2 hours). */
  idleTimeoutMs?: number;
  maxConnectionMs?: number;
  clock?: Clock;
  newUuid?: () => string;
  /** `custom.emulate.allowedHosts`: Host names answered besides loopback names, IP addresses and `host`. */
  allowedHosts?: readonly string[];
  /** Lines for the console (an authorizer's failure). */
  log?: (line: string) => void;
}

interface LiveConnection extends Connection {
  idle: unknown;
  readonly expiry: unknown;
}

const TIMEOUT_MS = 29_000;
const IDLE_TIMEOUT_MS = 10 * 60_000;
const MAX_CONNECTION_MS = 2 * 60 * 60_000;
const ACCEPT: ConnectDecision = { accept: true };
const FORBIDDEN: AwsResponse = {
  status: 403,
  headers: { 'content-type': 'application/json' },
  body: '{"message":"Forbidden"}',
};
const ignore = () => undefined;

const isHandshake = (req: IncomingMessage) =>
  req.headers.upgrade?.toLowerCase() === 'websocket' && req.headers['sec-websocket-key'] !== undefined;

/** Refuses an upgrade the way a plain HTTP server answers: the status line and no body. */
function refuse(socket: Duplex, statusCode: number): void {
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? ''}\r\n` +
      'Connection: close\r\nContent-Length: 0\r\n\r\n',
  );
}

function write(res: ServerResponse, { status, headers, body }: AwsResponse): void {
  res.writeHead(status, headers);
  res.end(body);
}

export class WebsocketFront {
  /** The `@connections` API, also for the emulator's AWS endpoint to serve. */
  readonly connectionsApi: ConnectionsApi;
  private readonly table: WebsocketRoutes;
  private readonly connections = new Map<string, LiveConnection>();
  private readonly upgrading = new Set<Duplex>();
  /** The subprotocol `$connect` chose for an upgrade, handed to ws when it completes the handshake. */
  private readonly protocols = new WeakMap<IncomingMessage, string>();
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly api: { stage: string; apiId: string; domainName: string };
  private readonly formatTime = requestTimeFormatter();
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private readonly newUuid: () => string;
  private stopping = false;
  private readonly hostAllowed: (host: string | undefined) => boolean;
  private readonly authorize?: ConnectAuthorizer;

  constructor(
    service: ServiceModel,
    private readonly invoker: Invoker,
    private readonly options: WebsocketFrontOptions,
  ) {
    this.table = new WebsocketRoutes(service);
    this.hostAllowed = hostAllowList(options.host, options.allowedHosts ?? []);
    this.timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
    this.clock = options.clock ?? systemClock;
    this.newUuid = options.newUuid ?? randomUUID;
    const apiId = stableId(`websocket:${service.service}:${service.stage}`, 10);
    this.api = {
      stage: service.stage,
      apiId,
      domainName: `${apiId}.execute-api.${service.region}.amazonaws.com`,
    };
    this.authorize = connectAuthorizer(this.table.connect, {
      invoker,
      clock: this.clock,
      timeoutMs: this.timeoutMs,
      api: { ...this.api, region: service.region, accountId: service.accountId },
      log: (line) => options.log?.(line),
    });
    this.connectionsApi = new ConnectionsApi(this.connections, this.clock);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_MESSAGE_BYTES,
      handleProtocols: (_offered, req) => this.protocols.get(req) ?? false,
    });
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(req, socket, head),
    );
  }

  /** Listens; a port in use is a ConfigError that names it. */
  async start(): Promise<{ url: string }> {
    await listen(this.server, this.options.host, this.options.port, '--websocket-port');
    const { port } = this.server.address() as AddressInfo;
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return { url: `ws://${host}:${port}` };
  }

  /** Closes every connection (without running `$disconnect`: the emulator is going away) and the port. */
  stop(): Promise<void> {
    this.stopping = true;
    for (const socket of this.upgrading) socket.destroy();
    this.upgrading.clear();
    for (const connection of this.connections.values()) {
      this.clearTimers(connection);
      connection.socket.terminate();
    }
    this.connections.clear();
    this.wss.close();
    return new Promise((resolve, reject) => {
      if (!this.server.listening) return resolve();
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  /** The route keys the service defines, in its order; `$connect` names its authorizer, if any. */
  routes(): string[] {
    const authorizer = this.table.connect?.authorizer;
    return this.table
      .keys()
      .map((key) => (key === '$connect' && authorizer ? `$connect [${authorizerText(authorizer)}]` : key));
  }

  private stamp(nowMs = this.clock.now()): EventStamp {
    return { requestId: shortRequestId(this.newUuid()), nowMs, time: this.formatTime(nowMs) };
  }

  private invoke(route: WebsocketRoute, event: WebsocketProxyEvent, traceRoot?: string): Promise<Settled> {
    const request = {
      payload: JSON.stringify(event),
      ...route.invocation,
      traceHeader: rootTraceHeader(traceRoot),
    };
    return invokeWithin(this.invoker, route.fn.name, request, { ms: this.timeoutMs, clock: this.clock });
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', ignore);
    if (!this.hostAllowed(req.headers.host)) {
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${FOREIGN_HOST_MESSAGE}`,
      );
      return;
    }
    // ws answers a malformed handshake (400) or one after stop() (503) itself.
    if (this.stopping || !isHandshake(req)) return this.wss.handleUpgrade(req, socket, head, ignore);
    const userAgent = headerOf(req.rawHeaders, 'user-agent');
    const context: ConnectionContext = {
      connectionId: shortRequestId(this.newUuid()),
      connectedAt: this.clock.now(),
      identity: {
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        ...(userAgent === undefined ? {} : { userAgent }),
      },
      ...this.api,
    };
    this.upgrading.add(socket);
    void this.runConnect(context, req).then((decision) => {
      this.upgrading.delete(socket);
      if (socket.destroyed) return;
      if (!decision.accept) return refuse(socket, decision.statusCode);
      if (decision.protocol !== undefined) this.protocols.set(req, decision.protocol);
      this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws, context));
    });
  }

  private async runConnect(context: ConnectionContext, req: IncomingMessage): Promise<ConnectDecision> {
    const route = this.table.connect;
    if (route === undefined) return ACCEPT;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    // The $connect request is the connection's first: its time is the connection's.
    const stamp = this.stamp(context.connectedAt);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    const traceRoot = traceRootOf(headerOf(req.rawHeaders, 'x-amzn-trace-id')) ?? newTraceRoot(stamp.nowMs);
    const client = { sourceIp: context.identity.sourceIp, localPort: req.socket.localPort ?? 0 };
    const rawHeaders = addGatewayHeaders(req.rawHeaders, client, 'as-sent', traceRoot);
    if (this.authorize) {
      const verdict = await this.authorize(
        connectEvent(context, stamp, rawHeaders, rawQuery),
        rawHeaders,
        rawQuery,
      );
      if (!verdict.ok) return { accept: false, statusCode: verdict.statusCode };
      context.authorizer = verdict.authorizer;
    }
    const event = connectEvent(context, stamp, rawHeaders, rawQuery);
    return connectDecision(await this.invoke(route, event, traceRoot));
  }

  private open(socket: WebSocket, context: ConnectionContext): void {
    const connection: LiveConnection = {
      context,
      socket,
      lastActiveAt: context.connectedAt,
      idle: undefined,
      expiry: this.clock.setTimeout(
        () => socket.close(1001, 'Going away'),
        this.options.maxConnectionMs ?? MAX_CONNECTION_MS,
      ),
    };
    this.armIdleTimer(connection);
    this.connections.set(context.connectionId, connection);
    socket.on('message', (data, isBinary) => this.onMessage(connection, data as Buffer, isBinary));
    socket.once('close', (code, reason) => this.onClose(connection, code, reason.toString()));
    socket.on('error', ignore);
  }

  private onMessage(connection: LiveConnection, data: Buffer, isBinary: boolean): void {
    if (isBinary) return connection.socket.close(1003);
    connection.lastActiveAt = this.clock.now();
    this.armIdleTimer(connection);
    const body = data.toString();
    const route = this.table.select(body);
    const stamp = this.stamp();
    const { connectionId } = connection.context;
    if (route === undefined) return send(connection, errorFrame('Forbidden', connectionId, stamp.requestId));
    const event = messageEvent(connection.context, route.key, stamp, shortRequestId(this.newUuid()), body);
    void this.invoke(route, event).then((settled) => {
      let frame: string | undefined;
      if (settled.type === 'timeout')
        frame = errorFrame('Endpoint request timed out', connectionId, stamp.requestId);
      else if (settled.type === 'rejected' || settled.outcome.functionError)
        frame = errorFrame('Internal server error', connectionId, stamp.requestId);
      else if (route.respond) frame = routeResponseFrame(settled.outcome.payload);
      if (frame !== undefined) send(connection, frame);
    });
  }

  /** API Gateway closes a connection that has sent nothing for its idle timeout. */
  private armIdleTimer(connection: LiveConnection): void {
    this.clock.clearTimeout(connection.idle);
    connection.idle = this.clock.setTimeout(
      () => connection.socket.close(1001, 'Going away'),
      this.options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
    );
  }

  private clearTimers(connection: LiveConnection): void {
    this.clock.clearTimeout(connection.idle);
    this.clock.clearTimeout(connection.expiry);
  }

  private onClose(connection: LiveConnection, code: number, reason: string): void {
    this.clearTimers(connection);
    const { connectionId } = connection.context;
    if (this.connections.get(connectionId) === connection) this.connections.delete(connectionId);
    const route = this.table.disconnect;
    if (this.stopping || route === undefined) return;
    // Best effort, as in AWS: the result is ignored and nobody is told of a failure.
    void this.invoke(route, disconnectEvent(connection.context, this.stamp(), code, reason));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const request: AwsRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      if (!this.connectionsApi.handles(request)) return write(res, FORBIDDEN);
      this.connectionsApi.handle(request).then(
        (response) => write(res, response),
        () => write(res, { status: 500 }),
      );
    });
  }
}

function send(connection: Connection, frame: string): void {
  if (connection.socket.readyState === WebSocket.OPEN) connection.socket.send(frame);
}
