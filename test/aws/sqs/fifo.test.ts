import {
  CreateQueueCommand,
  DeleteMessageCommand,
  SendMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { ManualClock, startSqs, type Harness } from './helpers';

describe('aws/sqs FIFO queues', () => {
  let sqs: Harness;
  let clock: ManualClock;
  let QueueUrl: string;

  const send = (MessageBody: string, MessageGroupId: string, MessageDeduplicationId?: string) =>
    sqs.client.send(
      new SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId, MessageDeduplicationId }),
    );
  const receive = async (MaxNumberOfMessages = 10) =>
    (
      await sqs.client.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages, MessageSystemAttributeNames: ['All'] }),
      )
    ).Messages ?? [];

  beforeEach(async () => {
    clock = new ManualClock();
    sqs = await startSqs({ clock });
    QueueUrl = (
      await sqs.client.send(
        new CreateQueueCommand({
          QueueName: 'ledger.fifo',
          Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '10' },
        }),
      )
    ).QueueUrl as string;
  });
  afterEach(() => sqs.stop());

  it('gives a group’s messages in order, and nothing more of a group while one of it is in flight', async () => {
    await send('a1', 'a');
    await send('b1', 'b');
    await send('a2', 'a');
    const first = await receive(1);
    assert.deepEqual(
      first.map((m) => m.Body),
      ['a1'],
    );
    assert.deepEqual(
      (await receive()).map((m) => m.Body),
      ['b1'],
    );
    assert.deepEqual(await receive(), []);
    await sqs.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first[0].ReceiptHandle }));
    assert.deepEqual(
      (await receive()).map((m) => m.Body),
      ['a2'],
    );
  });

  it('gives a group’s message again, before the later ones, when its visibility timeout runs out', async () => {
    await send('one', 'g');
    await send('two', 'g');
    assert.deepEqual(
      (await receive(1)).map((m) => m.Body),
      ['one'],
    );
    clock.advance(10_000);
    assert.deepEqual(
      (await receive()).map((m) => m.Body),
      ['one', 'two'],
    );
  });

  it('numbers messages, and reports group, deduplication id and sequence number', async () => {
    const first = await send('x', 'g', 'd1');
    const second = await send('y', 'g', 'd2');
    assert.match(String(first.SequenceNumber), /^\d{20}$/);
    assert.ok(BigInt(String(second.SequenceNumber)) > BigInt(String(first.SequenceNumber)));
    const [message] = await receive(1);
    assert.equal(message.Attributes?.MessageGroupId, 'g');
    assert.equal(message.Attributes?.MessageDeduplicationId, 'd1');
    assert.equal(message.Attributes?.SequenceNumber, first.SequenceNumber);
  });

  it('accepts a duplicate within 5 minutes without storing it, by id or by content', async () => {
    const first = await send('same', 'g');
    const again = await send('same', 'g');
    assert.equal(again.MessageId, first.MessageId);
    assert.equal(again.SequenceNumber, first.SequenceNumber);
    const byId = await send('other body', 'g', 'explicit');
    assert.equal((await send('third body', 'g', 'explicit')).MessageId, byId.MessageId);
    assert.equal((await receive()).length, 2);
    clock.advance(5 * 60_000);
    assert.notEqual((await send('same', 'g')).MessageId, first.MessageId);
  });

  it('requires a group id, a deduplication id without content-based deduplication, and no per-message delay', async () => {
    await assert.rejects(sqs.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })), {
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageGroupId.',
    });
    await assert.rejects(
      sqs.client.send(
        new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', DelaySeconds: 5 }),
      ),
      { name: 'InvalidParameterValue' },
    );
    const plain = (
      await sqs.client.send(
        new CreateQueueCommand({ QueueName: 'plain.fifo', Attributes: { FifoQueue: 'true' } }),
      )
    ).QueueUrl;
    await assert.rejects(
      sqs.client.send(new SendMessageCommand({ QueueUrl: plain, MessageBody: 'x', MessageGroupId: 'g' })),
      {
        message:
          'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      },
    );
  });

  it('accepts a per-message DelaySeconds of 0, in SendMessage and SendMessageBatch, and delivers at once', async () => {
    await sqs.client.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'now', MessageGroupId: 'g', DelaySeconds: 0 }),
    );
    const batch = await sqs.client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'zero', MessageBody: 'batched', MessageGroupId: 'g', DelaySeconds: 0 },
          { Id: 'five', MessageBody: 'late', MessageGroupId: 'g', DelaySeconds: 5 },
        ],
      }),
    );
    assert.deepEqual(
      batch.Successful?.map((entry) => entry.Id),
      ['zero'],
    );
    assert.deepEqual(
      batch.Failed?.map(({ Id, Code, Message }) => [Id, Code, Message]),
      [
        [
          'five',
          'InvalidParameterValue',
          'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
        ],
      ],
    );
    assert.deepEqual(
      (await receive()).map((message) => message.Body),
      ['now', 'batched'],
    );
  });
});
