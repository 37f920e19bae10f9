import { applyToLambdaEvent, applyToV1Event } from './authorizers/grant';
import { restGuard, type RestGuard } from './authorizers/rest-guard';
import { restIntegrationCorsHeaders } from './cors';
import { v1Event, type V1Event } from './events-v1';
import { bodyOf, header, type FrontContext, type Routed } from './front-context';
import { restResponses } from './gateway-responses';
import type { Settled } from './gateway-timeout';
import { deploymentIdOf, shortRequestId } from './ids';
import type { LambdaIntegration, TemplateScope } from './lambda-integration';
import { mediaTypeOf } from './request';
import { v1Response } from './responses';
import { restStreamed, restStreamLimits } from './rest-stream';
import type { RestRoute } from './routes';
import type { HttpResult } from './types';

/**
 * REST API (`http`) routes: the Lambda proxy integration (payload 1.0), streamed with `transferMode:
 * STREAM` (rest-stream.ts), and the `lambda` integration.
 */
export function restHandler(context: FrontContext) {
  const { settings, invoke, invokePayload, formatTime, restDomain } = context;
  const { identity } = settings;
  const deploymentId = deploymentIdOf(identity.restApiId);
  const streamLimits = restStreamLimits(settings.clock, settings.restTimeoutMs, settings.restEndpointType);
  const guards = new Map<RestRoute, RestGuard | undefined>();
  const guardOf = (route: RestRoute) => {
    if (!guards.has(route))
      guards.set(route, restGuard(route, { ...settings, timeoutMs: settings.restTimeoutMs }));
    return guards.get(route);
  };

  function proxyEvent(routed: Routed<RestRoute>, requestId: string): V1Event {
    const { request, route } = routed;
    const nowMs = settings.clock.now();
    return v1Event({
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
      deploymentId,
    });
  }

  /**
   * After the authorizer, as API Gateway orders it: the API key and its usage plan, then the request
   * validator. The key used is written into the identity the integration sees.
   */
  function admit(routed: Routed<RestRoute>, identity: object): HttpResult | undefined {
    const { route, request } = routed;
    if (route.apiKeyRequired) {
      const checked = settings.apiKeys.check(request);
      if (!checked.ok) return checked.result;
      Object.assign(identity, { apiKey: checked.key.value, apiKeyId: checked.key.id });
    }
    return route.validate?.(request, routed.pathParameters);
  }

  async function proxy(routed: Routed<RestRoute>): Promise<HttpResult> {
    const { request, route } = routed;
    const requestId = settings.newUuid();
    const event = proxyEvent(routed, requestId);
    const guarded = await guardOf(route)?.({ request, path: routed.path, event: () => event });
    if (guarded?.ok === false) return guarded.response;
    if (guarded) applyToV1Event(event, guarded.grant);
    const refused = admit(routed, event.requestContext.identity);
    if (refused) return refused;
    const result = route.stream
      ? await restStreamed(streamLimits, (sink) => invoke(route, event, undefined, routed.traceRoot, sink))
      : proxyOutcome(await invoke(route, event, settings.restTimeoutMs, routed.traceRoot), () =>
          route.isBinary(mediaTypeOf(header(request, 'accept'))),
        );
    result.headers['x-amzn-RequestId'] = requestId;
    return result;
  }

  function proxyOutcome(settled: Settled, decodeBase64: () => boolean): HttpResult {
    if (settled.type === 'timeout') return restResponses.timeout();
    if (settled.type === 'rejected') return restResponses.invokeRejected();
    if (settled.outcome.functionError) return restResponses.badGateway();
    return v1Response(settled.outcome.payload, decodeBase64) ?? restResponses.badGateway();
  }

  async function lambda(routed: Routed<RestRoute>): Promise<HttpResult> {
    const { request, route, pathParameters, traceRoot } = routed;
    const integration = route.lambda as LambdaIntegration;
    // The proxy event's requestContext is the templates' `$context`.
    const event = proxyEvent(routed, settings.newUuid());
    const guarded = await guardOf(route)?.({ ...routed, event: () => event });
    if (guarded?.ok === false) return guarded.response;
    if (guarded) applyToV1Event(event, guarded.grant);
    const refused = admit(routed, event.requestContext.identity);
    if (refused) return refused;
    const scope: TemplateScope = {
      context: event.requestContext,
      params: {
        path: (event.pathParameters ?? {}) as Record<string, string>,
        querystring: (event.queryStringParameters ?? {}) as Record<string, string>,
        header: event.headers as Record<string, string>,
      },
      stageVariables: {},
    };
    const input = { request, stage: identity.stage, resourcePath: route.resourcePath, pathParameters };
    const rendered = integration.request(input, scope, (defaultEvent) => {
      if (guarded) applyToLambdaEvent(defaultEvent, guarded.grant);
      const { apiKey, apiKeyId } = event.requestContext.identity;
      if (apiKey) Object.assign(defaultEvent.identity, { apiKey, apiKeyId });
    });
    if (!rendered.ok) return rendered.result;
    const cors = route.cors ? restIntegrationCorsHeaders(route.cors) : undefined;
    if (route.invocation.type === 'Event') {
      const settled = await invokePayload(route, rendered.payload, undefined, traceRoot);
      if (settled.type !== 'outcome') return restResponses.invokeRejected();
      // Lambda answers an Event invocation with an empty body, which the default 200 passes through.
      return { statusCode: 200, headers: { 'Content-Type': 'application/json', ...cors }, body: '' };
    }
    const settled = await invokePayload(route, rendered.payload, settings.restTimeoutMs, traceRoot);
    if (settled.type === 'timeout') return restResponses.timeout();
    if (settled.type === 'rejected') return restResponses.invokeRejected();
    const result = integration.response(settled.outcome, header(request, 'accept'), scope);
    Object.assign(result.headers, cors);
    return result;
  }

  return (routed: Routed<RestRoute>) =>
    routed.route.integration === 'lambda' ? lambda(routed) : proxy(routed);
}
