import {
  CreateTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { strict as assert } from 'node:assert';
import { ManualClock } from '../../helpers/manual-clock';
import { NOW, queueArn, startSns, type Harness } from './helpers';

describe('aws/sns Publish to sqs subscriptions', () => {
  let sns: Harness;
  let orders: string;

  beforeEach(async () => {
    sns = await startSns();
    orders = (await sns.client.send(new CreateTopicCommand({ Name: 'orders' }))).TopicArn as string;
  });

  afterEach(() => sns.stop());

  const subscribe = async (TopicArn: string, queue: string, Attributes?: Record<string, string>) =>
    (
      await sns.client.send(
        new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn(queue), Attributes }),
      )
    ).SubscriptionArn as string;

  it('sends the SNS JSON envelope to the queue, with the attributes inside it', async () => {
    const subscriptionArn = await subscribe(orders, 'jobs');
    const { MessageId } = await sns.client.send(
      new PublishCommand({
        TopicArn: orders,
        Message: 'hello',
        Subject: 'Greeting',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } },
      }),
    );
    assert.equal(sns.queue.length, 1);
    const [delivery] = sns.queue;
    assert.equal(delivery.queueArn, queueArn('jobs'));
    assert.deepEqual(delivery.attributes, {});
    const envelope = JSON.parse(delivery.body);
    assert.deepEqual(Object.keys(envelope), [
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    assert.deepEqual(
      { ...envelope, Signature: undefined },
      {
        Type: 'Notification',
        MessageId,
        TopicArn: orders,
        Subject: 'Greeting',
        Message: 'hello',
        Timestamp: NOW.toISOString(),
        SignatureVersion: '1',
        Signature: undefined,
        SigningCertURL:
          'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem',
        UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
        MessageAttributes: { kind: { Type: 'String', Value: 'order' } },
      },
    );
  });

  it('leaves Subject and MessageAttributes out of the envelope when the publish has none', async () => {
    await subscribe(orders, 'jobs');
    await sns.client.send(new PublishCommand({ TopicArn: orders, Message: 'plain' }));
    const envelope = JSON.parse(sns.queue[0].body);
    assert.equal('Subject' in envelope, false);
    assert.equal('MessageAttributes' in envelope, false);
  });

  it('sends the raw message with its attributes as SQS message attributes under RawMessageDelivery', async () => {
    await subscribe(orders, 'raw', { RawMessageDelivery: 'true' });
    await sns.client.send(
      new PublishCommand({
        TopicArn: orders,
        Message: '{"id":1}',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'order' },
          total: { DataType: 'Number', StringValue: '12' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2]) },
        },
      }),
    );
    assert.deepEqual(sns.queue, [
      {
        queueArn: queueArn('raw'),
        body: '{"id":1}',
        attributes: {
          kind: { DataType: 'String', StringValue: 'order' },
          total: { DataType: 'Number', StringValue: '12' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2]) },
        },
      },
    ]);
  });

  it('turns raw delivery on and off per subscription', async () => {
    const SubscriptionArn = await subscribe(orders, 'jobs');
    await sns.client.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn,
        AttributeName: 'RawMessageDelivery',
        AttributeValue: 'true',
      }),
    );
    await sns.client.send(new PublishCommand({ TopicArn: orders, Message: 'raw now' }));
    assert.equal(sns.queue[0].body, 'raw now');
  });

  it('discards a raw delivery with more than 10 attributes, as SNS does, and logs it', async () => {
    await subscribe(orders, 'raw', { RawMessageDelivery: 'true' });
    await subscribe(orders, 'wrapped');
    const MessageAttributes = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: String(i) }]),
    );
    await sns.client.send(new PublishCommand({ TopicArn: orders, Message: 'm', MessageAttributes }));
    assert.deepEqual(
      sns.queue.map((d) => d.queueArn),
      [queueArn('wrapped')],
    );
    assert.match(sns.logs[0], /discarded for arn:aws:sqs:us-east-1:123456789012:raw/);
  });

  it('sends the sqs entry of a json-structured message', async () => {
    await subscribe(orders, 'wrapped');
    await subscribe(orders, 'raw', { RawMessageDelivery: 'true' });
    const Message = JSON.stringify({ default: 'everyone', sqs: 'queues' });
    await sns.client.send(new PublishCommand({ TopicArn: orders, Message, MessageStructure: 'json' }));
    assert.equal(JSON.parse(sns.queue[0].body).Message, 'queues');
    assert.equal(sns.queue[1].body, 'queues');
  });

  it('forwards group and deduplication ids from a FIFO topic to a FIFO queue, in order', async () => {
    const { TopicArn } = await sns.client.send(
      new CreateTopicCommand({
        Name: 'orders.fifo',
        Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' },
      }),
    );
    await subscribe(TopicArn as string, 'jobs.fifo', { RawMessageDelivery: 'true' });
    const first = await sns.client.send(
      new PublishCommand({ TopicArn, Message: 'one', MessageGroupId: 'g1', MessageDeduplicationId: 'd1' }),
    );
    const second = await sns.client.send(
      new PublishCommand({ TopicArn, Message: 'two', MessageGroupId: 'g1' }),
    );
    assert.equal(first.SequenceNumber, '10000000000000000001');
    assert.equal(second.SequenceNumber, '10000000000000000002');
    assert.deepEqual(
      sns.queue.map(({ body, messageGroupId, messageDeduplicationId }) => [
        body,
        messageGroupId,
        messageDeduplicationId,
      ]),
      [
        ['one', 'g1', 'd1'],
        ['two', 'g1', '3fc4ccfe745870e2c0d99f71f30ff0656c8dedd41cc1d7d3d376b0dbe685e2f3'],
      ],
    );
  });

  it('answers a FIFO duplicate within 5 minutes with the first message, delivering it once', async () => {
    const { TopicArn } = await sns.client.send(
      new CreateTopicCommand({ Name: 'orders.fifo', Attributes: { FifoTopic: 'true' } }),
    );
    await subscribe(TopicArn as string, 'jobs.fifo');
    const publish = () =>
      sns.client.send(
        new PublishCommand({ TopicArn, Message: 'once', MessageGroupId: 'g', MessageDeduplicationId: 'd' }),
      );
    const first = await publish();
    const again = await publish();
    assert.equal(again.MessageId, first.MessageId);
    assert.equal(again.SequenceNumber, first.SequenceNumber);
    assert.equal(sns.queue.length, 1);
    assert.equal(JSON.parse(sns.queue[0].body).SequenceNumber, first.SequenceNumber);
    // An entry without a group id fails the whole batch, as SNS answers; nothing of it is published.
    await assert.rejects(
      sns.client.send(
        new PublishBatchCommand({
          TopicArn,
          PublishBatchRequestEntries: [
            { Id: 'a', Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'e' },
            { Id: 'b', Message: 'y' },
          ],
        }),
      ),
      {
        name: 'InvalidParameterException',
        message: 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
      },
    );
    await assert.rejects(
      sns.client.send(
        new PublishBatchCommand({
          TopicArn,
          PublishBatchRequestEntries: [{ Id: 'a', Message: 'x', MessageGroupId: 'g' }],
        }),
      ),
      {
        name: 'InvalidParameterException',
        message:
          'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      },
    );
    assert.equal(sns.queue.length, 1);
    const batch = await sns.client.send(
      new PublishBatchCommand({
        TopicArn,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'e' },
          { Id: 'b', Message: '', MessageGroupId: 'g', MessageDeduplicationId: 'f' },
        ],
      }),
    );
    assert.equal(batch.Successful?.[0].SequenceNumber, '10000000000000000002');
    assert.deepEqual(
      batch.Failed?.map(({ Id, Code }) => [Id, Code]),
      [['b', 'InvalidParameter']],
    );
  });

  it('delivers a FIFO duplicate again once its 5-minute deduplication interval has passed', async () => {
    const clock = new ManualClock(NOW.getTime());
    const timed = await startSns({ clock });
    try {
      const { TopicArn } = await timed.client.send(
        new CreateTopicCommand({ Name: 'orders.fifo', Attributes: { FifoTopic: 'true' } }),
      );
      await timed.client.send(
        new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('q.fifo') }),
      );
      const publish = () =>
        timed.client.send(
          new PublishCommand({ TopicArn, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd' }),
        );
      await publish();
      clock.advance(299_999);
      await publish();
      assert.equal(timed.queue.length, 1);
      clock.advance(1);
      await publish();
      assert.equal(timed.queue.length, 2);
    } finally {
      await timed.stop();
    }
  });

  it('requires a group id, and a deduplication id unless content-based deduplication is on', async () => {
    const { TopicArn } = await sns.client.send(
      new CreateTopicCommand({ Name: 'orders.fifo', Attributes: { FifoTopic: 'true' } }),
    );
    await assert.rejects(sns.client.send(new PublishCommand({ TopicArn, Message: 'm' })), {
      message: 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    });
    await assert.rejects(
      sns.client.send(new PublishCommand({ TopicArn, Message: 'm', MessageGroupId: 'g' })),
      {
        message:
          'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      },
    );
  });

  it('forwards a group id from a standard topic to standard queues (SQS fair queues)', async () => {
    await subscribe(orders, 'jobs');
    await sns.client.send(new PublishCommand({ TopicArn: orders, Message: 'm', MessageGroupId: 'tenant-1' }));
    assert.equal(sns.queue[0].messageGroupId, 'tenant-1');
    assert.equal(sns.queue[0].messageDeduplicationId, undefined);
  });
});
