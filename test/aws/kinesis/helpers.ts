import { KinesisClient } from '@aws-sdk/client-kinesis';
import { AwsEndpoint } from '../../../src/aws/endpoint';
import { KinesisService, type KinesisServiceOptions } from '../../../src/aws/kinesis/kinesis-service';
import { memoryDatabase } from '../../../src/state/database';
import { ManualClock } from '../../helpers/manual-clock';
import { credentials, REGION } from '../sns/helpers';

export { awsCli, REGION } from '../sns/helpers';
export { failure } from '../events/helpers';
export { ManualClock };

export const ACCOUNT = '123456789012';
export const T0 = Date.parse('2024-05-01T12:00:00.000Z');
export const streamArn = (name: string) => `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;

export interface RunningKinesis {
  url: string;
  client: KinesisClient;
  service: KinesisService;
  clock: ManualClock;
  stop(): Promise<void>;
}

/**
 * A KinesisService behind a real AwsEndpoint on an ephemeral port, with an SDK v3 client pointed at
 * it (as the SDK makes it: it speaks HTTP/2 without TLS).
 */
export async function startKinesis(options: Partial<KinesisServiceOptions> = {}): Promise<RunningKinesis> {
  const clock = new ManualClock(T0);
  const service = new KinesisService({
    db: memoryDatabase(),
    region: REGION,
    accountId: ACCOUNT,
    clock,
    ...options,
  });
  const endpoint = new AwsEndpoint([service]);
  const url = await endpoint.start('127.0.0.1', 0);
  const client = new KinesisClient({
    endpoint: url,
    region: REGION,
    credentials,
    maxAttempts: 1,
  });
  return {
    url,
    client,
    service,
    clock,
    stop: async () => {
      client.destroy();
      await endpoint.stop();
    },
  };
}
