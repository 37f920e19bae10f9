import { withApiCors } from './cors';
import { functionUrlEvent } from './events-v2';
import { header, isThrottle, textOrBinaryBody, type FrontContext, type Routed } from './front-context';
import { urlResponses } from './gateway-responses';
import { v2Response } from './responses';
import type { UrlRoute } from './routes';
import type { HttpResult } from './types';

/** Lambda function URLs. */
export function urlHandler({ settings, invoke, formatTime }: FrontContext) {
  return async ({ request, route, path, traceRoot }: Routed<UrlRoute>): Promise<HttpResult> => {
    const nowMs = settings.clock.now();
    const event = functionUrlEvent({
      request,
      body: textOrBinaryBody(request),
      rawPath: path,
      apiId: route.urlId,
      domainName: `${route.urlId}.lambda-url.${settings.identity.region}.on.aws`,
      // AuthType NONE: AWS's captured events say `anonymous`; AWS_IAM: the caller's account.
      accountId: route.fn.url?.authorizer === 'aws_iam' ? settings.identity.accountId : 'anonymous',
      requestId: settings.newUuid(),
      nowMs,
      time: formatTime(nowMs),
    });
    const settled = await invoke(route, event, undefined, traceRoot);
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
