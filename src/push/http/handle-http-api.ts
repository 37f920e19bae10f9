import { applyToV1Event, applyToV2Event } from './authorizers/grant';
import { httpApiGuard, type HttpApiGuard } from './authorizers/http-api-guard';
import { withApiCors } from './cors';
import { v1Event } from './events-v1';
import { v2Event } from './events-v2';
import { header, textOrBinaryBody, type FrontContext, type Routed } from './front-context';
import { httpApiResponses } from './gateway-responses';
import { shortRequestId } from './ids';
import { v1Response, v2Response } from './responses';
import type { HttpApiRoute } from './routes';
import type { HttpResult } from './types';

/** HTTP API (`httpApi`) routes: payload 2.0, or 1.0 where the function or provider asks for it. */
export function httpApiHandler({ settings, invoke, formatTime, httpApiDomain, table }: FrontContext) {
  const { identity } = settings;
  const guards = new Map<HttpApiRoute, HttpApiGuard | undefined>();
  const guardOf = (route: HttpApiRoute) => {
    if (!guards.has(route)) guards.set(route, httpApiGuard(route, settings));
    return guards.get(route);
  };
  return async ({
    request,
    route,
    path,
    pathParameters,
    traceRoot,
  }: Routed<HttpApiRoute>): Promise<HttpResult> => {
    const requestId = shortRequestId(settings.newUuid());
    const nowMs = settings.clock.now();
    const body = textOrBinaryBody(request);
    const v1 = memo(() =>
      v1Event({
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
        lowerCaseHeaders: true,
      }),
    );
    const v2 = memo(() =>
      v2Event({
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
      }),
    );
    // The authorizer's payload version may differ from the route's: it builds the event it needs.
    const guarded = await guardOf(route)?.({ request, path, v1, v2 });
    let result: HttpResult;
    if (guarded?.ok === false) result = guarded.response;
    else if (route.payload === '1.0') {
      const event = v1();
      if (guarded) applyToV1Event(event, guarded.grant);
      result = await integration(route, event, traceRoot);
    } else {
      const event = v2();
      if (guarded) applyToV2Event(event, guarded.grant);
      result = await integration(route, event, traceRoot);
    }
    result.headers['apigw-requestid'] = requestId;
    return table.httpApiCors ? withApiCors(result, table.httpApiCors, header(request, 'origin')) : result;
  };

  async function integration(route: HttpApiRoute, event: unknown, traceRoot: string): Promise<HttpResult> {
    const settled = await invoke(route, event, settings.httpApiTimeoutMs, traceRoot);
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
    return result;
  }
}

/** The value `build` returns, built on the first call only. */
function memo<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
