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
  return async ({ request, route, path, pathParameters }: Routed<HttpApiRoute>): Promise<HttpResult> => {
    const requestId = shortRequestId(settings.newUuid());
    const nowMs = settings.clock.now();
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
  };
}
