import { sourceInvocation, type SourceInvocation } from '../../classify/origin';
import { buildArn } from '../../service/arn';
import type {
  AlbEvent,
  AuthorizerRef,
  FunctionModel,
  HttpApiEvent,
  HttpEvent,
  ServiceModel,
} from '../../service/model';
import { albTest, type AlbTest } from './alb-conditions';
import type { BinaryTest } from './binary';
import { restCorsOf, urlCorsOf, type ApiCors, type RestCors } from './cors';
import { hexId, resourceIdOf, stableId, urlIdOf } from './ids';
import { lambdaIntegration, type LambdaIntegration } from './lambda-integration';
import { requestValidator, type RequestValidator } from './request-validation';

/**
 * The four kinds of route the HTTP front serves, and how each is made from its event: what the request
 * handler needs per request is computed here once (invocation type, CORS, ids, compiled ALB conditions).
 */

export interface RouteBase {
  fn: FunctionModel;
  /** Its invocations' origin (`http`, `GET /users/{id}`) and invocation type, classified once. */
  invocation: SourceInvocation;
}

export interface RestRoute extends RouteBase {
  kind: 'rest';
  /** Upper-case, or `ANY`. */
  method: string;
  resourcePath: string;
  resourceId: string;
  integration: 'lambda-proxy' | 'lambda';
  cors?: RestCors;
  isBinary: BinaryTest;
  authorizer?: AuthorizerRef;
  /** `private: true`: an API key is required. */
  apiKeyRequired: boolean;
  validate?: RequestValidator;
  /** `integration: lambda`: its templates and integration responses. */
  lambda?: LambdaIntegration;
  /** `response.transferMode: STREAM` on the proxy integration: invoked with response streaming. */
  stream: boolean;
}

export interface HttpApiRoute extends RouteBase {
  kind: 'httpApi';
  /** Upper-case, or `ANY`. */
  method: string;
  /** `GET /users/{id}`, `ANY /x` or `$default`. */
  routeKey: string;
  /** The route's path, or `$default`. */
  path: string;
  payload: '1.0' | '2.0';
  authorizer?: AuthorizerRef;
}

export interface AlbRoute extends RouteBase {
  kind: 'alb';
  priority: number;
  test: AlbTest;
  targetGroupArn: string;
  multiValueHeaders: boolean;
}

export interface UrlRoute extends RouteBase {
  kind: 'url';
  urlId: string;
  cors?: ApiCors;
}

export type Route = RestRoute | HttpApiRoute | AlbRoute | UrlRoute;

/** What the builders need besides the event: the API's settings. */
export interface RouteContext {
  service: ServiceModel;
  restApiId: string;
  isBinary: BinaryTest;
}

const anyMethod = (method: string) => (method === '*' ? 'ANY' : method);

export function restRoute(fn: FunctionModel, event: HttpEvent, context: RouteContext): RestRoute | undefined {
  if (event.integration !== 'lambda-proxy' && event.integration !== 'lambda') return undefined;
  const method = anyMethod(event.method);
  return {
    kind: 'rest',
    fn,
    invocation: sourceInvocation(event, `${method} ${event.path}`),
    method,
    resourcePath: event.path,
    resourceId: resourceIdOf(context.restApiId, event.path),
    integration: event.integration,
    cors: event.cors ? restCorsOf(event.corsSettings, method) : undefined,
    isBinary: context.isBinary,
    authorizer: event.authorizer,
    apiKeyRequired: event.private,
    validate: requestValidator(fn, event),
    lambda: event.integration === 'lambda' ? lambdaIntegration(fn, event) : undefined,
    stream: event.integration === 'lambda-proxy' && event.transferMode === 'STREAM',
  };
}

/** An httpApi route; path `*` is the `$default` route. */
export function httpApiRoute(fn: FunctionModel, event: HttpApiEvent): HttpApiRoute {
  const method = anyMethod(event.method);
  const isDefault = event.path === '*';
  const routeKey = isDefault ? '$default' : `${method} ${event.path}`;
  return {
    kind: 'httpApi',
    fn,
    invocation: sourceInvocation(event, routeKey),
    method,
    routeKey,
    path: isDefault ? '$default' : event.path,
    payload: event.payload,
    authorizer: event.authorizer,
  };
}

export function albRoute(fn: FunctionModel, event: AlbEvent, { service }: RouteContext): AlbRoute {
  const seed = `${service.service}-${fn.key}-${event.index}-${service.stage}`;
  return {
    kind: 'alb',
    fn,
    invocation: sourceInvocation(event, event.conditions.path.join(',') || '*'),
    priority: event.priority,
    test: albTest(event.conditions),
    targetGroupArn: buildArn(
      'elasticloadbalancing',
      service.region,
      service.accountId,
      `targetgroup/${stableId(seed, 32)}/${hexId(`id:${seed}`, 16)}`,
    ),
    multiValueHeaders: event.multiValueHeaders,
  };
}

export function urlRoute(fn: FunctionModel, context: RouteContext): UrlRoute | undefined {
  if (!fn.url) return undefined;
  return {
    kind: 'url',
    fn,
    invocation: sourceInvocation(fn.url),
    urlId: urlIdOf(fn.name, context.service.region),
    cors: fn.url.cors ? urlCorsOf(fn.url.corsSettings) : undefined,
  };
}
