import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsEndpoint } from '../../../src/aws/endpoint';
import { EventsService, type EventsServiceOptions } from '../../../src/aws/events/events-service';
import type { Delivery } from '../../../src/aws/events/types';
import { KinesisService } from '../../../src/aws/kinesis/kinesis-service';
import { SnsService } from '../../../src/aws/sns/sns-service';
import { SqsService } from '../../../src/aws/sqs/sqs-service';
import { eventTargetPort, queueDeliverer } from '../../../src/emulator/aws-services';
import { memoryDatabase } from '../../../src/state/database';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
export const arnOf = (service: string, resource: string) =>
  `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface RunningEvents {
  url: string;
  client: EventBridgeClient;
  service: EventsService;
  /** Clients of the embedded SQS, SNS and Kinesis the targets port reaches, on the same endpoint. */
  sqs: SQSClient;
  sns: SNSClient;
  kinesis: KinesisClient;
  /** Every call of the deliver callback, in order. */
  deliveries: Delivery[];
  stop(): Promise<void>;
}

/**
 * An EventsService behind a real AwsEndpoint on an ephemeral port, with an SDK client pointed at it;
 * its targets port reaches an embedded SQS, SNS and Kinesis on the same endpoint, as in `sls emulate`.
 */
export async function startEvents(options: Partial<EventsServiceOptions> = {}): Promise<RunningEvents> {
  const deliveries: Delivery[] = [];
  const db = options.db ?? memoryDatabase();
  const place = { db, region: REGION, accountId: ACCOUNT };
  const sqsService = new SqsService({ ...place, queues: [] });
  const snsService = new SnsService({
    ...place,
    topology: { topics: [], subscriptions: [] },
    deliver: () => undefined,
    deliverToQueue: queueDeliverer(async () => sqsService),
  });
  const kinesisService = new KinesisService(place);
  const service = new EventsService({
    ...place,
    rules: [],
    deliver: (delivery) => {
      deliveries.push(delivery);
    },
    targets: eventTargetPort(async () => ({ sqs: sqsService, sns: snsService, kinesis: kinesisService })),
    ...options,
  });
  const endpoint = new AwsEndpoint([service, sqsService, snsService, kinesisService]);
  const url = await endpoint.start('127.0.0.1', 0);
  const config = { endpoint: url, region: REGION, credentials, maxAttempts: 1 };
  const client = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const kinesis = new KinesisClient(config);
  return {
    url,
    client,
    service,
    sqs,
    sns,
    kinesis,
    deliveries,
    stop: async () => {
      for (const c of [client, sqs, sns, kinesis]) c.destroy();
      sqsService.stop();
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

export const run = promisify(execFile);

/** What the AWS CLI and boto3 run with: dummy credentials, none of the user's configuration files. */
export const CLI_ENV = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_PAGER: '',
};

/** AWS CLI v1 on this machine against `url`: its exit code, its JSON answer and its stderr. */
export async function awsCli(
  url: string,
  ...args: string[]
): Promise<{ code: number; json?: Record<string, unknown>; stderr: string }> {
  const flags = ['--endpoint-url', url, '--region', REGION, '--output', 'json'];
  try {
    const { stdout, stderr } = await run('aws', [...args, ...flags], { env: CLI_ENV });
    return {
      code: 0,
      json: stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : undefined,
      stderr,
    };
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
}
