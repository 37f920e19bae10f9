import type { Clock } from '../../clock';
import { LambdaServiceError } from '../../lambda/errors';
import type { Invoker } from '../../lambda/types';
import { eventBody, isTextMediaType, type BinaryTest } from './binary';
import { invokeWithin, type Settled } from './gateway-timeout';
import { requestTimeFormatter } from './ids';
import type { PathParameters } from './path-table';
import { headerOf, mediaTypeOf } from './request';
import type { Route, RouteTable } from './routes';
import type { ApiIdentity, EventBody, IncomingRequest } from './types';

export interface HandlerSettings {
  identity: ApiIdentity;
  /** API Gateway's integration timeouts: REST 29 s, HTTP API 30 s. */
  restTimeoutMs: number;
  httpApiTimeoutMs: number;
  clock: Clock;
  newUuid: () => string;
}

/** A request matched to its route. */
export interface Routed<R> {
  request: IncomingRequest;
  route: R;
  path: string;
  pathParameters: PathParameters | null;
}

/** What every front's handler shares, built once per server. */
export interface FrontContext {
  table: RouteTable;
  settings: HandlerSettings;
  /** `<restApiId>.execute-api.<region>.amazonaws.com`, and the HTTP API's. */
  restDomain: string;
  httpApiDomain: string;
  /** API Gateway's `requestTime`. */
  formatTime: (epochMs: number) => string;
  /** Invokes the route's function as its source does, raced against the front's limit when it has one. */
  invoke(route: Route, event: unknown, limitMs?: number): Promise<Settled>;
}

export function frontContext(table: RouteTable, invoker: Invoker, settings: HandlerSettings): FrontContext {
  const { identity, clock } = settings;
  return {
    table,
    settings,
    restDomain: `${identity.restApiId}.execute-api.${identity.region}.amazonaws.com`,
    httpApiDomain: `${identity.httpApiId}.execute-api.${identity.region}.amazonaws.com`,
    formatTime: requestTimeFormatter(),
    invoke: (route, event, limitMs) =>
      invokeWithin(
        invoker,
        route.fn.name,
        { payload: JSON.stringify(event), ...route.invocation },
        limitMs === undefined ? undefined : { ms: limitMs, clock },
      ),
  };
}

export const header = (request: IncomingRequest, name: string) => headerOf(request.rawHeaders, name);

export const isThrottle = (error: unknown) =>
  error instanceof LambdaServiceError && error.code === 'TooManyRequestsException';

const NO_BODY: EventBody = { body: null, isBase64Encoded: false };

/** The body as the event carries it; `isBinary` judges the request's media type (read only if needed). */
export const bodyOf = (request: IncomingRequest, isBinary: BinaryTest): EventBody =>
  request.body.length === 0
    ? NO_BODY
    : eventBody(request.body, isBinary(mediaTypeOf(header(request, 'content-type'))));

/** HTTP API, function URLs and ALB pass text as is and anything else as base64. */
const isNotText: BinaryTest = (mediaType) => !isTextMediaType(mediaType);
export const textOrBinaryBody = (request: IncomingRequest) => bodyOf(request, isNotText);
