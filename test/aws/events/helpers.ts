import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { AwsEndpoint } from '../../../src/aws/endpoint';
import { EventsService, type EventsServiceOptions } from '../../../src/aws/events/events-service';
import type { Delivery } from '../../../src/aws/events/types';
import { memoryDatabase } from '../../../src/state/database';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

export interface RunningEvents {
  url: string;
  client: EventBridgeClient;
  service: EventsService;
  /** Every call of the deliver callback, in order. */
  deliveries: Delivery[];
  stop(): Promise<void>;
}

/** An EventsService behind a real AwsEndpoint on an ephemeral port, with an SDK client pointed at it. */
export async function startEvents(options: Partial<EventsServiceOptions> = {}): Promise<RunningEvents> {
  const deliveries: Delivery[] = [];
  const service = new EventsService({
    db: memoryDatabase(),
    region: REGION,
    accountId: ACCOUNT,
    rules: [],
    deliver: (delivery) => {
      deliveries.push(delivery);
    },
    ...options,
  });
  const endpoint = new AwsEndpoint([service]);
  const url = await endpoint.start('127.0.0.1', 0);
  const client = new EventBridgeClient({
    endpoint: url,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return {
    url,
    client,
    service,
    deliveries,
    stop: async () => {
      client.destroy();
      await endpoint.stop();
    },
  };
}

/** The error an SDK call rejects with: its name (the AWS error code), message and HTTP status. */
export async function failure(
  call: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await call;
  } catch (error) {
    const { name, message, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name, message, status: $metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}
