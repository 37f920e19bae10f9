import type { Clock } from '../../clock';
import { LambdaServiceError } from '../../lambda/errors';
import type { Invoker } from '../../lambda/types';
import { rootTraceHeader } from '../../lambda/trace-id';
import type { ResponseStreamSink } from '../../runtime/types';
import type { RestApiSettings } from '../../service/model';
import type { ApiKeys } from './api-keys';
import type { Authorizers } from './authorizers/registry';
import { eventBody, isTextMediaType, type BinaryTest } from './binary';
import type { GatewayResponseOverrides } from './gateway-response-overrides';
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
  /** The REST API's endpoint type, which sets a streamed answer's idle timeout. */
  restEndpointType: RestApiSettings['endpointType'];
  clock: Clock;
  newUuid: () => string;
  /** The routes' authorizers, shared by the routes that name the same one. */
  authorizers: Authorizers;
  /** Where the fronts say what the client is not told (an authorizer's failure). */
  log: (line: string) => void;
  /** The REST API's keys and usage plans, and its GatewayResponse resources. */
  apiKeys: ApiKeys;
  gatewayResponses: GatewayResponseOverrides;
}

/** A request matched to its route. */
export interface Routed<R> {
  /** With the headers the front adds (gateway-headers.ts). */
  request: IncomingRequest;
  route: R;
  path: string;
  pathParameters: PathParameters | null;
  /** The trace root of the request's `X-Amzn-Trace-Id`, which its invocation shares. */
  traceRoot: string;
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
  /**
   * Invokes the route's function as its source does, raced against the front's limit when it has one;
   * with `stream`, a streaming handler's bytes go there as it writes them (RESPONSE_STREAM function URLs).
   */
  invoke(
    route: Route,
    event: unknown,
    limitMs?: number,
    traceRoot?: string,
    stream?: ResponseStreamSink,
  ): Promise<Settled>;
  /** The same with the payload as the function gets it (a mapping template's output). */
  invokePayload(route: Route, payload: string, limitMs?: number, traceRoot?: string): Promise<Settled>;
}

export function frontContext(table: RouteTable, invoker: Invoker, settings: HandlerSettings): FrontContext {
  const { identity, clock } = settings;
  const invokePayload = (
    route: Route,
    payload: string,
    limitMs?: number,
    traceRoot?: string,
    stream?: ResponseStreamSink,
  ) =>
    invokeWithin(
      invoker,
      route.fn.name,
      {
        payload,
        type: route.invocation.type,
        origin: route.invocation.origin,
        traceHeader: rootTraceHeader(traceRoot),
        stream,
      },
      limitMs === undefined ? undefined : { ms: limitMs, clock },
    );
  return {
    table,
    settings,
    restDomain: `${identity.restApiId}.execute-api.${identity.region}.amazonaws.com`,
    httpApiDomain: `${identity.httpApiId}.execute-api.${identity.region}.amazonaws.com`,
    formatTime: requestTimeFormatter(),
    invoke: (route, event, limitMs, traceRoot, stream) =>
      invokePayload(route, JSON.stringify(event), limitMs, traceRoot, stream),
    invokePayload,
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
