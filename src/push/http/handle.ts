import type { Invoker } from '../../lambda/types';
import { apiPreflightResponse, restPreflightResponse } from './cors';
import { frontContext, header, type HandlerSettings } from './front-context';
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
  return async (request) => {
    const match = table.match(request);
    switch (match.type) {
      case 'none':
        return match.front === 'rest'
          ? restResponses.missingAuthenticationToken()
          : httpApiResponses.notFound();
      case 'restPreflight':
        return restPreflightResponse(match.preflight, header(request, 'origin'));
      case 'apiPreflight':
        return apiPreflightResponse(match.cors, header(request, 'origin'));
    }
    const { route, path, pathParameters } = match;
    switch (route.kind) {
      case 'rest':
        return rest({ request, route, path, pathParameters });
      case 'httpApi':
        return httpApi({ request, route, path, pathParameters });
      case 'alb':
        return alb({ request, route, path, pathParameters });
      case 'url':
        return url({ request, route, path, pathParameters });
    }
  };
}
