import { albEvent } from './events-alb';
import { isThrottle, textOrBinaryBody, type FrontContext, type Routed } from './front-context';
import { albResponses } from './gateway-responses';
import { albResponse } from './responses';
import type { AlbRoute } from './routes';
import type { HttpResult } from './types';

/** Application Load Balancer (`alb`) target groups. */
export function albHandler({ invoke }: FrontContext) {
  return async ({ request, route, traceRoot }: Routed<AlbRoute>): Promise<HttpResult> => {
    const event = albEvent({
      request,
      body: textOrBinaryBody(request),
      targetGroupArn: route.targetGroupArn,
      multiValueHeaders: route.multiValueHeaders,
    });
    // ALB has no timeout of its own: it waits for the function to answer or time out.
    const settled = await invoke(route, event, undefined, traceRoot);
    if (settled.type !== 'outcome') {
      return isThrottle(settled.type === 'rejected' && settled.error)
        ? albResponses.serviceUnavailable()
        : albResponses.badGateway();
    }
    if (settled.outcome.functionError) return albResponses.badGateway();
    return albResponse(settled.outcome.payload, route.multiValueHeaders) ?? albResponses.badGateway();
  };
}
