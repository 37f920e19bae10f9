import { SQSClient } from '@aws-sdk/client-sqs';
import AWS from 'aws-sdk';
import { AwsEndpoint } from '../../../src/aws/endpoint';
import { SqsService } from '../../../src/aws/sqs/sqs-service';
import type { QueueSpec } from '../../../src/aws/sqs/types';
import type { Clock } from '../../../src/clock';
import { memoryDatabase, type Db } from '../../../src/state/database';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
export const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

export { ManualClock } from '../../helpers/manual-clock';

export interface Harness {
  url: string;
  service: SqsService;
  /** The SDK v3 client (AWS JSON 1.0). */
  client: SQSClient;
  /** Where the queue URLs the service hands out start: `<url>/queue/<region>`. */
  queues: string;
  /** aws-sdk v2 (AWS JSON 1.0; verifies MD5s of bodies). */
  v2: AWS.SQS;
  stop(): Promise<void>;
}

/** An SqsService on a real AwsEndpoint (port 0), with the SDK v3 and aws-sdk v2 clients pointed at it. */
export async function startSqs(
  options: { queues?: QueueSpec[]; db?: Db; clock?: Clock } = {},
): Promise<Harness> {
  const service = new SqsService({
    db: options.db ?? memoryDatabase(),
    region: REGION,
    accountId: ACCOUNT,
    queues: options.queues ?? [],
    clock: options.clock,
  });
  const endpoint = new AwsEndpoint([service]);
  const url = await endpoint.start('127.0.0.1', 0);
  const client = new SQSClient({ endpoint: url, region: REGION, credentials });
  const v2 = new AWS.SQS({ endpoint: url, region: REGION, credentials });
  return {
    url,
    queues: `${url}/queue/${REGION}`,
    service,
    client,
    v2,
    stop: async () => {
      service.stop();
      client.destroy();
      await endpoint.stop();
    },
  };
}

/** POSTs a Query request as older clients do (form body, SigV4 scope naming sqs), to `/` or a queue URL. */
export async function query(url: string, params: Record<string, string>, path = '/') {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: `AWS4-HMAC-SHA256 Credential=test/20240501/${REGION}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
  });
  return { status: res.status, text: await res.text() };
}
