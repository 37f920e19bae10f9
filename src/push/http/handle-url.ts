import { withApiCors } from './cors';
import { functionUrlEvent } from './events-v2';
import { header, isThrottle, textOrBinaryBody, type FrontContext, type Routed } from './front-context';
import { urlResponses } from './gateway-responses';
import { v2Response } from './responses';
import type { UrlRoute } from './routes';
import type { HttpResult } from './types';

/** Lambda function URLs. */
export function urlHandler({ settings, invoke, formatTime }: FrontContext) {
  return async ({ request, route, path }: Routed<UrlRoute>): Promise<HttpResult> => {
    const nowMs = settings.clock.now();
    const event = functionUrlEvent({
      request,
      body: textOrBinaryBody(request),
      rawPath: path,
      apiId: route.urlId,
      domainName: `${route.urlId}.lambda-url.${settings.identity.region}.on.aws`,
      accountId: settings.identity.accountId,
      requestId: settings.newUuid(),
      nowMs,
      time: formatTime(nowMs),
    });
    const settled = await invoke(route, event);
    let result: HttpResult;
    if (settled.type !== 'outcome') {
      result = isThrottle(settled.type === 'rejected' && settled.error)
        ? urlResponses.throttled()
        : urlResponses.functionError();
    } else if (settled.outcome.functionError) result = urlResponses.functionError();
    else result = v2Response(settled.outcome.payload, 'url') ?? urlResponses.functionError();
    return route.cors ? withApiCors(result, route.cors, header(request, 'origin')) : result;
  };
}
