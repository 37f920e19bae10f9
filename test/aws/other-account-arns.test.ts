import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  PublishCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  GetQueueAttributesCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import assert from 'node:assert/strict';
import { inAccount } from '../../src/service/arn';
import { startKinesis } from './kinesis/helpers';
import { startSns, type Harness as SnsHarness } from './sns/helpers';
import { startSqs, type Harness as SqsHarness } from './sqs/helpers';

/** An account that is not the emulator's (its helpers run as 123456789012). */
const OTHER = '999999999999';

describe('ARNs with another account id', () => {
  it('are rewritten into the emulator account, ARNs without an account kept', () => {
    assert.equal(
      inAccount('arn:aws:sns:us-east-1:999999999999:orders', '000000000000'),
      'arn:aws:sns:us-east-1:000000000000:orders',
    );
    assert.equal(inAccount('arn:aws:s3:::bucket', '000000000000'), 'arn:aws:s3:::bucket');
    assert.equal(inAccount('not an arn', '000000000000'), 'not an arn');
  });

  describe('SNS', () => {
    let sns: SnsHarness;
    beforeEach(async () => {
      sns = await startSns();
    });
    afterEach(() => sns.stop());

    it('finds the topic by region and name for GetTopicAttributes, Subscribe and Publish', async () => {
      const { TopicArn } = await sns.client.send(new CreateTopicCommand({ Name: 'orders' }));
      const foreign = `arn:aws:sns:us-east-1:${OTHER}:orders`;
      const attributes = await sns.client.send(new GetTopicAttributesCommand({ TopicArn: foreign }));
      assert.equal(attributes.Attributes?.TopicArn, TopicArn);
      const subscribed = await sns.client.send(
        new SubscribeCommand({
          TopicArn: foreign,
          Protocol: 'sqs',
          Endpoint: `arn:aws:sqs:us-east-1:${OTHER}:inbox`,
          ReturnSubscriptionArn: true,
        }),
      );
      assert.ok(subscribed.SubscriptionArn?.startsWith(`${TopicArn}:`));
      const published = await sns.client.send(new PublishCommand({ TopicArn: foreign, Message: 'hello' }));
      assert.ok(published.MessageId);
      assert.equal(sns.queue.length, 1);
    });

    it('finds it for the emulator own publishers (a destination that names the real account)', async () => {
      await sns.client.send(new CreateTopicCommand({ Name: 'alerts' }));
      const { MessageId } = await sns.service.publish({
        TopicArn: `arn:aws:sns:us-east-1:${OTHER}:alerts`,
        Message: 'x',
      });
      assert.ok(MessageId);
    });
  });

  describe('SQS', () => {
    let sqs: SqsHarness;
    beforeEach(async () => {
      sqs = await startSqs({
        queues: [
          { name: 'orders', attributes: {} },
          { name: 'orders-dlq', attributes: {} },
        ],
      });
    });
    afterEach(() => sqs.stop());

    it('finds the queue by the path of a URL and by an ARN of another account', async () => {
      const QueueUrl = `${sqs.url}/${OTHER}/orders`;
      await sqs.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
      const policy = { deadLetterTargetArn: `arn:aws:sqs:us-east-1:${OTHER}:orders-dlq`, maxReceiveCount: 2 };
      await sqs.client.send(
        new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: JSON.stringify(policy) } }),
      );
      const { Attributes } = await sqs.client.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      assert.equal(Attributes?.ApproximateNumberOfMessages, '1');
      assert.match(sqs.service.queueUrlOf(`arn:aws:sqs:us-east-1:${OTHER}:orders`), /\/orders$/);
    });
  });

  describe('Kinesis', () => {
    it('finds the stream by an ARN of another account', async () => {
      const kinesis = await startKinesis();
      try {
        await kinesis.client.send(new CreateStreamCommand({ StreamName: 'clicks', ShardCount: 1 }));
        const { StreamDescriptionSummary } = await kinesis.client.send(
          new DescribeStreamSummaryCommand({ StreamARN: `arn:aws:kinesis:us-east-1:${OTHER}:stream/clicks` }),
        );
        assert.equal(StreamDescriptionSummary?.StreamName, 'clicks');
      } finally {
        await kinesis.stop();
      }
    });
  });
});
