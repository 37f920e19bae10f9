import { restIntegrationCorsHeaders } from './cors';
import { lambdaIntegrationEvent } from './events-lambda';
import { v1Event } from './events-v1';
import { bodyOf, header, type FrontContext, type Routed } from './front-context';
import { restResponses } from './gateway-responses';
import type { Settled } from './gateway-timeout';
import { shortRequestId } from './ids';
import { mediaTypeOf } from './request';
import { v1Response } from './responses';
import { lambdaIntegrationResponse } from './responses-lambda';
import type { RestRoute } from './routes';
import type { HttpResult } from './types';

/** REST API (`http`) routes: the Lambda proxy integration (payload 1.0) and the `lambda` integration. */
export function restHandler(context: FrontContext) {
  const { settings, invoke, formatTime, restDomain } = context;
  const { identity } = settings;

  async function proxy(routed: Routed<RestRoute>): Promise<HttpResult> {
    const { request, route } = routed;
    const requestId = settings.newUuid();
    const nowMs = settings.clock.now();
    const event = v1Event({
      request,
      body: bodyOf(request, route.isBinary),
      resource: route.resourcePath,
      path: routed.path,
      pathParameters: routed.pathParameters,
      stagePath: `/${identity.stage}`,
      stage: identity.stage,
      apiId: identity.restApiId,
      domainName: restDomain,
      resourceId: route.resourceId,
      accountId: identity.accountId,
      requestId,
      extendedRequestId: shortRequestId(requestId),
      nowMs,
      time: formatTime(nowMs),
    });
    const settled = await invoke(route, event, settings.restTimeoutMs);
    const result = proxyOutcome(settled, () => route.isBinary(mediaTypeOf(header(request, 'accept'))));
    result.headers['x-amzn-RequestId'] = requestId;
    return result;
  }

  function proxyOutcome(settled: Settled, decodeBase64: () => boolean): HttpResult {
    if (settled.type === 'timeout') return restResponses.timeout();
    if (settled.type === 'rejected') return restResponses.invokeRejected();
    if (settled.outcome.functionError) return restResponses.badGateway();
    return v1Response(settled.outcome.payload, decodeBase64) ?? restResponses.badGateway();
  }

  async function lambda({ request, route, pathParameters }: Routed<RestRoute>): Promise<HttpResult> {
    const rendered = lambdaIntegrationEvent({
      request,
      stage: identity.stage,
      resourcePath: route.resourcePath,
      pathParameters,
    });
    if (!rendered.ok) {
      return rendered.statusCode === 415
        ? restResponses.unsupportedMediaType()
        : restResponses.badRequest(rendered.message);
    }
    const cors = route.cors ? restIntegrationCorsHeaders(route.cors) : undefined;
    if (route.invocation.type === 'Event') {
      const settled = await invoke(route, rendered.event);
      if (settled.type !== 'outcome') return restResponses.invokeRejected();
      // Lambda answers an Event invocation with an empty body, which the default 200 passes through.
      return { statusCode: 200, headers: { 'Content-Type': 'application/json', ...cors }, body: '' };
    }
    const settled = await invoke(route, rendered.event, settings.restTimeoutMs);
    if (settled.type === 'timeout') return restResponses.timeout();
    if (settled.type === 'rejected') return restResponses.invokeRejected();
    return lambdaIntegrationResponse(settled.outcome, cors);
  }

  return (routed: Routed<RestRoute>) =>
    routed.route.integration === 'lambda' ? lambda(routed) : proxy(routed);
}
