import { requestTime, shortRequestId, stableId } from '../http/ids';
import {
  connectEvent,
  disconnectEvent,
  messageEvent,
  type ConnectionContext,
  type WebsocketProxyEvent,
} from '../websocket/events';
import type { WebsocketEvent } from '../../service/model';
import { asText, CLIENT_IP, FORWARDED_HEADERS, isObject, type SampleContext } from './context';

/**
 * A body the route selection expression sends to `route`: with `$request.body.action` (the default)
 * `{"action": "<route>"}`, `overrides` (an object) merged in; for `$default` or another expression,
 * `overrides` as they are (JSON unless a string), else a small JSON message.
 */
export function bodyFor(spec: WebsocketEvent, overrides: unknown): string {
  const selected = /^\$request\.body\.(.+)$/.exec(spec.routeSelectionExpression)?.[1];
  const custom = !spec.route.startsWith('$') && selected !== undefined;
  if (!custom) return overrides !== undefined ? asText(overrides) : JSON.stringify({ message: 'Hello!' });
  const body: Record<string, unknown> = isObject(overrides) ? { ...overrides } : {};
  let node = body;
  const keys = selected.split('.');
  keys.slice(0, -1).forEach((key) => {
    node[key] = isObject(node[key]) ? node[key] : {};
    node = node[key] as Record<string, unknown>;
  });
  node[keys[keys.length - 1]] = spec.route;
  return JSON.stringify(body);
}

/**
 * A WebSocket API event for the route, built by the WebSocket front's own builders
 * (push/websocket/events.ts) for the API the emulator serves: CONNECT for `$connect` (the upgrade's
 * headers), DISCONNECT for `$disconnect` (a normal close, 1000), else a MESSAGE whose body selects
 * the route.
 */
export function websocketEvent(spec: WebsocketEvent, context: SampleContext): WebsocketProxyEvent {
  const { service, now, newId, overrides } = context;
  // The API id the WebSocket front uses (push/websocket/websocket-server.ts).
  const apiId = stableId(`websocket:${service.service}:${service.stage}`, 10);
  const domainName = `${apiId}.execute-api.${service.region}.amazonaws.com`;
  const connectedAt = now.getTime() - 1000;
  const connection: ConnectionContext = {
    connectionId: shortRequestId(newId()),
    connectedAt,
    identity: { sourceIp: CLIENT_IP, userAgent: 'Mozilla/5.0' },
    stage: service.stage,
    apiId,
    domainName,
  };
  const stamp = {
    requestId: shortRequestId(newId()),
    nowMs: now.getTime(),
    time: requestTime(now.getTime()),
  };
  if (spec.route === '$connect') {
    const headers = [
      'Host',
      domainName,
      'Sec-WebSocket-Key',
      Buffer.from(newId().slice(0, 16)).toString('base64'),
      'Sec-WebSocket-Version',
      '13',
      'User-Agent',
      'Mozilla/5.0',
      ...FORWARDED_HEADERS,
    ];
    return connectEvent({ ...connection, connectedAt: now.getTime() }, stamp, headers, '');
  }
  if (spec.route === '$disconnect') return disconnectEvent(connection, stamp, 1000, '');
  return messageEvent(connection, spec.route, stamp, shortRequestId(newId()), bodyFor(spec, overrides));
}
