import { isUtf8 } from 'node:buffer';
import { WebSocket } from 'ws';
import type { AwsRequest, AwsResponse, AwsService } from '../../aws/endpoint';
import { jsonError } from '../../aws/json-protocol';
import type { Clock } from '../../clock';
import { decodeComponent } from '../http/request';
import type { ConnectionContext } from './events';

/**
 * API Gateway's Management API for a WebSocket API (`@connections`), as
 * `@aws-sdk/client-apigatewaymanagementapi` addresses it: the endpoint's path (the stage, e.g.
 * `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`), or none, then
 * `/@connections/{connectionId}` with the id URI-encoded (`=` as `%3D`).
 * - POST: the body goes to the client as one frame; 200.
 * - GET: 200 `{connectedAt, identity: {sourceIp, userAgent}, lastActiveAt}`, timestamps in ISO 8601.
 * - DELETE: closes the connection; 204.
 * A connection that does not exist, is closed, or has not finished `$connect` is 410 GoneException.
 * An AwsService, so the emulator's AWS endpoint can serve it too (for clients that find it through
 * AWS_ENDPOINT_URL).
 */

export interface Connection {
  readonly context: ConnectionContext;
  readonly socket: WebSocket;
  lastActiveAt: number;
}

const CONNECTIONS = /^(?:\/[^/]+)?\/(?:@|%40)connections\/([^/]+)\/?$/;

/** The largest message a WebSocket API sends (its 128 KB quota). */
export const MAX_MESSAGE_BYTES = 128 * 1024;

const gone = (id: string) => jsonError(410, 'GoneException', `Connection ${id} is gone`);

export class ConnectionsApi implements AwsService {
  constructor(
    private readonly connections: Map<string, Connection>,
    private readonly clock: Clock,
  ) {}

  handles(request: AwsRequest): boolean {
    return CONNECTIONS.test(request.path);
  }

  async handle(request: AwsRequest): Promise<AwsResponse> {
    const id = decodeComponent(CONNECTIONS.exec(request.path)?.[1] ?? '');
    const { method } = request;
    if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') {
      return jsonError(403, 'ForbiddenException', `${method} is not allowed on @connections`);
    }
    const connection = this.connections.get(id);
    if (connection === undefined || connection.socket.readyState !== WebSocket.OPEN) return gone(id);
    if (method === 'GET')
      return { status: 200, headers: JSON_TYPE, body: JSON.stringify(this.describe(connection)) };
    if (method === 'DELETE') {
      this.connections.delete(id);
      connection.socket.close(1000);
      return { status: 204 };
    }
    if (request.body.length > MAX_MESSAGE_BYTES) {
      return jsonError(
        413,
        'PayloadTooLargeException',
        `Message of ${request.body.length} bytes is too large`,
      );
    }
    // Text frames for UTF-8 data (what handlers send: JSON, text); anything else as a binary frame.
    connection.socket.send(request.body, { binary: !isUtf8(request.body) });
    connection.lastActiveAt = this.clock.now();
    return { status: 200 };
  }

  private describe(connection: Connection) {
    const { connectedAt, identity } = connection.context;
    return {
      connectedAt: new Date(connectedAt).toISOString(),
      identity: { sourceIp: identity.sourceIp, userAgent: identity.userAgent ?? '' },
      lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
    };
  }
}

const JSON_TYPE = { 'content-type': 'application/json' };
