import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import type { AwsRequest, AwsResponse, AwsService } from '../../../src/aws/endpoint';
import { CREDENTIALS, startS3 } from './helpers';

/** Stands for every other AWS API of the endpoint: claims all it is offered, records it, answers an error. */
class Elsewhere implements AwsService {
  readonly seen: AwsRequest[] = [];
  handles(): boolean {
    return true;
  }
  async handle(request: AwsRequest): Promise<AwsResponse> {
    this.seen.push(request);
    return { status: 400, headers: { 'content-type': 'application/json' }, body: '{"__type":"Elsewhere"}' };
  }
}

describe('S3 on a shared AWS endpoint', () => {
  it('lets the requests of SNS, SQS, EventBridge and Lambda clients through, and serves its own', async () => {
    const elsewhere = new Elsewhere();
    const s3h = await startS3({ buckets: ['mine'], after: [elsewhere] });
    const config = { endpoint: s3h.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    const clients = [
      new SNSClient(config),
      new SQSClient(config),
      new EventBridgeClient(config),
      new LambdaClient(config),
    ];
    const [sns, sqs, events, lambda] = clients as [SNSClient, SQSClient, EventBridgeClient, LambdaClient];
    const s3 = s3h.client();
    try {
      const calls: Array<Promise<unknown>> = [
        sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:1:t', Message: 'm' })),
        sqs.send(new SendMessageCommand({ QueueUrl: `${s3h.url}/000000000000/q`, MessageBody: 'm' })),
        events.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] })),
        lambda.send(new InvokeCommand({ FunctionName: 'fn', Payload: '{}' })),
      ];
      for (const call of calls) await call.catch(() => undefined);
      assert.deepEqual(elsewhere.seen.map((r) => `${r.method} ${r.path}`).sort(), [
        'POST /',
        'POST /',
        'POST /',
        'POST /2015-03-31/functions/fn/invocations',
      ]);
      await s3.send(new PutObjectCommand({ Bucket: 'mine', Key: 'k', Body: 'x' }));
      const { Buckets } = await s3.send(new ListBucketsCommand({}));
      assert.deepEqual(
        Buckets?.map((b) => b.Name),
        ['mine'],
      );
      assert.equal(elsewhere.seen.length, 4);
    } finally {
      for (const client of [...clients, s3]) client.destroy();
      await s3h.dispose();
    }
  });
});
