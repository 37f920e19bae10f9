import {
  sourceInvocationOfType,
  originText,
  type SourceInvocation,
  type SourceOrigin,
} from '../classify/origin';
import type { Invoker } from '../lambda/types';

/** What an embedded AWS service hands over when one of its events targets a Lambda function. */
export interface LambdaDelivery {
  functionArn: string;
  /** The event, as JSON text. */
  payload: string;
  origin: SourceOrigin;
  /** The trace of the request that caused the event (its `X-Amzn-Trace-Id`), continued by the invocation. */
  traceHeader?: string;
}

/**
 * The push adapter every embedded service delivers through: it invokes the function the way the
 * delivery's source class says (S3, SNS and EventBridge: asynchronously), classified once per kind.
 */
export function lambdaDeliverer(invoker: Invoker, log: (line: string) => void) {
  const classes = new Map<SourceOrigin['kind'], SourceInvocation>();
  const invocationOf = (kind: SourceOrigin['kind']) => {
    let found = classes.get(kind);
    if (!found) classes.set(kind, (found = sourceInvocationOfType(kind)));
    return found;
  };
  return (delivery: LambdaDelivery): void => {
    const { origin, type } = invocationOf(delivery.origin.kind);
    invoker
      .invoke(delivery.functionArn, {
        payload: delivery.payload,
        type,
        origin: { ...origin, detail: delivery.origin.detail },
        traceHeader: delivery.traceHeader,
      })
      .catch((error: Error) =>
        log(`${originText(delivery.origin)}: ${delivery.functionArn}: ${error.message}`),
      );
  };
}
