import { originText } from '../../../src/classify/origin';
import {
  CreateTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { strict as assert } from 'node:assert';
import { functionArn, NOW, startSns, topicArn, type Harness } from './helpers';

describe('aws/sns Publish to lambda subscriptions', () => {
  let sns: Harness;
  let orders: string;
  let subscriptionArn: string;

  beforeEach(async () => {
    sns = await startSns();
    orders = (await sns.client.send(new CreateTopicCommand({ Name: 'orders' }))).TopicArn as string;
    const subscribed = await sns.client.send(
      new SubscribeCommand({ TopicArn: orders, Protocol: 'lambda', Endpoint: functionArn('worker') }),
    );
    subscriptionArn = subscribed.SubscriptionArn as string;
  });

  afterEach(() => sns.stop());

  it('invokes the function with the SNSEvent AWS builds, field for field', async () => {
    const { MessageId } = await sns.client.send(
      new PublishCommand({
        TopicArn: orders,
        Message: '{"id":42}',
        Subject: 'New order',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'order' },
          total: { DataType: 'Number', StringValue: '19.5' },
          tags: { DataType: 'String.Array', StringValue: '["a","b"]' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') },
        },
      }),
    );
    assert.equal(sns.lambda.length, 1);
    assert.equal(sns.lambda[0].functionArn, functionArn('worker'));
    assert.equal(originText(sns.lambda[0].origin), 'sns orders');
    const [event] = sns.events();
    const { Signature, ...sns_ } = event.Records[0].Sns;
    assert.deepEqual(event, {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: subscriptionArn,
          Sns: { ...sns_, Signature },
        },
      ],
    });
    assert.deepEqual(sns_, {
      Type: 'Notification',
      MessageId,
      TopicArn: orders,
      Subject: 'New order',
      Message: '{"id":42}',
      Timestamp: NOW.toISOString(),
      SignatureVersion: '1',
      SigningCertUrl:
        'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem',
      UnsubscribeUrl: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
      MessageAttributes: {
        kind: { Type: 'String', Value: 'order' },
        total: { Type: 'Number', Value: '19.5' },
        tags: { Type: 'String.Array', Value: '["a","b"]' },
        blob: { Type: 'Binary', Value: Buffer.from('hi').toString('base64') },
      },
    });
    assert.equal(Buffer.from(Signature, 'base64').length, 256);
    assert.deepEqual(Object.keys(sns_), [
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'SigningCertUrl',
      'UnsubscribeUrl',
      'MessageAttributes',
    ]);
  });

  it('sets Subject to null and MessageAttributes to {} when the publish has none', async () => {
    await sns.client.send(new PublishCommand({ TopicArn: orders, Message: 'plain' }));
    const sns_ = sns.events()[0].Records[0].Sns;
    assert.equal(sns_.Subject, null);
    assert.deepEqual(sns_.MessageAttributes, {});
  });

  it('accepts TargetArn for a topic, as SNS does', async () => {
    await sns.client.send(new PublishCommand({ TargetArn: orders, Message: 'via target' }));
    assert.equal(sns.events()[0].Records[0].Sns.Message, 'via target');
  });

  it('sends the lambda entry of a json-structured message, else its default, without attributes', async () => {
    const Message = JSON.stringify({ default: 'for everyone', lambda: 'for functions', sqs: 'for queues' });
    const MessageAttributes = { kind: { DataType: 'String', StringValue: 'x' } };
    await sns.client.send(
      new PublishCommand({ TopicArn: orders, Message, MessageStructure: 'json', MessageAttributes }),
    );
    await sns.client.send(
      new PublishCommand({
        TopicArn: orders,
        Message: JSON.stringify({ default: 'fallback', email: 3 }),
        MessageStructure: 'json',
      }),
    );
    const [first, second] = sns.events().map((e) => e.Records[0].Sns);
    assert.equal(first.Message, 'for functions');
    assert.deepEqual(first.MessageAttributes, {});
    assert.equal(second.Message, 'fallback');
  });

  it('rejects json-structured messages without a default entry or that do not parse', async () => {
    await assert.rejects(
      sns.client.send(
        new PublishCommand({ TopicArn: orders, Message: '{"lambda":"x"}', MessageStructure: 'json' }),
      ),
      {
        name: 'InvalidParameterException',
        message: 'Invalid parameter: Message Structure - No default entry in JSON message body',
      },
    );
    await assert.rejects(
      sns.client.send(
        new PublishCommand({ TopicArn: orders, Message: '{"default":', MessageStructure: 'json' }),
      ),
      { message: 'Invalid parameter: Message Structure - JSON message body failed to parse' },
    );
    assert.equal(sns.lambda.length, 0);
  });

  it('rejects publishes SNS refuses: no topic, empty message, long message, bad subject or attributes', async () => {
    const rejects = (input: Record<string, unknown>, expected: { name: string; message: string | RegExp }) =>
      assert.rejects(
        sns.client.send(new PublishCommand({ TopicArn: orders, Message: 'm', ...input })),
        expected,
      );
    await rejects(
      { TopicArn: topicArn('nope') },
      { name: 'NotFoundException', message: 'Topic does not exist' },
    );
    await rejects(
      { Message: '' },
      { name: 'InvalidParameterException', message: 'Invalid parameter: Empty message' },
    );
    await rejects(
      { Message: 'x'.repeat(262_145) },
      { name: 'InvalidParameterException', message: 'Invalid parameter: Message too long' },
    );
    await rejects(
      { Subject: 'two\nlines' },
      { name: 'InvalidParameterException', message: 'Invalid parameter: Subject' },
    );
    await rejects(
      { MessageAttributes: { n: { DataType: 'Number', StringValue: 'many' } } },
      {
        name: 'InvalidParameterValueException',
        message: "Could not cast message attribute 'n' value to number.",
      },
    );
    await rejects(
      { MessageAttributes: { n: { DataType: 'Date', StringValue: 'today' } } },
      { name: 'InvalidParameterValueException', message: /has an invalid message attribute type/ },
    );
    await rejects(
      { MessageAttributes: { '.n': { DataType: 'String', StringValue: 'x' } } },
      { name: 'InvalidParameterValueException', message: /Invalid message attribute name/ },
    );
    await rejects(
      { MessageDeduplicationId: 'd' },
      {
        name: 'InvalidParameterException',
        message: /MessageDeduplicationId parameter that is not valid for this topic type/,
      },
    );
    await assert.rejects(sns.client.send(new PublishCommand({ Message: 'm' })), {
      message: 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
    });
    assert.equal(sns.lambda.length, 0);
  });

  it('publishes for the emulator itself (a destination or DLQ naming the topic) without HTTP', async () => {
    const { MessageId } = await sns.service.publish({
      TopicArn: orders,
      Message: '{"requestPayload":{}}',
      MessageAttributes: { ErrorCode: { DataType: 'Number', StringValue: '200' } },
    });
    const sns_ = sns.events()[0].Records[0].Sns;
    assert.equal(sns_.MessageId, MessageId);
    assert.deepEqual(sns_.MessageAttributes, { ErrorCode: { Type: 'Number', Value: '200' } });
    await assert.rejects(sns.service.publish({ TopicArn: topicArn('nope'), Message: 'm' }), {
      code: 'NotFound',
      message: 'Topic does not exist',
    });
  });

  it('keeps publishing when a delivery fails, and logs it', async () => {
    const failing = await startSns({ failLambda: true });
    try {
      const { TopicArn } = await failing.client.send(new CreateTopicCommand({ Name: 'orders' }));
      await failing.client.send(
        new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: functionArn('f') }),
      );
      const { MessageId } = await failing.client.send(new PublishCommand({ TopicArn, Message: 'm' }));
      assert.ok(MessageId);
      assert.deepEqual(failing.logs, [
        `sns orders: delivery to ${functionArn('f')} failed: the async queue is down`,
      ]);
    } finally {
      await failing.stop();
    }
  });

  it('publishes a batch, answering each entry as Successful or Failed', async () => {
    const result = await sns.client.send(
      new PublishBatchCommand({
        TopicArn: orders,
        PublishBatchRequestEntries: [
          { Id: 'one', Message: 'first', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
          { Id: 'two', Message: '{"lambda":"x"}', MessageStructure: 'json' },
          { Id: 'three', Message: 'third', Subject: 'S' },
        ],
      }),
    );
    assert.deepEqual(
      result.Successful?.map((s) => s.Id),
      ['one', 'three'],
    );
    assert.deepEqual(result.Failed, [
      {
        Id: 'two',
        Code: 'InvalidParameter',
        Message: 'Invalid parameter: Message Structure - No default entry in JSON message body',
        SenderFault: true,
      },
    ]);
    const delivered = sns.events().map((e) => e.Records[0].Sns);
    assert.deepEqual(
      delivered.map((m) => [m.MessageId, m.Message, m.Subject, m.MessageAttributes]),
      [
        [result.Successful?.[0].MessageId, 'first', null, { k: { Type: 'String', Value: 'v' } }],
        [result.Successful?.[1].MessageId, 'third', 'S', {}],
      ],
    );
  });

  it('rejects batches that are empty, too large, or whose ids repeat or are malformed', async () => {
    const batch = (entries: Array<{ Id: string; Message: string }>) =>
      sns.client.send(new PublishBatchCommand({ TopicArn: orders, PublishBatchRequestEntries: entries }));
    await assert.rejects(batch([]), { name: 'EmptyBatchRequestException' });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, Message: 'x' }));
    await assert.rejects(batch(eleven), { name: 'TooManyEntriesInBatchRequestException' });
    await assert.rejects(
      batch([
        { Id: 'a', Message: 'x' },
        { Id: 'a', Message: 'y' },
      ]),
      { name: 'BatchEntryIdsNotDistinctException' },
    );
    await assert.rejects(batch([{ Id: 'a b', Message: 'x' }]), { name: 'InvalidBatchEntryIdException' });
    const big = 'x'.repeat(100_000);
    await assert.rejects(
      batch([
        { Id: 'a', Message: big },
        { Id: 'b', Message: big },
        { Id: 'c', Message: big },
      ]),
      { name: 'BatchRequestTooLongException' },
    );
    await assert.rejects(
      sns.client.send(
        new PublishBatchCommand({
          TopicArn: topicArn('nope'),
          PublishBatchRequestEntries: [{ Id: 'a', Message: 'x' }],
        }),
      ),
      { name: 'NotFoundException' },
    );
    assert.equal(sns.lambda.length, 0);
  });
});
