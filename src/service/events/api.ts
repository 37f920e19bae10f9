import { describe } from '../intrinsics';
import type { AlbEvent, HttpApiEvent, HttpEvent, UrlEvent, WebsocketEvent } from '../model';
import type { ConfigReader } from '../reader';
import { httpApiAuthorizer, restAuthorizer, websocketAuthorizer } from './authorizers';
import type { EventParser } from './context';
import { restRequest, restResponse } from './rest-request';

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

/** Where osls accepts `response.transferMode`: the proxy integrations (the emulator runs lambda-proxy). */
const TRANSFER_MODE_INTEGRATIONS = ['lambda-proxy', 'http-proxy', 'http_proxy'];
const TRANSFER_MODES = ['BUFFERED', 'STREAM'] as const;

/** `response.transferMode`, in any case as osls reads it (upper-cased, only on a proxy integration). */
function transferMode(event: ConfigReader, integration: string): HttpEvent['transferMode'] {
  const response = event.child('response');
  const mode = response.isObject ? response.oneOfIgnoringCase('transferMode', TRANSFER_MODES) : undefined;
  if (mode === undefined) return 'BUFFERED';
  if (!TRANSFER_MODE_INTEGRATIONS.includes(integration)) {
    response.fail(
      'transferMode',
      `can only be used with a proxy integration (lambda-proxy), not ${integration}`,
    );
  }
  return mode;
}

const normalizePath = (path: string) => (path.startsWith('/') ? path : `/${path}`);

export const parseHttp: EventParser<HttpEvent> = (r, { index, catalog, provider }) => {
  const route =
    typeof r.value === 'string'
      ? splitRoute(r, r.value)
      : {
          method: r.requiredString('method', 'the HTTP method, e.g. get, post or any'),
          path: r.requiredString('path', 'the resource path, e.g. users/{id}'),
        };
  const async = r.boolean('async', false);
  const written = r.string('integration') ?? (async ? 'lambda' : 'lambda-proxy');
  const integration = INTEGRATION_ALIASES[written.toLowerCase()] ?? written.toLowerCase();
  return {
    type: 'http',
    index,
    method: route.method.toUpperCase(),
    path: normalizePath(route.path),
    integration,
    async,
    cors: r.has('cors') && r.raw('cors') !== false,
    corsSettings: r.raw('cors') ?? undefined,
    private: r.boolean('private', false),
    authorizer: restAuthorizer(r.child('authorizer'), catalog),
    request: restRequest(r, provider.restSchemas, integration),
    response: restResponse(r, integration),
    transferMode: transferMode(r, integration),
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
    authorizer: httpApiAuthorizer(r.child('authorizer'), provider.httpApiAuthorizers, catalog),
  };
};

export const parseWebsocket: EventParser<WebsocketEvent> = (r, { index, provider, catalog }) => ({
  type: 'websocket',
  index,
  route:
    typeof r.value === 'string' ? r.value : r.requiredString('route', 'e.g. $connect, $default or an action'),
  routeSelectionExpression: provider.websocketRouteSelection,
  routeResponseSelectionExpression: r.string('routeResponseSelectionExpression'),
  authorizer: websocketAuthorizer(r.child('authorizer'), catalog),
});

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
