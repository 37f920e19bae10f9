import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { credentials, query, queueArn, REGION, startSqs, type Harness } from './helpers';

describe('aws/sqs queues', () => {
  let sqs: Harness;
  beforeEach(async () => {
    sqs = await startSqs();
  });
  afterEach(() => sqs.stop());

  it('creates a queue whose URL is the caller’s host, region, account and name, and finds it by name', async () => {
    const { QueueUrl } = await sqs.client.send(new CreateQueueCommand({ QueueName: 'orders' }));
    assert.equal(QueueUrl, `${sqs.queues}/123456789012/orders`);
    const found = await sqs.client.send(new GetQueueUrlCommand({ QueueName: 'orders' }));
    assert.equal(found.QueueUrl, QueueUrl);
  });

  it('answers CreateQueue again with the same queue when the attributes agree, QueueAlreadyExists when not', async () => {
    const first = await sqs.client.send(
      new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '60' } }),
    );
    const again = await sqs.client.send(
      new CreateQueueCommand({
        QueueName: 'orders',
        Attributes: { VisibilityTimeout: '60', DelaySeconds: '0' },
      }),
    );
    assert.equal(again.QueueUrl, first.QueueUrl);
    await assert.rejects(
      sqs.client.send(
        new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '5' } }),
      ),
      { name: 'QueueNameExists', Code: 'QueueAlreadyExists' } as object,
    );
  });

  it('checks names, FIFO suffixes and attribute values as SQS does', async () => {
    await assert.rejects(sqs.client.send(new CreateQueueCommand({ QueueName: 'bad name' })), {
      name: 'InvalidParameterValue',
    });
    await assert.rejects(
      sqs.client.send(new CreateQueueCommand({ QueueName: 'jobs', Attributes: { FifoQueue: 'true' } })),
      /must end with .fifo suffix/,
    );
    await assert.rejects(sqs.client.send(new CreateQueueCommand({ QueueName: 'jobs.fifo' })), {
      name: 'InvalidParameterValue',
    });
    await assert.rejects(
      sqs.client.send(new CreateQueueCommand({ QueueName: 'q', Attributes: { VisibilityTimeout: '43201' } })),
      { name: 'InvalidAttributeValue', message: 'Invalid value for the parameter VisibilityTimeout.' },
    );
    await assert.rejects(
      sqs.client.send(new CreateQueueCommand({ QueueName: 'q', Attributes: { Colour: 'blue' } as never })),
      { name: 'InvalidAttributeName', message: 'Unknown Attribute Colour.' },
    );
    await assert.rejects(
      sqs.client.send(
        new CreateQueueCommand({ QueueName: 'q', Attributes: { ContentBasedDeduplication: 'true' } }),
      ),
      { name: 'InvalidAttributeName' },
    );
  });

  it('reports all attributes with SQS’s defaults and the message counts', async () => {
    const { QueueUrl } = await sqs.client.send(new CreateQueueCommand({ QueueName: 'orders' }));
    await sqs.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'now' }));
    await sqs.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 60 }));
    const { Attributes } = await sqs.client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    );
    const { CreatedTimestamp, LastModifiedTimestamp, ...rest } = Attributes ?? {};
    assert.match(String(CreatedTimestamp), /^\d{10}$/);
    assert.equal(LastModifiedTimestamp, CreatedTimestamp);
    assert.deepEqual(rest, {
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesDelayed: '1',
      ApproximateNumberOfMessagesNotVisible: '0',
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      QueueArn: queueArn('orders'),
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
      VisibilityTimeout: '30',
    });
    const named = await sqs.client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn', 'FifoQueue'] }),
    );
    assert.deepEqual(named.Attributes, { QueueArn: queueArn('orders') });
    await assert.rejects(
      sqs.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Nope' as never] })),
      { name: 'InvalidAttributeName' },
    );
  });

  it('sets attributes, a redrive policy only to an existing queue of the same type', async () => {
    const { QueueUrl } = await sqs.client.send(new CreateQueueCommand({ QueueName: 'orders' }));
    await sqs.client.send(new CreateQueueCommand({ QueueName: 'dlq' }));
    const policy = (arn: string) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: '3' });
    await sqs.client.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: { VisibilityTimeout: '5', RedrivePolicy: policy(queueArn('dlq')) },
      }),
    );
    const { Attributes } = await sqs.client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'] }),
    );
    assert.deepEqual(Attributes, {
      VisibilityTimeout: '5',
      RedrivePolicy: `{"deadLetterTargetArn":"${queueArn('dlq')}","maxReceiveCount":3}`,
    });
    await assert.rejects(
      sqs.client.send(
        new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: policy(queueArn('x')) } }),
      ),
      /Dead letter target does not exist/,
    );
    await assert.rejects(
      sqs.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoQueue: 'true' } })),
      { name: 'InvalidAttributeName' },
    );
  });

  it('lists queues by prefix, in pages with MaxResults', async () => {
    for (const name of ['a1', 'a2', 'a3', 'b1'])
      await sqs.client.send(new CreateQueueCommand({ QueueName: name }));
    const all = await sqs.client.send(new ListQueuesCommand({}));
    assert.equal(all.QueueUrls?.length, 4);
    assert.equal(all.NextToken, undefined);
    const first = await sqs.client.send(new ListQueuesCommand({ QueueNamePrefix: 'a', MaxResults: 2 }));
    assert.deepEqual(first.QueueUrls, [`${sqs.queues}/123456789012/a1`, `${sqs.queues}/123456789012/a2`]);
    const second = await sqs.client.send(
      new ListQueuesCommand({ QueueNamePrefix: 'a', MaxResults: 2, NextToken: first.NextToken }),
    );
    assert.deepEqual(second.QueueUrls, [`${sqs.queues}/123456789012/a3`]);
    assert.equal(second.NextToken, undefined);
  });

  it('deletes a queue: then it does not exist', async () => {
    const { QueueUrl } = await sqs.client.send(new CreateQueueCommand({ QueueName: 'gone' }));
    await sqs.client.send(new DeleteQueueCommand({ QueueUrl }));
    await assert.rejects(sqs.client.send(new GetQueueUrlCommand({ QueueName: 'gone' })), (error: Error) => {
      assert.equal(error.name, 'QueueDoesNotExist');
      assert.equal((error as { Code?: string }).Code, 'AWS.SimpleQueueService.NonExistentQueue');
      return true;
    });
    await assert.rejects(sqs.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })), {
      name: 'QueueDoesNotExist',
    });
  });

  it('finds the queue a QueueUrl of any shape names: other hosts and accounts, or the bare name', async () => {
    await sqs.client.send(new CreateQueueCommand({ QueueName: 'orders' }));
    // The SDK v3 would send a QueueUrl's host as the endpoint; this client keeps the emulator's.
    const client = new SQSClient({
      endpoint: sqs.url,
      region: REGION,
      credentials,
      useQueueUrlAsEndpoint: false,
    });
    try {
      for (const QueueUrl of [
        'https://sqs.us-east-1.amazonaws.com/123456789012/orders',
        'https://sqs.us-east-1.amazonaws.com/000000000000/orders',
        'http://localhost:4566/000000000000/orders/',
        'http://localhost:4566/orders',
        'orders',
      ]) {
        const { MessageId } = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
        assert.ok(MessageId, QueueUrl);
      }
      for (const QueueUrl of [
        'http://whatever-incorrect-queue-address',
        'nope',
        'http://localhost:4566/1/nope',
      ]) {
        await assert.rejects(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })), {
          name: 'QueueDoesNotExist',
        });
      }
    } finally {
      client.destroy();
    }
    const byName = await query(sqs.url, {
      Action: 'GetQueueAttributes',
      QueueUrl: 'orders',
      'AttributeName.1': 'QueueArn',
    });
    assert.match(byName.text, /<Value>arn:aws:sqs:us-east-1:123456789012:orders<\/Value>/);
  });

  it('tags and untags a queue', async () => {
    const { QueueUrl } = await sqs.client.send(
      new CreateQueueCommand({ QueueName: 't', tags: { team: 'a' } }),
    );
    await sqs.client.send(new TagQueueCommand({ QueueUrl, Tags: { env: 'dev' } }));
    await sqs.client.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['team'] }));
    const { Tags } = await sqs.client.send(new ListQueueTagsCommand({ QueueUrl }));
    assert.deepEqual(Tags, { env: 'dev' });
    await assert.rejects(sqs.client.send(new TagQueueCommand({ QueueUrl, Tags: {} })), {
      name: 'MissingParameter',
      message: 'The request must contain the parameter Tags.',
    });
    await assert.rejects(sqs.client.send(new UntagQueueCommand({ QueueUrl, TagKeys: [] })), {
      name: 'InvalidParameterValue',
      message: 'Tag keys must be between 1 and 128 characters in length.',
    });
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await assert.rejects(sqs.client.send(new TagQueueCommand({ QueueUrl, Tags: many })), {
      name: 'InvalidParameterValue',
      message: 'Too many tags added for queue t.',
    });
    const tagged = await query(sqs.url, { Action: 'ListQueueTags', QueueUrl: QueueUrl as string });
    assert.match(tagged.text, /<Tag><Key>env<\/Key><Value>dev<\/Value><\/Tag>/);
  });
});
