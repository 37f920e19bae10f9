import type {
  APIGatewayEventWebsocketRequestContextV2,
  APIGatewayProxyWebsocketEventV2WithRequestContext,
} from 'aws-lambda';
import { headersAsSent, lastValues, parseQuery } from '../http/request';

/**
 * The events a WebSocket API's Lambda proxy integration sends: `CONNECT` (with the upgrade request's
 * headers and query string), `MESSAGE` (the frame as `body`) and `DISCONNECT` (the close code and
 * reason). Shaped as events captured from API Gateway: requestContext keys in AWS's order, `messageId`
 * only on messages, `identity` with the client's address and user agent, and on $disconnect the fixed
 * headers API Gateway sends (Host and three empty ones).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-mapping-template-reference.html
 */

export interface WebsocketIdentity {
  sourceIp: string;
  /** The upgrade request's User-Agent, when it had one. */
  userAgent?: string;
}

/** @types/aws-lambda's context, with `messageId` on messages only and the fields real events carry. */
export type WebsocketRequestContext = Omit<APIGatewayEventWebsocketRequestContextV2, 'messageId'> & {
  messageId?: string;
  disconnectStatusCode?: number;
  disconnectReason?: string;
  identity: WebsocketIdentity;
};

export type WebsocketProxyEvent =
  APIGatewayProxyWebsocketEventV2WithRequestContext<WebsocketRequestContext> & {
    headers?: Record<string, string>;
    multiValueHeaders?: Record<string, string[]>;
  };

/** What stays the same for the life of a connection. */
export interface ConnectionContext {
  /** What the `$connect` authorizer passed on (principalId, its context), for every later event. */
  authorizer?: Record<string, unknown>;
  connectionId: string;
  connectedAt: number;
  identity: WebsocketIdentity;
  stage: string;
  apiId: string;
  domainName: string;
}

/** One request's ids and arrival time. API Gateway's requestId equals its extendedRequestId. */
export interface EventStamp {
  requestId: string;
  nowMs: number;
  /** `nowMs` as `dd/MMM/yyyy:HH:mm:ss +0000`. */
  time: string;
}

/** The requestContext every event of a connection shares, after the fields that name the event. */
function contextOf(
  connection: ConnectionContext,
  stamp: EventStamp,
  event: Pick<
    WebsocketRequestContext,
    'routeKey' | 'eventType' | 'messageId' | 'disconnectStatusCode' | 'disconnectReason'
  >,
): WebsocketRequestContext {
  return {
    ...event,
    ...(connection.authorizer ? { authorizer: connection.authorizer } : {}),
    extendedRequestId: stamp.requestId,
    requestTime: stamp.time,
    messageDirection: 'IN',
    stage: connection.stage,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: stamp.nowMs,
    identity: connection.identity,
    requestId: stamp.requestId,
    domainName: connection.domainName,
    connectionId: connection.connectionId,
    apiId: connection.apiId,
  };
}

/** Hop-by-hop headers of the upgrade, which API Gateway does not pass on. */
const HOP_BY_HOP = new Set(['connection', 'upgrade']);

export function connectEvent(
  connection: ConnectionContext,
  stamp: EventStamp,
  rawHeaders: readonly string[],
  rawQuery: string,
): WebsocketProxyEvent {
  const kept: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (!HOP_BY_HOP.has(rawHeaders[i].toLowerCase())) kept.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  const multiValueHeaders = headersAsSent(kept);
  const query = parseQuery(rawQuery);
  const hasQuery = Object.keys(query).length > 0;
  return {
    headers: lastValues(multiValueHeaders),
    multiValueHeaders,
    ...(hasQuery ? { queryStringParameters: lastValues(query), multiValueQueryStringParameters: query } : {}),
    requestContext: contextOf(connection, stamp, { routeKey: '$connect', eventType: 'CONNECT' }),
    isBase64Encoded: false,
  };
}

export function messageEvent(
  connection: ConnectionContext,
  routeKey: string,
  stamp: EventStamp,
  messageId: string,
  body: string,
): WebsocketProxyEvent {
  return {
    requestContext: contextOf(connection, stamp, { routeKey, messageId, eventType: 'MESSAGE' }),
    body,
    isBase64Encoded: false,
  };
}

/** What API Gateway reports when the client's close frame carried no status code (1005). */
export const NO_STATUS_REASON = 'Client-side close frame status not set';

export function disconnectEvent(
  connection: ConnectionContext,
  stamp: EventStamp,
  statusCode: number,
  reason: string,
): WebsocketProxyEvent {
  const host = connection.domainName;
  return {
    headers: { Host: host, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' },
    multiValueHeaders: { Host: [host], 'x-api-key': [''], 'X-Forwarded-For': [''], 'x-restapi': [''] },
    requestContext: contextOf(connection, stamp, {
      routeKey: '$disconnect',
      disconnectStatusCode: statusCode,
      eventType: 'DISCONNECT',
      disconnectReason: statusCode === 1005 ? NO_STATUS_REASON : reason,
    }),
    isBase64Encoded: false,
  };
}
