import { describe } from '../intrinsics';
import type { AlbEvent, AuthorizerRef, HttpApiEvent, HttpEvent, UrlEvent, WebsocketEvent } from '../model';
import { ConfigReader } from '../reader';
import { resolveReference, type Catalog } from '../references';
import { isObject } from '../values';
import type { EventParser } from './context';

const INTEGRATION_ALIASES: Record<string, string> = {
  'aws-proxy': 'lambda-proxy',
  aws_proxy: 'lambda-proxy',
  aws: 'lambda',
};

/** `"GET /path"` into method and path, as the framework reads the string shorthand. */
function splitRoute(reader: ConfigReader, route: string): { method: string; path: string } {
  const parts = route.trim().split(/\s+/);
  if (parts.length !== 2) reader.fail(undefined, `must be "<METHOD> <path>", got "${route}"`);
  return { method: parts[0], path: parts[1] };
}

const normalizePath = (path: string) => (path.startsWith('/') ? path : `/${path}`);

export const parseHttp: EventParser<HttpEvent> = (r, { index, catalog }) => {
  const route =
    typeof r.value === 'string'
      ? splitRoute(r, r.value)
      : {
          method: r.requiredString('method', 'the HTTP method, e.g. get, post or any'),
          path: r.requiredString('path', 'the resource path, e.g. users/{id}'),
        };
  const async = r.boolean('async', false);
  const integration = r.string('integration') ?? (async ? 'lambda' : 'lambda-proxy');
  return {
    type: 'http',
    index,
    method: route.method.toUpperCase(),
    path: normalizePath(route.path),
    integration: INTEGRATION_ALIASES[integration.toLowerCase()] ?? integration.toLowerCase(),
    async,
    cors: r.has('cors') && r.raw('cors') !== false,
    corsSettings: r.raw('cors') ?? undefined,
    private: r.boolean('private', false),
    authorizer: authorizerOf(r.raw('authorizer'), catalog),
  };
};

export const parseHttpApi: EventParser<HttpApiEvent> = (r, { index, provider, catalog }) => {
  const route =
    typeof r.value === 'string'
      ? r.value.trim() === '*'
        ? { method: '*', path: '*' }
        : splitRoute(r, r.value)
      : {
          method: r.string('method') ?? '*',
          path: r.requiredString('path', 'the route path, e.g. /users/{id}'),
        };
  return {
    type: 'httpApi',
    index,
    method: route.method === '*' ? '*' : route.method.toUpperCase(),
    path: route.path === '*' ? '*' : normalizePath(route.path),
    payload: provider.httpApiPayload,
    authorizer: httpApiAuthorizer(r.raw('authorizer'), provider.httpApiAuthorizers, catalog),
  };
};

export const parseWebsocket: EventParser<WebsocketEvent> = (r, { index, provider, catalog }) => ({
  type: 'websocket',
  index,
  route:
    typeof r.value === 'string' ? r.value : r.requiredString('route', 'e.g. $connect, $default or an action'),
  routeSelectionExpression: provider.websocketRouteSelection,
  routeResponseSelectionExpression: r.string('routeResponseSelectionExpression'),
  authorizer: authorizerOf(r.raw('authorizer'), catalog),
});

/** An HTTP API route's authorizer: `{ name }` of one in provider.httpApi.authorizers, or `{ type: aws_iam }`. */
function httpApiAuthorizer(value: unknown, declared: Record<string, unknown>, catalog: Catalog) {
  if (!isObject(value))
    return value === undefined || value === null ? undefined : authorizerOf(value, catalog);
  const named = typeof value.name === 'string' ? declared[value.name] : undefined;
  return authorizerOf(
    isObject(named) ? { ...named, name: named.functionName ?? named.functionArn ?? value.name } : value,
    catalog,
  );
}

export const parseAlb: EventParser<AlbEvent> = (r, { index }) => {
  if (!r.has('listenerArn')) r.fail('listenerArn', 'is required (the ALB listener ARN)');
  const conditions = r.child('conditions');
  if (!conditions.isObject) r.fail('conditions', 'is required (path, method, host, header, query or ip)');
  return {
    type: 'alb',
    index,
    listenerArn: describe(r.raw('listenerArn')),
    priority: r.number('priority', { min: 1, max: 50000 }) ?? r.fail('priority', 'is required (1 to 50000)'),
    conditions: {
      path: conditions.strings('path'),
      method: conditions.strings('method').map((m) => m.toUpperCase()),
      host: conditions.strings('host'),
      header: conditions.raw('header'),
      query: conditions.raw('query'),
      ip: conditions.strings('ip'),
    },
    multiValueHeaders: r.boolean('multiValueHeaders', false),
  };
};

/** The function-level `url:` property (a function URL), reported as a source of type `url`. */
export const parseUrl: EventParser<UrlEvent> = (r, { index }) => ({
  type: 'url',
  index,
  authorizer: r.oneOf('authorizer', ['aws_iam'] as const) === 'aws_iam' ? 'aws_iam' : 'none',
  cors: r.has('cors') && r.raw('cors') !== false,
  corsSettings: r.raw('cors') ?? undefined,
  invokeMode: r.oneOf('invokeMode', ['BUFFERED', 'RESPONSE_STREAM'] as const) ?? 'BUFFERED',
});

/** The Lambda authorizer a route names, as a name, an ARN, or an object with name/arn/type. */
function authorizerOf(value: unknown, catalog: Catalog): AuthorizerRef | undefined {
  if (value === undefined || value === null) return undefined;
  const settings = isObject(value) ? value : { name: value };
  const type = typeof settings.type === 'string' ? settings.type.toUpperCase() : undefined;
  const target = settings.arn ?? settings.name ?? settings.functionName ?? settings.functionArn;
  if (typeof target === 'string' && target.toLowerCase() === 'aws_iam')
    return { name: 'aws_iam', type: 'AWS_IAM' };
  if (target === undefined || type === 'COGNITO_USER_POOLS' || type === 'JWT') {
    return { name: describe(target ?? 'authorizer'), type: type ?? 'COGNITO_USER_POOLS' };
  }
  const reference = resolveReference(target, catalog, 'function');
  const functionKey =
    reference.kind === 'function' && reference.status === 'service'
      ? [...catalog.functions].find(([, name]) => name === reference.name)?.[0]
      : undefined;
  return { name: reference.name ?? reference.text, functionKey, type: type ?? 'TOKEN' };
}
