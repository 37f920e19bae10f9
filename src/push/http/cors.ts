import type { HttpResult } from './types';

/**
 * CORS as the framework configures it (serverless 3.40.0):
 * - `http` events: lib/plugins/aws/package/compile/events/api-gateway/lib/validate.js `getCors` gives each
 *   event's settings; events on one path are merged into one OPTIONS method (a MOCK integration, see
 *   lib/cors.js) that answers preflights. Lambda-proxy responses get nothing from API Gateway (the
 *   function adds its own headers); `integration: lambda` responses get Access-Control-Allow-Origin (and
 *   -Credentials) from lib/method/integration.js.
 * - `provider.httpApi.cors` (compile/events/http-api.js) and a function URL's `cors`
 *   (compile/functions.js): the API answers preflights itself and adds the configured headers to every
 *   response, ignoring the function's own CORS headers
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html).
 */

const DEFAULT_HEADERS = [
  'Content-Type',
  'X-Amz-Date',
  'Authorization',
  'X-Api-Key',
  'X-Amz-Security-Token',
  'X-Amz-User-Agent',
  'X-Amzn-Trace-Id',
];
const URL_DEFAULT_HEADERS = DEFAULT_HEADERS.filter((h) => h !== 'X-Amz-User-Agent');
/** HTTP API's methods, which an `ANY` route adds to the allowed methods (http-api.js `allowedMethods`). */
const HTTP_API_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'DELETE'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : undefined;
const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];
/** Escapes what a regular expression would read as syntax, except `*` (the callers' wildcard). */
const escapeExceptStar = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** One `http` event's CORS settings after the framework's `getCors`. */
export interface RestCors {
  origin?: string;
  origins: string[];
  headers: string[];
  methods: string[];
  allowCredentials: boolean;
  maxAge?: number;
  cacheControl?: string;
}

/** `cors: true` or the `cors` object of an `http` event with method `method`. */
export function restCorsOf(raw: unknown, method: string): RestCors {
  const upper = method.toUpperCase();
  if (!isObject(raw)) {
    return {
      origin: '*',
      origins: [],
      headers: DEFAULT_HEADERS,
      methods: ['OPTIONS', upper],
      allowCredentials: false,
    };
  }
  const origins = strings(raw.origins);
  const methods = [...(strings(raw.methods) ?? [])];
  if (!methods.includes('OPTIONS')) methods.push('OPTIONS');
  if (!methods.includes(upper)) methods.push(upper);
  return {
    origin: origins ? (typeof raw.origin === 'string' ? raw.origin : undefined) : String(raw.origin ?? '*'),
    origins: origins ?? [],
    headers: strings(raw.headers) ?? DEFAULT_HEADERS,
    methods,
    allowCredentials: Boolean(raw.allowCredentials),
    maxAge: typeof raw.maxAge === 'number' ? raw.maxAge : undefined,
    cacheControl: typeof raw.cacheControl === 'string' ? raw.cacheControl : undefined,
  };
}

/** The settings of every event on one path merged as validate.js does (later events win origin, maxAge). */
export function mergeRestCors(configs: readonly RestCors[]): RestCors {
  let merged: RestCors = { origins: [], headers: [], methods: [], allowCredentials: false };
  for (const cors of configs) {
    merged = {
      origin: cors.origin,
      origins: union(cors.origins, merged.origins),
      headers: union(cors.headers, merged.headers),
      methods: union(cors.methods, merged.methods),
      allowCredentials: merged.allowCredentials || cors.allowCredentials,
      maxAge: cors.maxAge || merged.maxAge,
      cacheControl: cors.cacheControl || merged.cacheControl,
    };
  }
  return merged;
}

/** A path's OPTIONS method, compiled once: its fixed headers and the origins it may echo. */
export interface RestPreflight {
  headers: Record<string, string>;
  echoOrigins: RegExp[];
}

export function restPreflight(cors: RestCors): RestPreflight {
  let origin = cors.origin;
  let origins = cors.origins;
  if (origin && origin.includes(',')) origins = origin.split(',').map((o) => o.trim());
  if (origins.length > 0) origin = origins[0];
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': String(origin),
    'Access-Control-Allow-Headers': cors.headers.join(','),
    'Access-Control-Allow-Methods': cors.methods.join(',').replace('ANY', 'DELETE,GET,HEAD,PATCH,POST,PUT'),
  };
  if (cors.allowCredentials) headers['Access-Control-Allow-Credentials'] = 'true';
  if (cors.maxAge) headers['Access-Control-Max-Age'] = String(cors.maxAge);
  if (cors.cacheControl) headers['Cache-Control'] = cors.cacheControl;
  // cors.js regexifyWildcards: dots are literal, the first `*` is `.+`; the template echoes a match.
  const echoOrigins = origins.map((o) => new RegExp(`^(?:${escapeExceptStar(o).replace('*', '.+')})$`));
  return { headers, echoOrigins };
}

/** The MOCK OPTIONS method's answer: 200, the headers, an empty body. */
export function restPreflightResponse(
  preflight: RestPreflight,
  requestOrigin: string | undefined,
): HttpResult {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...preflight.headers };
  if (requestOrigin && preflight.echoOrigins.some((re) => re.test(requestOrigin))) {
    headers['Access-Control-Allow-Origin'] = requestOrigin;
  }
  return { statusCode: 200, headers, body: '' };
}

/** What integration.js adds to every response of an `integration: lambda` method with CORS. */
export function restIntegrationCorsHeaders(cors: RestCors): Record<string, string> {
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': cors.origins.length > 0 ? cors.origins.join(',') : String(cors.origin),
  };
  if (cors.allowCredentials) headers['Access-Control-Allow-Credentials'] = 'true';
  return headers;
}

/** HTTP API or function URL CORS, compiled once. */
export interface ApiCors {
  allowOrigin: (origin: string) => string | undefined;
  allowCredentials: boolean;
  allowHeaders?: string;
  allowMethods?: string;
  exposeHeaders?: string;
  maxAge?: number;
}

function compileOrigins(origins: readonly string[]): (origin: string) => string | undefined {
  if (origins.includes('*')) return () => '*';
  const patterns = origins.map((o) => new RegExp(`^${escapeExceptStar(o).replaceAll('*', '.*')}$`));
  return (origin) => (patterns.some((re) => re.test(origin)) ? origin : undefined);
}

function apiCors(
  raw: unknown,
  defaultHeaders: readonly string[],
  defaultMethods: readonly string[] | undefined,
): ApiCors {
  const config = isObject(raw) ? raw : {};
  const origins = config.allowedOrigins === null ? [] : (strings(config.allowedOrigins) ?? ['*']);
  const headers = config.allowedHeaders === null ? [] : (strings(config.allowedHeaders) ?? defaultHeaders);
  const methods =
    config.allowedMethods === null ? [] : (strings(config.allowedMethods) ?? defaultMethods ?? []);
  const expose = strings(config.exposedResponseHeaders);
  return {
    allowOrigin: compileOrigins(origins),
    allowCredentials: Boolean(config.allowCredentials),
    allowHeaders: headers.length > 0 ? headers.join(',') : undefined,
    allowMethods: methods.length > 0 ? methods.join(',') : undefined,
    exposeHeaders: expose && expose.length > 0 ? expose.join(',') : undefined,
    maxAge: typeof config.maxAge === 'number' ? config.maxAge : undefined,
  };
}

/**
 * `provider.httpApi.cors` (true or an object). Without `allowedMethods` the framework allows OPTIONS plus
 * every route's method (all methods for an `ANY` or `*` route): `routeMethods` lists the routes' methods.
 */
export function httpApiCorsOf(raw: unknown, routeMethods: readonly string[]): ApiCors {
  const methods = new Set(['OPTIONS']);
  for (const method of routeMethods) {
    if (method === 'ANY') for (const m of HTTP_API_METHODS) methods.add(m);
    else methods.add(method);
  }
  return apiCors(raw, DEFAULT_HEADERS, [...methods]);
}

/** A function URL's `cors` (true or an object): defaults Allow-Origin `*`, Allow-Methods `*`. */
export const urlCorsOf = (raw: unknown): ApiCors => apiCors(raw, URL_DEFAULT_HEADERS, ['*']);

/** The API's answer to a preflight: 204 with the CORS headers when the origin is allowed. */
export function apiPreflightResponse(cors: ApiCors, requestOrigin: string | undefined): HttpResult {
  const headers: Record<string, string> = {};
  const origin = requestOrigin === undefined ? undefined : cors.allowOrigin(requestOrigin);
  if (origin !== undefined) {
    headers['access-control-allow-origin'] = origin;
    if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
    if (cors.allowHeaders) headers['access-control-allow-headers'] = cors.allowHeaders;
    if (cors.allowMethods) headers['access-control-allow-methods'] = cors.allowMethods;
    if (cors.exposeHeaders) headers['access-control-expose-headers'] = cors.exposeHeaders;
    if (cors.maxAge !== undefined) headers['access-control-max-age'] = String(cors.maxAge);
  }
  return { statusCode: 204, headers, body: '' };
}

/** Replaces the function's CORS headers with the API's on a response to a request from `requestOrigin`. */
export function withApiCors(
  result: HttpResult,
  cors: ApiCors,
  requestOrigin: string | undefined,
): HttpResult {
  const headers: HttpResult['headers'] = {};
  for (const name in result.headers) {
    if (!name.toLowerCase().startsWith('access-control-')) headers[name] = result.headers[name];
  }
  const origin = requestOrigin === undefined ? undefined : cors.allowOrigin(requestOrigin);
  if (origin !== undefined) {
    headers['access-control-allow-origin'] = origin;
    if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
    if (cors.exposeHeaders) headers['access-control-expose-headers'] = cors.exposeHeaders;
  }
  return { ...result, headers };
}
