import type { Invoker } from '../../lambda/types';
import { apiPreflightResponse, restPreflightResponse } from './cors';
import { newTraceRoot, traceRootOf } from '../../lambda/trace-id';
import { frontContext, header, type FrontContext, type HandlerSettings } from './front-context';
import { withGatewayHeaders } from './gateway-headers';
import { shortRequestId } from './ids';
import type { PathParameters } from './path-table';
import { httpApiResponses, restResponses } from './gateway-responses';
import { albHandler } from './handle-alb';
import { httpApiHandler } from './handle-http-api';
import { restHandler } from './handle-rest';
import { urlHandler } from './handle-url';
import type { RouteTable } from './routes';
import type { HttpResult, IncomingRequest } from './types';

export type { HandlerSettings } from './front-context';

export type RequestHandler = (request: IncomingRequest) => Promise<HttpResult>;

/**
 * One request through the front: match a route, and hand it to its front's handler (REST, HTTP API,
 * ALB, function URL), which builds the event that front sends, invokes the function through the
 * Invoker, and maps the outcome (or the front's own error) to the HTTP response.
 */
export function createRequestHandler(
  table: RouteTable,
  invoker: Invoker,
  settings: HandlerSettings,
): RequestHandler {
  const context = frontContext(table, invoker, settings);
  const rest = restHandler(context);
  const httpApi = httpApiHandler(context);
  const alb = albHandler(context);
  const url = urlHandler(context);
  const { gatewayResponses } = settings;
  /** The REST API's own answers, through the service's GatewayResponse resources. */
  const restAnswer = (result: HttpResult, request: IncomingRequest, pathParameters: PathParameters | null) =>
    gatewayResponses.size === 0 || !result.gatewayResponse
      ? result
      : gatewayResponses.apply(result, { request, pathParameters, context: errorContext(context, request) });
  return async (received) => {
    const match = table.match(received);
    switch (match.type) {
      case 'none':
        return match.front === 'rest'
          ? restAnswer(restResponses.missingAuthenticationToken(), received, null)
          : httpApiResponses.notFound();
      case 'restPreflight':
        return restPreflightResponse(match.preflight, header(received, 'origin'));
      case 'apiPreflight':
        return apiPreflightResponse(match.cors, header(received, 'origin'));
    }
    const { route, path, pathParameters } = match;
    const traceRoot = traceRootOf(header(received, 'x-amzn-trace-id')) ?? newTraceRoot(settings.clock.now());
    const request = withGatewayHeaders(received, route.kind === 'rest', traceRoot);
    switch (route.kind) {
      case 'rest':
        return restAnswer(
          await rest({ request, route, path, pathParameters, traceRoot }),
          request,
          pathParameters,
        );
      case 'httpApi':
        return httpApi({ request, route, path, pathParameters, traceRoot });
      case 'alb':
        return alb({ request, route, path, pathParameters, traceRoot });
      case 'url':
        return url({ request, route, path, pathParameters, traceRoot });
    }
  };
}

/** `$context` of a gateway response template: who and what was asked (the error is added to it). */
function errorContext({ settings, restDomain, formatTime }: FrontContext, request: IncomingRequest) {
  const { identity } = settings;
  const nowMs = settings.clock.now();
  const requestId = settings.newUuid();
  return {
    accountId: identity.accountId,
    apiId: identity.restApiId,
    domainName: restDomain,
    domainPrefix: identity.restApiId,
    extendedRequestId: shortRequestId(requestId),
    httpMethod: request.method,
    identity: { sourceIp: request.sourceIp, userAgent: header(request, 'user-agent') ?? '' },
    path: request.path,
    protocol: request.protocol,
    requestId,
    requestTime: formatTime(nowMs),
    requestTimeEpoch: nowMs,
    stage: identity.stage,
  };
}
