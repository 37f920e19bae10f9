import { EVENT_TABLE } from '../classify/table';
import type { Invoker } from '../lambda/types';
import type { EventType } from '../service/model';

/** What an embedded AWS service hands over when one of its events targets a Lambda function. */
export interface LambdaDelivery {
  functionArn: string;
  /** The event, as JSON text. */
  payload: string;
  /** `<event type> <details>`, e.g. `s3 uploads ObjectCreated:Put`: its first word names the event type. */
  source: string;
}

/**
 * The push adapter every embedded service delivers through: it asks the classification table how
 * the source invokes (S3, SNS and EventBridge: asynchronously) and invokes the function that way.
 */
export function lambdaDeliverer(invoker: Invoker, log: (line: string) => void) {
  return (delivery: LambdaDelivery): void => {
    const type = delivery.source.split(' ')[0] as EventType;
    const invocation = EVENT_TABLE[type]?.invocation === 'sync' ? 'RequestResponse' : 'Event';
    invoker
      .invoke(delivery.functionArn, {
        payload: delivery.payload,
        type: invocation,
        source: delivery.source,
      })
      .catch((error: Error) => log(`${delivery.source}: ${delivery.functionArn}: ${error.message}`));
  };
}
