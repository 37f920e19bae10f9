import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqsService } from '../../../src/aws/sqs/sqs-service';
import { openStateDatabase } from '../../../src/state/database';
import { ACCOUNT, ManualClock, queueArn, REGION, startSqs, type Harness } from './helpers';

describe('aws/sqs service', () => {
  describe('long polling', () => {
    let sqs: Harness;
    let clock: ManualClock;
    beforeEach(async () => {
      clock = new ManualClock();
      sqs = await startSqs({ queues: [{ name: 'jobs', attributes: {} }], clock });
    });
    afterEach(() => sqs.stop());
    const QueueUrl = () => `${sqs.url}/${ACCOUNT}/jobs`;

    it('answers as soon as a message is sent, not at the end of the wait', async () => {
      const started = clock.now();
      const polled = sqs.client.send(
        new ReceiveMessageCommand({ QueueUrl: QueueUrl(), WaitTimeSeconds: 20 }),
      );
      await clock.untilTimerSet();
      clock.advance(50);
      await sqs.client.send(new SendMessageCommand({ QueueUrl: QueueUrl(), MessageBody: 'wake up' }));
      const { Messages } = await polled;
      assert.equal(Messages?.[0].Body, 'wake up');
      assert.ok(clock.now() - started < 2_000);
    });

    it('answers when a message becomes visible again during the wait', async () => {
      await sqs.client.send(new SendMessageCommand({ QueueUrl: QueueUrl(), MessageBody: 'again' }));
      await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: QueueUrl(), VisibilityTimeout: 1 }));
      const polled = sqs.client.send(new ReceiveMessageCommand({ QueueUrl: QueueUrl(), WaitTimeSeconds: 5 }));
      await clock.untilTimerSet();
      clock.advance(1_000);
      const { Messages } = await polled;
      assert.equal(Messages?.[0].Body, 'again');
    });

    it('answers when a message shortened to become visible during the wait does', async () => {
      await sqs.client.send(new SendMessageCommand({ QueueUrl: QueueUrl(), MessageBody: 'sooner' }));
      const taken = await sqs.client.send(
        new ReceiveMessageCommand({ QueueUrl: QueueUrl(), VisibilityTimeout: 60 }),
      );
      const started = clock.now();
      const polled = sqs.client.send(
        new ReceiveMessageCommand({ QueueUrl: QueueUrl(), WaitTimeSeconds: 20 }),
      );
      await clock.untilTimerSet();
      await sqs.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: QueueUrl(),
          ReceiptHandle: taken.Messages?.[0].ReceiptHandle,
          VisibilityTimeout: 1,
        }),
      );
      clock.advance(1_000);
      const { Messages } = await polled;
      assert.equal(Messages?.[0].Body, 'sooner');
      assert.equal(clock.now() - started, 1_000);
    });

    it('answers with no messages when the wait ends, or when the service stops', async () => {
      const polled = sqs.client.send(new ReceiveMessageCommand({ QueueUrl: QueueUrl(), WaitTimeSeconds: 1 }));
      await clock.untilTimerSet();
      clock.advance(1_000);
      const { Messages } = await polled;
      assert.equal(Messages, undefined);
      const pending = sqs.service.receiveMessage({ QueueUrl: QueueUrl(), WaitTimeSeconds: 20 });
      sqs.service.stop();
      assert.deepEqual(await pending, {});
    });
  });

  describe('the programmatic API of the event source mappings', () => {
    let clock: ManualClock;
    let service: SqsService;
    beforeEach(() => {
      clock = new ManualClock();
      service = new SqsService({
        db: openStateDatabase(mkdtempSync(path.join(tmpdir(), 'sqs-')), { reset: false }),
        region: REGION,
        accountId: ACCOUNT,
        queues: [{ name: 'work', attributes: { VisibilityTimeout: '20' } }],
        clock,
      });
    });

    it('finds queues by ARN and name, and receives, deletes and changes visibility in batches', async () => {
      const QueueUrl = service.queueUrlOf(queueArn('work'));
      assert.equal(QueueUrl, `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/work`);
      assert.deepEqual(await service.getQueueUrl({ QueueName: 'work' }), { QueueUrl });
      await service.sendMessage({
        QueueUrl,
        MessageBody: 'b',
        MessageAttributes: { bin: { DataType: 'Binary', BinaryValue: new Uint8Array([9]) } },
      });
      await service.sendMessage({ QueueUrl, MessageBody: 'c' });
      const { Messages = [] } = await service.receiveMessage({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      });
      assert.deepEqual(
        Messages.map((m) => m.Body),
        ['b', 'c'],
      );
      assert.deepEqual([...(Messages[0].MessageAttributes?.bin.BinaryValue ?? [])], [9]);
      const changed = await service.changeMessageVisibilityBatch({
        QueueUrl,
        Entries: [{ Id: 'c', ReceiptHandle: Messages[1].ReceiptHandle, VisibilityTimeout: 0 }],
      });
      assert.deepEqual(changed, { Successful: [{ Id: 'c' }], Failed: [] });
      const deleted = await service.deleteMessageBatch({
        QueueUrl,
        Entries: [{ Id: 'b', ReceiptHandle: Messages[0].ReceiptHandle }],
      });
      assert.deepEqual(deleted.Successful, [{ Id: 'b' }]);
      const attributes = await service.getQueueAttributes({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'VisibilityTimeout'],
      });
      assert.deepEqual(attributes.Attributes, { ApproximateNumberOfMessages: '1', VisibilityTimeout: '20' });
      service.stop();
    });

    it('throws errors named as the SDK names them', async () => {
      await assert.rejects(service.getQueueUrl({ QueueName: 'nope' }), { name: 'QueueDoesNotExist' });
      assert.throws(() => service.queueUrlOf(queueArn('nope')), { name: 'QueueDoesNotExist' });
      service.stop();
    });
  });

  it('keeps API queues and messages across restarts; in-flight messages stay invisible until their timeout', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sqs-persist-'));
    const clock = new ManualClock();
    try {
      const first = await startSqs({ db: openStateDatabase(dir, { reset: false }), clock });
      const { QueueUrl } = await first.client.send(new CreateQueueCommand({ QueueName: 'kept' }));
      await first.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'in flight' }));
      await first.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'waiting' }));
      await first.client.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 60 }));
      await first.stop();

      const second = await startSqs({ db: openStateDatabase(dir, { reset: false }), clock });
      const url = `${second.url}/${ACCOUNT}/kept`;
      const receive = async () =>
        (
          await second.client.send(
            new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }),
          )
        ).Messages?.map((m) => m.Body);
      assert.deepEqual(await receive(), ['waiting']);
      clock.advance(60_000);
      assert.deepEqual(await receive(), ['in flight']);
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('recreates the service’s own queues with their configured attributes at every start', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sqs-model-'));
    try {
      const db = openStateDatabase(dir, { reset: false });
      const options = { db, region: REGION, accountId: ACCOUNT };
      new SqsService({ ...options, queues: [{ name: 'q', attributes: { VisibilityTimeout: '10' } }] }).stop();
      const service = new SqsService({
        ...options,
        queues: [{ name: 'q', attributes: { VisibilityTimeout: '99' } }],
      });
      const { Attributes } = await service.getQueueAttributes({
        QueueUrl: service.queueUrlOf(queueArn('q')),
        AttributeNames: ['VisibilityTimeout'],
      });
      assert.equal(Attributes?.VisibilityTimeout, '99');
      service.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
