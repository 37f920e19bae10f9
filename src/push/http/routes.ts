import type { AuthorizerRef, ServiceModel } from '../../service/model';
import { binaryMediaTypesTest } from './binary';
import {
  httpApiCorsOf,
  mergeRestCors,
  restPreflight,
  type ApiCors,
  type RestCors,
  type RestPreflight,
} from './cors';
import { apiIdOf } from './ids';
import { PathTable, type PathParameters } from './path-table';
import { headerOf } from './request';
import {
  albRoute,
  httpApiRoute,
  restRoute,
  urlRoute,
  type AlbRoute,
  type HttpApiRoute,
  type RestRoute,
  type Route,
  type RouteContext,
  type UrlRoute,
} from './route-kinds';
import type { IncomingRequest } from './types';

export type { AlbRoute, HttpApiRoute, RestRoute, Route, UrlRoute };

/**
 * The route table of one HTTP server, built once from the ServiceModel: `http` (REST API, under
 * `/{stage}` unless `noStagePrefix`), `httpApi`, `alb` listener rules and function URLs (under
 * `/lambda-url/{functionKey}`). A request is tried against, in order: function URLs, REST API, HTTP API
 * (a preflight first when HTTP API CORS is on), ALB rules by priority, HTTP API's `$default`.
 */

export interface RouteOptions {
  noStagePrefix?: boolean;
  /** `provider.apiGateway.binaryMediaTypes` (the ServiceModel does not carry it yet). */
  binaryMediaTypes?: readonly string[];
  /** `provider.httpApi.cors` (true or an object). */
  httpApiCors?: unknown;
}

export type Match =
  /** `path`: the path as the front presents it (without the stage or function URL prefix). */
  | { type: 'route'; route: Route; path: string; pathParameters: PathParameters | null }
  | { type: 'restPreflight'; preflight: RestPreflight }
  | { type: 'apiPreflight'; cors: ApiCors }
  /** Nothing matched: `rest` when the path was under the REST stage prefix (API Gateway answers 403). */
  | { type: 'none'; front: 'rest' | 'httpApi' };

export interface RouteInfo {
  kind: Route['kind'];
  method: string;
  /** The path on this server: `/dev/users/{id}`, `/lambda-url/api/`, an ALB pattern, or `*`. */
  path: string;
  function: string;
  authorizer?: AuthorizerRef;
}

interface RestResource {
  methods: Map<string, RestRoute>;
  cors: RestCors[];
  preflight?: RestPreflight;
}

const URL_PREFIX = '/lambda-url/';
const NO_METHOD = { type: 'none', front: 'rest' } as const;
const isPreflight = (request: IncomingRequest) =>
  request.method === 'OPTIONS' &&
  headerOf(request.rawHeaders, 'origin') !== undefined &&
  headerOf(request.rawHeaders, 'access-control-request-method') !== undefined;

export class RouteTable {
  private readonly rest: PathTable<RestResource>;
  private readonly httpApi: PathTable<Map<string, HttpApiRoute>>;
  private httpApiDefault?: HttpApiRoute;
  private readonly alb: AlbRoute[] = [];
  private readonly urls = new Map<string, UrlRoute>();
  private readonly stagePrefix: string;
  private readonly infos: RouteInfo[] = [];
  /** HTTP API CORS, when `provider.httpApi.cors` is set. */
  readonly httpApiCors?: ApiCors;

  constructor(service: ServiceModel, options: RouteOptions = {}) {
    this.stagePrefix = options.noStagePrefix ? '' : `/${service.stage}`;
    const context: RouteContext = {
      service,
      restApiId: apiIdOf(service.service, service.stage, 'rest'),
      isBinary: binaryMediaTypesTest(options.binaryMediaTypes),
    };
    const restResources = new Map<string, RestResource>();
    const httpApiPaths = new Map<string, Map<string, HttpApiRoute>>();
    for (const fn of service.functions) {
      for (const event of fn.events) {
        if (event.type === 'http') {
          const route = restRoute(fn, event, context);
          if (!route) continue;
          const resource: RestResource = restResources.get(route.resourcePath) ?? {
            methods: new Map(),
            cors: [],
          };
          restResources.set(route.resourcePath, resource);
          resource.methods.set(route.method, route);
          if (route.cors) resource.cors.push(route.cors);
          this.infos.push({
            kind: 'rest',
            method: route.method,
            path: this.stagePrefix + route.resourcePath,
            function: fn.key,
            authorizer: route.authorizer,
          });
        } else if (event.type === 'httpApi') {
          const route = httpApiRoute(fn, event);
          if (route.routeKey === '$default') this.httpApiDefault = route;
          else {
            const methods = httpApiPaths.get(event.path) ?? new Map<string, HttpApiRoute>();
            httpApiPaths.set(event.path, methods);
            methods.set(route.method, route);
          }
          this.infos.push({
            kind: 'httpApi',
            method: route.method,
            path: event.path,
            function: fn.key,
            authorizer: route.authorizer,
          });
        } else if (event.type === 'alb') {
          this.alb.push(albRoute(fn, event, context));
          const method = event.conditions.method.join(',') || 'ANY';
          for (const path of event.conditions.path.length > 0 ? event.conditions.path : ['*']) {
            this.infos.push({ kind: 'alb', method, path, function: fn.key });
          }
        }
      }
      const url = urlRoute(fn, context);
      if (url) {
        this.urls.set(fn.key, url);
        this.infos.push({ kind: 'url', method: 'ANY', path: `${URL_PREFIX}${fn.key}/`, function: fn.key });
      }
    }
    for (const resource of restResources.values()) {
      // The framework's OPTIONS method for CORS, unless the service defines its own.
      if (resource.cors.length > 0 && !resource.methods.has('OPTIONS')) {
        resource.preflight = restPreflight(mergeRestCors(resource.cors));
      }
    }
    this.alb.sort((a, b) => a.priority - b.priority);
    this.rest = new PathTable(restResources);
    this.httpApi = new PathTable(httpApiPaths);
    if (options.httpApiCors) {
      const methods = [...httpApiPaths.values()].flatMap((m) => [...m.keys()]);
      if (this.httpApiDefault) methods.push('ANY');
      this.httpApiCors = httpApiCorsOf(options.httpApiCors, methods);
    }
  }

  /** Every route, for the listing `sls emulate` prints. */
  list(): RouteInfo[] {
    return this.infos;
  }

  match(request: IncomingRequest): Match {
    const { path, method } = request;
    if (this.urls.size > 0 && path.startsWith(URL_PREFIX)) {
      const end = path.indexOf('/', URL_PREFIX.length);
      const route = this.urls.get(path.slice(URL_PREFIX.length, end === -1 ? undefined : end));
      if (route) {
        if (route.cors && isPreflight(request)) return { type: 'apiPreflight', cors: route.cors };
        return { type: 'route', route, path: end === -1 ? '/' : path.slice(end), pathParameters: null };
      }
    }
    let underStage = false;
    if (this.rest.size > 0) {
      const restPath = this.restPath(path);
      if (restPath !== undefined) {
        // Without the stage prefix every path is the REST API's, unless an HTTP API shares the root.
        underStage = this.stagePrefix !== '' || (this.httpApi.size === 0 && !this.httpApiDefault);
        const found = this.rest.find<Match>(restPath, (resource, pathParameters) => {
          const route = resource.methods.get(method);
          if (route) return { type: 'route', route, path: restPath, pathParameters };
          if (method === 'OPTIONS' && resource.preflight) {
            return { type: 'restPreflight', preflight: resource.preflight };
          }
          const any = resource.methods.get('ANY');
          return any ? { type: 'route', route: any, path: restPath, pathParameters } : NO_METHOD;
        });
        if (found && found !== NO_METHOD) return found;
      }
    }
    if (this.httpApiCors && isPreflight(request)) return { type: 'apiPreflight', cors: this.httpApiCors };
    const httpApi = this.httpApi.find<Match>(path, (methods, pathParameters) => {
      const route = methods.get(method) ?? methods.get('ANY');
      return route ? { type: 'route', route, path, pathParameters } : undefined;
    });
    if (httpApi) return httpApi;
    for (const route of this.alb) {
      if (route.test(request)) return { type: 'route', route, path, pathParameters: null };
    }
    if (this.httpApiDefault) return { type: 'route', route: this.httpApiDefault, path, pathParameters: null };
    return { type: 'none', front: underStage ? 'rest' : 'httpApi' };
  }

  /** The path inside the REST stage, or undefined when `path` is outside it. */
  private restPath(path: string): string | undefined {
    if (this.stagePrefix === '') return path;
    if (!path.startsWith(this.stagePrefix)) return undefined;
    if (path.length === this.stagePrefix.length) return '/';
    return path[this.stagePrefix.length] === '/' ? path.slice(this.stagePrefix.length) : undefined;
  }
}
