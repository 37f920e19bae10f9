import type {
  ALBEvent,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  LambdaFunctionURLEvent,
} from 'aws-lambda';
import { eventBody } from '../http/binary';
import { albEvent } from '../http/events-alb';
import { lambdaIntegrationEvent, type LambdaIntegrationEvent } from '../http/events-lambda';
import { v1Event } from '../http/events-v1';
import { functionUrlEvent, v2Event } from '../http/events-v2';
import { apiIdOf, requestTime, resourceIdOf, shortRequestId, urlIdOf } from '../http/ids';
import type { PathParameters } from '../http/path-table';
import { albRoute, httpApiRoute } from '../http/route-kinds';
import type { IncomingRequest } from '../http/types';
import type { AlbEvent, HttpApiEvent, HttpEvent, UrlEvent } from '../../service/model';
import { ALPHABETS, asText, CLIENT_IP, derive, FORWARDED_HEADERS, type SampleContext } from './context';

/**
 * Requests to the HTTP fronts' routes, turned into events by the HTTP front's own builders
 * (push/http/events-*.ts), so that a sample is exactly what `sls emulate` sends for such a request,
 * with the headers the AWS front adds (X-Forwarded-*, X-Amzn-Trace-Id) and a client of TEST-NET-3.
 */

/** A concrete path for a route's template: `{id}` -> `sample-id`, `{proxy+}` -> `sample/path`. */
export function concretePath(template: string): { path: string; pathParameters: PathParameters | null } {
  const pathParameters: PathParameters = {};
  const path = template.replace(/\{([^}]+?)(\+?)\}/g, (_, name: string, greedy: string) => {
    const value = greedy ? 'sample/path' : `sample-${name}`;
    pathParameters[name] = value;
    return value;
  });
  return {
    path: path.startsWith('/') ? path : `/${path}`,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
  };
}

/**
 * The body of a sample request: `overrides` as JSON (a string as it is, text/plain unless it is JSON),
 * none without overrides. `jsonOnly` (the framework's templates for `integration: lambda` take JSON and
 * forms only) sends a string that is not JSON as a JSON string.
 */
function bodyOf(overrides: unknown, jsonOnly: boolean): { body: Buffer; contentType?: string } {
  if (overrides === undefined) return { body: Buffer.alloc(0) };
  const json = typeof overrides !== 'string' || isJson(overrides);
  const text = json ? asText(overrides) : jsonOnly ? JSON.stringify(overrides) : (overrides as string);
  return {
    body: Buffer.from(text, 'utf8'),
    contentType: json || jsonOnly ? 'application/json' : 'text/plain',
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The method a route gets: its own, or for ANY (`*`) GET, POST when the sample has a body. */
function methodOf(method: string | undefined, hasBody: boolean): string {
  const upper = (method ?? '').toUpperCase();
  return upper === '' || upper === 'ANY' || upper === '*' ? (hasBody ? 'POST' : 'GET') : upper;
}

function request(
  context: SampleContext,
  method: string | undefined,
  path: string,
  host: string,
  jsonOnly = false,
): IncomingRequest {
  const { body, contentType } = bodyOf(context.overrides, jsonOnly);
  const seconds = Math.floor(context.now.getTime() / 1000).toString(16);
  const rawHeaders = [
    'Host',
    host,
    'User-Agent',
    'curl/8.5.0',
    'Accept',
    '*/*',
    ...(contentType ? ['Content-Type', contentType, 'Content-Length', String(body.length)] : []),
    'X-Amzn-Trace-Id',
    `Root=1-${seconds}-${derive(context.newId(), 24, ALPHABETS.hex)}`,
    ...FORWARDED_HEADERS,
  ];
  return {
    method: methodOf(method, body.length > 0),
    path,
    rawQuery: '',
    rawHeaders,
    body,
    sourceIp: CLIENT_IP,
    localPort: 443,
    protocol: 'HTTP/1.1',
  };
}

const textBody = (incoming: IncomingRequest) => eventBody(incoming.body, false);

/**
 * A REST API (`http`) event: the proxy event (payload 1.0) under the stage, or for
 * `integration: lambda` what the framework's default request template renders.
 */
export function httpEvent(
  spec: HttpEvent,
  context: SampleContext,
): APIGatewayProxyEvent | LambdaIntegrationEvent {
  const { service, now, newId } = context;
  const restApiId = apiIdOf(service.service, service.stage, 'rest');
  const domainName = `${restApiId}.execute-api.${service.region}.amazonaws.com`;
  const resource = spec.path.startsWith('/') ? spec.path : `/${spec.path}`;
  const { path, pathParameters } = concretePath(resource);
  const lambda = spec.integration === 'lambda';
  const incoming = request(context, spec.method, `/${service.stage}${path}`, domainName, lambda);
  if (lambda) {
    const rendered = lambdaIntegrationEvent({
      request: incoming,
      stage: service.stage,
      resourcePath: resource,
      pathParameters,
    });
    // The body is JSON, which the template always renders.
    if (!rendered.ok) throw new Error(`the request template refused the sample: ${rendered.message}`);
    return rendered.event;
  }
  const requestId = newId();
  return v1Event({
    request: incoming,
    body: textBody(incoming),
    resource,
    path,
    pathParameters,
    stagePath: `/${service.stage}`,
    stage: service.stage,
    apiId: restApiId,
    domainName,
    resourceId: resourceIdOf(restApiId, resource),
    accountId: service.accountId,
    requestId,
    extendedRequestId: shortRequestId(requestId),
    nowMs: now.getTime(),
    time: requestTime(now.getTime()),
  });
}

/** An HTTP API (`httpApi`) event: payload 2.0, or 1.0 when the route says so; `*` is `$default`. */
export function httpApiEvent(
  spec: HttpApiEvent,
  context: SampleContext,
): APIGatewayProxyEventV2 | APIGatewayProxyEvent {
  const { service, fn, now, newId } = context;
  const route = httpApiRoute(fn, spec);
  const apiId = apiIdOf(service.service, service.stage, 'httpApi');
  const domainName = `${apiId}.execute-api.${service.region}.amazonaws.com`;
  const { path, pathParameters } =
    route.routeKey === '$default' ? concretePath('/') : concretePath(route.path);
  const incoming = request(context, route.method, path, domainName);
  const requestId = shortRequestId(newId());
  const common = {
    request: incoming,
    body: textBody(incoming),
    pathParameters,
    apiId,
    domainName,
    accountId: service.accountId,
    requestId,
    nowMs: now.getTime(),
    time: requestTime(now.getTime()),
  };
  if (route.payload === '1.0') {
    return v1Event({
      ...common,
      resource: route.path,
      path,
      stagePath: '',
      stage: '$default',
      resourceId: null,
      extendedRequestId: requestId,
      version: '1.0',
    });
  }
  return v2Event({ ...common, routeKey: route.routeKey, rawPath: path });
}

/** An Application Load Balancer event for a request the listener rule's conditions route here. */
export function albSampleEvent(spec: AlbEvent, context: SampleContext): ALBEvent {
  const { service, fn } = context;
  const route = albRoute(fn, spec, {
    service,
    restApiId: apiIdOf(service.service, service.stage, 'rest'),
    isBinary: () => false,
  });
  const fill = (pattern: string) => pattern.replace(/\*/g, 'sample').replace(/\?/g, 'x');
  const path = fill(spec.conditions.path[0] ?? '/');
  const host = spec.conditions.host[0]
    ? fill(spec.conditions.host[0])
    : `${service.service}-${service.stage}-${derive(`alb:${service.service}`, 10, ALPHABETS.digits)}.${service.region}.elb.amazonaws.com`;
  const incoming = request(
    context,
    spec.conditions.method[0],
    path.startsWith('/') ? path : `/${path}`,
    host,
  );
  return albEvent({
    request: incoming,
    body: textBody(incoming),
    targetGroupArn: route.targetGroupArn,
    multiValueHeaders: spec.multiValueHeaders,
  });
}

/** A function URL event (payload 2.0, route `$default`) for a request to the URL's root. */
export function urlEvent(_spec: UrlEvent, context: SampleContext): LambdaFunctionURLEvent {
  const { service, fn, now, newId } = context;
  const urlId = urlIdOf(fn.name, service.region);
  const domainName = `${urlId}.lambda-url.${service.region}.on.aws`;
  const incoming = request(context, undefined, '/', domainName);
  return functionUrlEvent({
    request: incoming,
    body: textBody(incoming),
    rawPath: '/',
    apiId: urlId,
    domainName,
    accountId: service.accountId,
    requestId: newId(),
    nowMs: now.getTime(),
    time: requestTime(now.getTime()),
  });
}
