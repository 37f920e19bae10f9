import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { ManualClock, queueArn, startSqs, type Harness } from './helpers';

describe('aws/sqs messages', () => {
  let sqs: Harness;
  let clock: ManualClock;
  let QueueUrl: string;

  const receive = async (input: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {}) =>
    (await sqs.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...input })))
      .Messages ?? [];
  const bodies = async (input = {}) => (await receive(input)).map((m) => m.Body);

  beforeEach(async () => {
    clock = new ManualClock();
    sqs = await startSqs({ clock });
    QueueUrl = (await sqs.client.send(new CreateQueueCommand({ QueueName: 'orders' }))).QueueUrl as string;
  });
  afterEach(() => sqs.stop());

  it('sends and receives with the MD5s and attributes both SDKs verify', async () => {
    const sent = await sqs.client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'héllo',
        MessageAttributes: {
          timestamp: { DataType: 'Number', StringValue: '1493147359900' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2]) },
          'trace.id': { DataType: 'String.custom', StringValue: 'abc' },
        },
      }),
    );
    assert.equal(sent.MD5OfMessageBody, createHash('md5').update('héllo').digest('hex'));
    const [message] = await receive({ MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] });
    assert.equal(message.Body, 'héllo');
    assert.equal(message.MessageId, sent.MessageId);
    assert.equal(message.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.deepEqual(message.MessageAttributes?.blob.BinaryValue, new Uint8Array([0, 1, 2]));
    assert.deepEqual(message.Attributes, {
      SenderId: '123456789012',
      SentTimestamp: String(clock.time),
      ApproximateReceiveCount: '1',
      ApproximateFirstReceiveTimestamp: String(clock.time),
    });
    const v2 = await sqs.v2.sendMessage({ QueueUrl, MessageBody: 'from v2' }).promise();
    const received = await sqs.v2.receiveMessage({ QueueUrl }).promise();
    assert.equal(received.Messages?.[0].MessageId, v2.MessageId);
  });

  it('computes MD5OfMessageAttributes as AWS does (the vector from AWS kept by moto and LocalStack)', async () => {
    const { MD5OfMessageAttributes } = await sqs.client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'derp',
        MessageAttributes: { timestamp: { DataType: 'Number', StringValue: '1493147359900' } },
      }),
    );
    assert.equal(MD5OfMessageAttributes, '235c5c510d26fb653d073faed50ae77c');
  });

  it('returns the message attributes asked for, by name or by prefix', async () => {
    await sqs.client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'm',
        MessageAttributes: {
          'app.a': { DataType: 'String', StringValue: '1' },
          'app.b': { DataType: 'String', StringValue: '2' },
          other: { DataType: 'String', StringValue: '3' },
        },
      }),
    );
    const [message] = await receive({ MessageAttributeNames: ['app.*'], VisibilityTimeout: 0 });
    assert.deepEqual(Object.keys(message.MessageAttributes ?? {}), ['app.a', 'app.b']);
    for (const all of ['All', '.*', '*']) {
      const [every] = await receive({ MessageAttributeNames: [all], VisibilityTimeout: 0 });
      assert.deepEqual(Object.keys(every.MessageAttributes ?? {}), ['app.a', 'app.b', 'other'], all);
    }
    // SQS matches the prefix before `.*`: `ot.*` selects `other`; names are exact otherwise.
    const [prefixed] = await receive({ MessageAttributeNames: ['ot.*', 'app.a'], VisibilityTimeout: 0 });
    assert.deepEqual(Object.keys(prefixed.MessageAttributes ?? {}), ['app.a', 'other']);
    const [plain] = await receive();
    assert.equal(plain.MessageAttributes, undefined);
    assert.equal(plain.Attributes, undefined);
  });

  it('hides a received message for the visibility timeout, then gives it again with a new handle', async () => {
    await sqs.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'once' }));
    const [first] = await receive({ VisibilityTimeout: 10 });
    assert.deepEqual(await bodies(), []);
    clock.advance(10_000);
    const [second] = await receive({ MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
    assert.equal(second.Attributes?.ApproximateReceiveCount, '2');
    assert.notEqual(second.ReceiptHandle, first.ReceiptHandle);
    // The stale handle deletes nothing (and succeeds), the latest one deletes.
    await sqs.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.ReceiptHandle }));
    clock.advance(30_000);
    const [third] = await receive();
    await sqs.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: third.ReceiptHandle }));
    clock.advance(60_000);
    assert.deepEqual(await bodies(), []);
  });

  it('deletes with the handle of the latest receive even after its visibility timeout ran out', async () => {
    await sqs.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'late' }));
    const [message] = await receive({ VisibilityTimeout: 1 });
    clock.advance(5_000);
    await sqs.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
    assert.deepEqual(await bodies(), []);
  });

  it('rejects a receipt handle it never gave out', async () => {
    await assert.rejects(sqs.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'garbage' })), {
      name: 'ReceiptHandleIsInvalid',
      message: 'The input receipt handle "garbage" is not a valid receipt handle.',
    });
  });

  it('changes the visibility of an in-flight message, and refuses one not in flight', async () => {
    await sqs.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm' }));
    const [message] = await receive({ VisibilityTimeout: 30 });
    const ReceiptHandle = message.ReceiptHandle as string;
    await sqs.client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 0 }),
    );
    const [again] = await receive({ VisibilityTimeout: 5 });
    assert.equal(again.Body, 'm');
    await assert.rejects(
      sqs.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 60 })),
      { name: 'InvalidParameterValue' },
    );
    clock.advance(5_000);
    await assert.rejects(
      sqs.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: again.ReceiptHandle,
          VisibilityTimeout: 60,
        }),
      ),
      { name: 'MessageNotInflight' },
    );
  });

  it('delays messages by the queue’s DelaySeconds or the message’s own', async () => {
    const delayed = (
      await sqs.client.send(
        new CreateQueueCommand({ QueueName: 'delayed', Attributes: { DelaySeconds: '5' } }),
      )
    ).QueueUrl as string;
    await sqs.client.send(new SendMessageCommand({ QueueUrl: delayed, MessageBody: 'queue delay' }));
    await sqs.client.send(
      new SendMessageCommand({ QueueUrl: delayed, MessageBody: 'no delay', DelaySeconds: 0 }),
    );
    assert.deepEqual(await bodies({ QueueUrl: delayed }), ['no delay']);
    clock.advance(5_000);
    assert.deepEqual(await bodies({ QueueUrl: delayed }), ['queue delay']);
    await assert.rejects(
      sqs.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', DelaySeconds: 901 })),
      { name: 'InvalidParameterValue' },
    );
  });

  it('drops messages older than the retention period', async () => {
    await sqs.client.send(
      new CreateQueueCommand({ QueueName: 'short', Attributes: { MessageRetentionPeriod: '60' } }),
    );
    const short = `${sqs.url}/123456789012/short`;
    await sqs.client.send(new SendMessageCommand({ QueueUrl: short, MessageBody: 'old' }));
    clock.advance(60_000);
    assert.deepEqual(await bodies({ QueueUrl: short }), []);
    const { Attributes } = await sqs.client.send(
      new GetQueueAttributesCommand({ QueueUrl: short, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    assert.equal(Attributes?.ApproximateNumberOfMessages, '0');
  });

  it('moves a message to the dead-letter queue when a receive would exceed maxReceiveCount', async () => {
    await sqs.client.send(new CreateQueueCommand({ QueueName: 'dlq' }));
    const source = (
      await sqs.client.send(
        new CreateQueueCommand({
          QueueName: 'source',
          Attributes: {
            VisibilityTimeout: '1',
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('dlq'), maxReceiveCount: 2 }),
          },
        }),
      )
    ).QueueUrl as string;
    const sent = await sqs.client.send(
      new SendMessageCommand({
        QueueUrl: source,
        MessageBody: 'poison',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'bad' } },
      }),
    );
    const sentAt = clock.time;
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(await bodies({ QueueUrl: source }), ['poison']);
      clock.advance(1_000);
    }
    assert.deepEqual(await bodies({ QueueUrl: source }), []);
    const [moved] = await receive({
      QueueUrl: `${sqs.url}/123456789012/dlq`,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    });
    assert.equal(moved.MessageId, sent.MessageId);
    assert.equal(moved.Body, 'poison');
    assert.equal(moved.MessageAttributes?.kind.StringValue, 'bad');
    assert.equal(moved.Attributes?.ApproximateReceiveCount, '1');
    assert.equal(moved.Attributes?.SentTimestamp, String(sentAt));
    assert.equal(moved.Attributes?.DeadLetterQueueSourceArn, queueArn('source'));
  });

  it('keeps AWSTraceHeader from the system attribute, else from X-Amzn-Trace-Id, and returns it when asked', async () => {
    const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0';
    const sent = await sqs.client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'traced',
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } },
      }),
    );
    const md5 = createHash('md5');
    for (const part of ['AWSTraceHeader', 'String']) md5.update(lengthPrefixed(part));
    md5.update(Buffer.from([1])).update(lengthPrefixed(TRACE));
    assert.equal(sent.MD5OfMessageSystemAttributes, md5.digest('hex'));
    // What an SDK in a function sends: the header, from the invocation's _X_AMZN_TRACE_ID.
    const fromHeader = await fetch(sqs.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.SendMessage',
        'x-amzn-trace-id': 'Root=1-5759e988-00000000000000000000000a;Sampled=0',
      },
      body: JSON.stringify({ QueueUrl, MessageBody: 'from header' }),
    });
    assert.equal(fromHeader.status, 200);
    await sqs.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'untraced' }));
    const messages = await receive({ MessageSystemAttributeNames: ['AWSTraceHeader'] });
    assert.deepEqual(
      messages.map((m) => [m.Body, m.Attributes?.AWSTraceHeader]),
      [
        ['traced', TRACE],
        ['from header', 'Root=1-5759e988-00000000000000000000000a;Sampled=0'],
        ['untraced', undefined],
      ],
    );
    await assert.rejects(
      sqs.client.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: 'x',
          MessageSystemAttributes: { AWSTraceHeader: { DataType: 'Number', StringValue: '1' } },
        }),
      ),
      (error: Error) => error.name === 'InvalidParameterValue',
    );
  });

  it('sends, deletes and changes visibility in batches, entry by entry', async () => {
    const sent = await sqs.client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'two', DelaySeconds: 1000 },
          { Id: 'c', MessageBody: 'three' },
        ],
      }),
    );
    assert.deepEqual(
      sent.Successful?.map((entry) => entry.Id),
      ['a', 'c'],
    );
    assert.deepEqual(sent.Failed, [
      {
        Id: 'b',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message:
          'Value 1000 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.',
      },
    ]);
    const messages = await receive();
    const changed = await sqs.client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'x', ReceiptHandle: messages[0].ReceiptHandle, VisibilityTimeout: 100 },
          { Id: 'y', ReceiptHandle: 'nonsense', VisibilityTimeout: 100 },
        ],
      }),
    );
    assert.deepEqual(changed.Successful, [{ Id: 'x' }]);
    assert.equal(changed.Failed?.[0].Code, 'ReceiptHandleIsInvalid');
    const deleted = await sqs.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    assert.equal(deleted.Successful?.length, 2);
    clock.advance(200_000);
    assert.deepEqual(await bodies(), []);
  });

  it('rejects empty, oversized and ambiguous batches as a whole', async () => {
    await assert.rejects(sqs.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })), {
      name: 'EmptyBatchRequest',
    });
    const entries = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' }));
    await assert.rejects(sqs.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries })), {
      name: 'TooManyEntriesInBatchRequest',
      message: 'Maximum number of entries per request are 10. You have sent 11.',
    });
    await assert.rejects(
      sqs.client.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'same', MessageBody: 'a' },
            { Id: 'same', MessageBody: 'b' },
          ],
        }),
      ),
      { name: 'BatchEntryIdsNotDistinct' },
    );
    await assert.rejects(
      sqs.client.send(
        new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'bad id!', MessageBody: 'a' }] }),
      ),
      { name: 'InvalidBatchEntryId' },
    );
    const big = 'x'.repeat(600_000);
    await assert.rejects(
      sqs.client.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'a', MessageBody: big },
            { Id: 'b', MessageBody: big },
          ],
        }),
      ),
      { name: 'BatchRequestTooLong' },
    );
  });

  it('rejects a too-long message, invalid characters and invalid attributes', async () => {
    const small = (
      await sqs.client.send(
        new CreateQueueCommand({ QueueName: 'small', Attributes: { MaximumMessageSize: '1024' } }),
      )
    ).QueueUrl as string;
    await assert.rejects(
      sqs.client.send(new SendMessageCommand({ QueueUrl: small, MessageBody: 'x'.repeat(1025) })),
      {
        message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
      },
    );
    await assert.rejects(sqs.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bell \u0007' })), {
      name: 'InvalidMessageContents',
    });
    await assert.rejects(
      sqs.client.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: 'x',
          MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } },
        }),
      ),
      { name: 'InvalidParameterValue' },
    );
  });

  it('purges a queue', async () => {
    await sqs.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    await sqs.client.send(new PurgeQueueCommand({ QueueUrl }));
    assert.deepEqual(await bodies(), []);
  });

  it('checks MaxNumberOfMessages', async () => {
    await assert.rejects(receive({ MaxNumberOfMessages: 11 }), {
      name: 'InvalidParameterValue',
      message:
        'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    });
  });
});

/** SQS's MD5 encoding of a string: its UTF-8 length (4 bytes, big-endian), then its bytes. */
function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
