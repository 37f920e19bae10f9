import { withApiCors } from './cors';
import { functionUrlEvent } from './events-v2';
import { header, isThrottle, textOrBinaryBody, type FrontContext, type Routed } from './front-context';
import type { Settled } from './gateway-timeout';
import { urlResponses } from './gateway-responses';
import { streamedAnswer, type StreamedAnswers } from './prelude-stream';
import { v2Response } from './responses';
import type { UrlRoute } from './routes';
import type { HttpResult } from './types';
import { urlStream } from './url-stream';

/** What the invocation's end answers when nothing was streamed: the front's error answers. */
function failed(settled: Settled): HttpResult | undefined {
  if (settled.type !== 'outcome') {
    return isThrottle(settled.type === 'rejected' && settled.error)
      ? urlResponses.throttled()
      : urlResponses.functionError();
  }
  return settled.outcome.functionError ? urlResponses.functionError() : undefined;
}

/**
 * `invokeMode: RESPONSE_STREAM`: the answer starts as soon as the function has written its status (or
 * its first byte) and each chunk goes to the client as it is written. A function error after that ends
 * the answer where it is; before it, the URL's 502. A handler that does not stream answers its whole
 * payload as the body (https://docs.aws.amazon.com/lambda/latest/dg/config-rs-invoke-furls.html).
 */
const URL_STREAMED: StreamedAnswers = {
  failed,
  unstreamed: (payload) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: payload,
  }),
};

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
    let result: HttpResult;
    if (route.fn.url?.invokeMode === 'RESPONSE_STREAM') {
      const sink = urlStream();
      result = await streamedAnswer(sink, invoke(route, event, undefined, traceRoot, sink), URL_STREAMED);
    } else {
      const settled = await invoke(route, event, undefined, traceRoot);
      const answer = settled.type === 'outcome' ? v2Response(settled.outcome.payload, 'url') : undefined;
      result = failed(settled) ?? answer ?? urlResponses.functionError();
    }
    return route.cors ? withApiCors(result, route.cors, header(request, 'origin')) : result;
  };
}
