import { SNSClient } from '@aws-sdk/client-sns';
import type { SNSEvent } from 'aws-lambda';
import { execFile } from 'node:child_process';
import { AwsEndpoint } from '../../../src/aws/endpoint';
import { SnsService } from '../../../src/aws/sns/sns-service';
import type { LambdaDelivery, QueueDelivery, SnsTopology } from '../../../src/aws/sns/types';
import type { Clock } from '../../../src/clock';
import { memoryDatabase, type Db } from '../../../src/state/database';
import { ManualClock } from '../../helpers/manual-clock';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const NOW = new Date('2024-05-01T12:00:00.123Z');
export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export const topicArn = (name: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
export const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
export const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

/** Ids `00000000-0000-4000-8000-000000000001`, `...002`, ... in the order the service asks for them. */
export function sequentialIds(): () => string {
  let next = 0;
  return () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;
}

export interface Harness {
  url: string;
  client: SNSClient;
  service: SnsService;
  lambda: LambdaDelivery[];
  queue: QueueDelivery[];
  logs: string[];
  /** The SNSEvents handed to `deliver`, parsed. */
  events(): SNSEvent[];
  stop(): Promise<void>;
}

/** An SnsService on a real AwsEndpoint (port 0), with recording callbacks and a fixed clock. */
export async function startSns(
  options: {
    topology?: SnsTopology;
    db?: Db;
    newId?: () => string;
    clock?: Clock;
    failLambda?: boolean;
  } = {},
): Promise<Harness> {
  const lambda: LambdaDelivery[] = [];
  const queue: QueueDelivery[] = [];
  const logs: string[] = [];
  const service = new SnsService({
    db: options.db ?? memoryDatabase(),
    region: REGION,
    accountId: ACCOUNT,
    topology: options.topology ?? { topics: [], subscriptions: [] },
    deliver: (delivery) => {
      if (options.failLambda) throw new Error('the async queue is down');
      lambda.push(delivery);
    },
    deliverToQueue: (delivery) => {
      queue.push(delivery);
    },
    clock: options.clock ?? new ManualClock(NOW.getTime()),
    newId: options.newId ?? sequentialIds(),
    log: (line) => logs.push(line),
  });
  const endpoint = new AwsEndpoint([service]);
  const url = await endpoint.start('127.0.0.1', 0);
  const client = new SNSClient({ endpoint: url, region: REGION, credentials });
  return {
    url,
    client,
    service,
    lambda,
    queue,
    logs,
    events: () => lambda.map((delivery) => JSON.parse(delivery.payload) as SNSEvent),
    stop: async () => {
      client.destroy();
      await endpoint.stop();
    },
  };
}

/** Runs the AWS CLI (v1) against the endpoint; resolves with its stdout, rejects with its stderr. */
export function awsCli(url: string, args: string[]): Promise<string> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: REGION,
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_PAGER: '',
  };
  return new Promise((resolve, reject) => {
    execFile(
      'aws',
      [...args, '--endpoint-url', url, '--output', 'json'],
      { env },
      (error, stdout, stderr) => {
        if (error) reject(new Error(stderr || error.message));
        else resolve(stdout);
      },
    );
  });
}

/** POSTs a Query request the way the AWS clients do (form body, SigV4 scope naming the service). */
export async function query(url: string, params: Record<string, string>, service = 'sns') {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: `AWS4-HMAC-SHA256 Credential=test/20240501/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Version: '2010-03-31', ...params }).toString(),
  });
  return { status: res.status, text: await res.text() };
}

/** POSTs an AWS JSON 1.0 request (`X-Amz-Target: SNS_20100331.<action>`). */
export async function jsonCall(url: string, action: string, input: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `SNS_20100331.${action}` },
    body: JSON.stringify(input),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}
