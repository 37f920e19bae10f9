import { LambdaServiceError } from '../../lambda/errors';
import type { Invoker } from '../../lambda/types';
import { eventBody, isTextMediaType, type BinaryTest } from './binary';
import { apiPreflightResponse, restIntegrationCorsHeaders, restPreflightResponse, withApiCors } from './cors';
import { albEvent } from './events-alb';
import { lambdaIntegrationEvent } from './events-lambda';
import { v1Event } from './events-v1';
import { functionUrlEvent, v2Event } from './events-v2';
import { albResponses, httpApiResponses, restResponses, urlResponses } from './gateway-responses';
import { invokeWithin, type Settled } from './gateway-timeout';
import { requestTimeFormatter, shortRequestId } from './ids';
import type { PathParameters } from './path-table';
import { headerOf, mediaTypeOf } from './request';
import { albResponse, v1Response, v2Response } from './responses';
import { lambdaIntegrationResponse } from './responses-lambda';
import type { AlbRoute, HttpApiRoute, RestRoute, Route, RouteTable, UrlRoute } from './routes';
import type { ApiIdentity, EventBody, HttpResult, IncomingRequest } from './types';

/**
 * One request through the front: match a route, build the event its front sends, invoke the function
 * through the Invoker, and map the outcome (or the front's own error) to the HTTP response.
 */

export interface HandlerSettings {
  identity: ApiIdentity;
  /** API Gateway's integration timeouts: REST 29 s, HTTP API 30 s. */
  restTimeoutMs: number;
  httpApiTimeoutMs: number;
  now: () => number;
  newUuid: () => string;
}

export type RequestHandler = (request: IncomingRequest) => Promise<HttpResult>;

interface Routed<R> {
  request: IncomingRequest;
  route: R;
  path: string;
  pathParameters: PathParameters | null;
}

const header = (request: IncomingRequest, name: string) => headerOf(request.rawHeaders, name);

const isThrottle = (error: unknown) =>
  error instanceof LambdaServiceError && error.code === 'TooManyRequestsException';

const NO_BODY: EventBody = { body: null, isBase64Encoded: false };

/** The body as the event carries it; `isBinary` judges the request's media type (read only if needed). */
const bodyOf = (request: IncomingRequest, isBinary: BinaryTest): EventBody =>
  request.body.length === 0
    ? NO_BODY
    : eventBody(request.body, isBinary(mediaTypeOf(header(request, 'content-type'))));

/** HTTP API, function URLs and ALB pass text as is and anything else as base64. */
const isNotText: BinaryTest = (mediaType) => !isTextMediaType(mediaType);
const textOrBinaryBody = (request: IncomingRequest) => bodyOf(request, isNotText);

export function createRequestHandler(
  table: RouteTable,
  invoker: Invoker,
  settings: HandlerSettings,
): RequestHandler {
  const { identity } = settings;
  const restDomain = `${identity.restApiId}.execute-api.${identity.region}.amazonaws.com`;
  const httpApiDomain = `${identity.httpApiId}.execute-api.${identity.region}.amazonaws.com`;
  const formatTime = requestTimeFormatter();

  const invoke = (route: Route, event: unknown, limit?: number) =>
    invokeWithin(invoker, route.fn.name, { payload: JSON.stringify(event), ...route.invocation }, limit);

  async function rest(routed: Routed<RestRoute>): Promise<HttpResult> {
    const { request, route } = routed;
    if (route.integration === 'lambda') return restLambda(routed);
    const requestId = settings.newUuid();
    const nowMs = settings.now();
    const event = v1Event({
      request,
      body: bodyOf(request, route.isBinary),
      resource: route.resourcePath,
      path: routed.path,
      pathParameters: routed.pathParameters,
      stagePath: `/${identity.stage}`,
      stage: identity.stage,
      apiId: identity.restApiId,
      domainName: restDomain,
      resourceId: route.resourceId,
      accountId: identity.accountId,
      requestId,
      extendedRequestId: shortRequestId(requestId),
      nowMs,
      time: formatTime(nowMs),
    });
    const settled = await invoke(route, event, settings.restTimeoutMs);
    const result = restOutcome(settled, () => route.isBinary(mediaTypeOf(header(request, 'accept'))));
    result.headers['x-amzn-RequestId'] = requestId;
    return result;
  }

  function restOutcome(settled: Settled, decodeBase64: () => boolean): HttpResult {
    if (settled.type === 'timeout') return restResponses.timeout();
    if (settled.type === 'rejected') return restResponses.invokeRejected();
    if (settled.outcome.functionError) return restResponses.badGateway();
    return v1Response(settled.outcome.payload, decodeBase64) ?? restResponses.badGateway();
  }

  async function restLambda({ request, route, pathParameters }: Routed<RestRoute>): Promise<HttpResult> {
    const rendered = lambdaIntegrationEvent({
      request,
      stage: identity.stage,
      resourcePath: route.resourcePath,
      pathParameters,
    });
    if (!rendered.ok) {
      return rendered.statusCode === 415
        ? restResponses.unsupportedMediaType()
        : restResponses.badRequest(rendered.message);
    }
    const cors = route.cors ? restIntegrationCorsHeaders(route.cors) : undefined;
    if (route.invocation.type === 'Event') {
      const settled = await invoke(route, rendered.event);
      if (settled.type !== 'outcome') return restResponses.invokeRejected();
      // Lambda answers an Event invocation with an empty body, which the default 200 passes through.
      return { statusCode: 200, headers: { 'Content-Type': 'application/json', ...cors }, body: '' };
    }
    const settled = await invoke(route, rendered.event, settings.restTimeoutMs);
    if (settled.type === 'timeout') return restResponses.timeout();
    if (settled.type === 'rejected') return restResponses.invokeRejected();
    return lambdaIntegrationResponse(settled.outcome, cors);
  }

  async function httpApi({
    request,
    route,
    path,
    pathParameters,
  }: Routed<HttpApiRoute>): Promise<HttpResult> {
    const uuid = settings.newUuid();
    const requestId = shortRequestId(uuid);
    const nowMs = settings.now();
    const body = textOrBinaryBody(request);
    const event =
      route.payload === '1.0'
        ? v1Event({
            request,
            body,
            resource: route.path,
            path,
            pathParameters,
            stagePath: '',
            stage: '$default',
            apiId: identity.httpApiId,
            domainName: httpApiDomain,
            resourceId: null,
            accountId: identity.accountId,
            requestId,
            extendedRequestId: requestId,
            nowMs,
            time: formatTime(nowMs),
            version: '1.0',
          })
        : v2Event({
            request,
            body,
            routeKey: route.routeKey,
            rawPath: path,
            pathParameters,
            apiId: identity.httpApiId,
            domainName: httpApiDomain,
            accountId: identity.accountId,
            requestId,
            nowMs,
            time: formatTime(nowMs),
          });
    const settled = await invoke(route, event, settings.httpApiTimeoutMs);
    let result: HttpResult;
    if (settled.type === 'timeout') result = httpApiResponses.timeout();
    else if (settled.type === 'rejected' || settled.outcome.functionError)
      result = httpApiResponses.internalServerError();
    else {
      const { payload } = settled.outcome;
      const mapped =
        route.payload === '1.0' ? v1Response(payload, () => true) : v2Response(payload, 'httpApi');
      result = mapped ?? httpApiResponses.internalServerError();
    }
    result.headers['apigw-requestid'] = requestId;
    return table.httpApiCors ? withApiCors(result, table.httpApiCors, header(request, 'origin')) : result;
  }

  async function alb({ request, route }: Routed<AlbRoute>): Promise<HttpResult> {
    const event = albEvent({
      request,
      body: textOrBinaryBody(request),
      targetGroupArn: route.targetGroupArn,
      multiValueHeaders: route.multiValueHeaders,
    });
    // ALB has no timeout of its own: it waits for the function to answer or time out.
    const settled = await invoke(route, event);
    if (settled.type !== 'outcome') {
      return isThrottle(settled.type === 'rejected' && settled.error)
        ? albResponses.serviceUnavailable()
        : albResponses.badGateway();
    }
    if (settled.outcome.functionError) return albResponses.badGateway();
    return albResponse(settled.outcome.payload, route.multiValueHeaders) ?? albResponses.badGateway();
  }

  async function url({ request, route, path }: Routed<UrlRoute>): Promise<HttpResult> {
    const nowMs = settings.now();
    const event = functionUrlEvent({
      request,
      body: textOrBinaryBody(request),
      rawPath: path,
      apiId: route.urlId,
      domainName: `${route.urlId}.lambda-url.${identity.region}.on.aws`,
      accountId: identity.accountId,
      requestId: settings.newUuid(),
      nowMs,
      time: formatTime(nowMs),
    });
    const settled = await invoke(route, event);
    let result: HttpResult;
    if (settled.type !== 'outcome') {
      result = isThrottle(settled.type === 'rejected' && settled.error)
        ? urlResponses.throttled()
        : urlResponses.functionError();
    } else if (settled.outcome.functionError) result = urlResponses.functionError();
    else result = v2Response(settled.outcome.payload, 'url') ?? urlResponses.functionError();
    return route.cors ? withApiCors(result, route.cors, header(request, 'origin')) : result;
  }

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
