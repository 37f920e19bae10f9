import { strict as assert } from 'node:assert';
import {
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { emulate, type EmulatedService } from '../../src/testing';
import { fixture } from '../helpers/cli';

// A minute before 02:00 UTC, on a minute boundary (the tumbling windows') and a whole second (TTL's).
const START = Date.parse('2030-01-01T01:59:00Z');

interface StreamFailure {
  requestContext: { condition: string; approximateInvokeCount: number };
  KinesisBatchInfo?: { batchSize: number };
  DDBStreamBatchInfo?: { batchSize: number };
}

interface TumblingEvent {
  Records: unknown[];
  state: { count?: number };
  window: { start: string; end: string };
  isFinalInvokeForWindow: boolean;
}

describe('serverless-emulate/testing: each of the emulator timers in virtual time, with AWS delays', function () {
  this.timeout(60_000);
  let service: EmulatedService;
  let sqs: SQSClient;
  let kinesis: KinesisClient;
  let dynamodb: DynamoDBClient;

  before(async () => {
    service = await emulate({ dir: fixture('virtual-time'), clock: 'virtual', startAt: START });
    sqs = new SQSClient(service.aws.clientConfig);
    kinesis = new KinesisClient(service.aws.clientConfig);
    dynamodb = new DynamoDBClient(service.aws.clientConfig);
  });
  after(async () => {
    for (const client of [sqs, kinesis, dynamodb]) client?.destroy();
    await service?.stop();
  });

  const count = (fn: string) => service.invocations({ function: fn }).length;
  const elapsed = () => service.now().getTime() - START;
  const queueUrl = async (name: string) =>
    (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl as string;
  /** What a receive takes now; with `VisibilityTimeout: 0` it leaves the messages visible. */
  const receive = async (queue: string): Promise<Message[]> => {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: await queueUrl(queue),
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
      }),
    );
    return Messages ?? [];
  };
  const send = async (queue: string, body: string, delaySeconds?: number) =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: await queueUrl(queue),
        MessageBody: body,
        DelaySeconds: delaySeconds,
      }),
    );
  const put = (stream: string, ...data: string[]) =>
    kinesis.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: data.map((d) => ({ Data: Buffer.from(d), PartitionKey: 'p' })),
      }),
    );
  const streamFailures = async () =>
    (await receive('vt-stream-failures')).map((m) => JSON.parse(m.Body as string) as StreamFailure);

  describe('schedules', () => {
    // First, while virtual time is still at START (reset keeps time as it is).
    it('fires rate(5 minutes) every 5 minutes and cron(0 2 * * ? *) at 02:00', async () => {
      await service.advance('59s');
      assert.deepEqual([count('nightly'), count('every5')], [0, 0]);
      await service.advance('2s');
      const [nightly] = service.invocations({ function: 'nightly' });
      assert.equal((nightly.event as { time: string }).time, '2030-01-01T02:00:00Z');
      assert.equal(count('every5'), 0, 'rate(5 minutes): not before 5 minutes');
      await service.advance('4m');
      assert.equal(count('every5'), 1);
      await service.advance('10m');
      assert.equal(count('every5'), 3, 'at 5, 10 and 15 minutes');
      const times = service
        .invocations({ function: 'every5' })
        .map((i) => (i.event as { time: string }).time);
      assert.deepEqual(times, ['2030-01-01T02:04:00Z', '2030-01-01T02:09:00Z', '2030-01-01T02:14:00Z']);
    });

    it('fires at(2030-01-01T02:30:00) once, at that time', async () => {
      assert.equal(count('once'), 0, 'not before 02:30');
      await service.advance('20m');
      const [once, ...again] = service.invocations({ function: 'once' });
      assert.equal((once?.event as { time: string }).time, '2030-01-01T02:30:00Z');
      assert.equal(again.length, 0);
      await service.advance('30m');
      assert.equal(count('once'), 1, 'a one-off does not fire again');
    });
  });

  describe('the rest', () => {
    beforeEach(() => service.reset());

    it('sends an async event retried past its maximumEventAge (60 s) to its destination: EventAgeExceeded', async () => {
      await service.invoke('expiring', {}, { type: 'Event' });
      await service.advance('59s');
      assert.equal(count('expiring'), 1);
      await service.advance('1s');
      assert.equal(count('expiring'), 2, 'the first retry, a minute later: the event is 60 s old');
      assert.equal(count('recorder'), 0);
      await service.advance('2m');
      assert.equal(count('expiring'), 2, 'the second retry, 2 minutes later, is past the age');
      const [record] = service.invocations({ function: 'recorder' });
      const { condition, approximateInvokeCount } = (
        record.event as { requestContext: { condition: string; approximateInvokeCount: number } }
      ).requestContext;
      assert.deepEqual([condition, approximateInvokeCount], ['EventAgeExceeded', 2]);
    });

    it("redelivers a failed SQS message after the queue's VisibilityTimeout, then moves it to the DLQ", async () => {
      await send('vt-work', 'job');
      await service.settle();
      assert.equal(count('worker'), 1);
      await service.advance('29s');
      assert.equal(count('worker'), 1, 'invisible for 30 s');
      await service.advance('2s');
      assert.deepEqual(
        service.invocations({ function: 'worker' }).map((i) => i.attempt),
        [1, 2],
      );
      assert.deepEqual(await receive('vt-work-dlq'), []);
      await service.advance('30s');
      assert.equal(count('worker'), 2, 'maxReceiveCount 2: no third receive');
      assert.deepEqual(
        (await receive('vt-work-dlq')).map((m) => m.Body),
        ['job'],
      );
    });

    it("delays an SQS message by the queue's DelaySeconds (90 s)", async () => {
      await send('vt-delayed', 'later');
      await service.advance('89s');
      assert.equal(count('delayedWorker'), 0);
      await service.advance('2s');
      assert.equal(count('delayedWorker'), 1);
    });

    it("delays an SQS message by SendMessage's DelaySeconds, and drops it past MessageRetentionPeriod (60 s)", async () => {
      await send('vt-plain', 'delayed', 20);
      await send('vt-plain', 'kept');
      await service.advance('19s');
      assert.deepEqual(
        (await receive('vt-plain')).map((m) => m.Body),
        ['kept'],
      );
      await service.advance('2s');
      assert.deepEqual((await receive('vt-plain')).map((m) => m.Body).sort(), ['delayed', 'kept']);
      await service.advance('38s');
      assert.equal((await receive('vt-plain')).length, 2, '59 s old');
      await service.advance('2s');
      assert.deepEqual(await receive('vt-plain'), [], 'sent 61 s ago: past the retention period');
    });

    it('gathers SQS messages for the maximumBatchingWindow (20 s) before it invokes', async () => {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: await queueUrl('vt-batched'),
          Entries: ['a', 'b', 'c'].map((id) => ({ Id: id, MessageBody: id })),
        }),
      );
      await service.advance('19s');
      assert.equal(count('batcher'), 0);
      await service.advance('2s');
      const batches = service.invocations({ function: 'batcher' });
      assert.deepEqual(
        batches.map((i) => (i.event as { Records: unknown[] }).Records.length),
        [3],
      );
    });

    it('retries a failed Kinesis batch after retryDelay (30 s), bisecting it, then sends it to its destination', async () => {
      await put('vt-bisected', 'good', 'bad');
      await service.settle();
      assert.equal(count('bisected'), 1);
      await service.advance('29s');
      assert.equal(count('bisected'), 1, 'the halves after the retry delay');
      await service.advance('2s');
      const sizes = () =>
        service
          .invocations({ function: 'bisected' })
          .map((i) => (i.event as { Records: unknown[] }).Records.length);
      assert.deepEqual(sizes(), [2, 1, 1]);
      await service.advance('28s');
      assert.deepEqual(sizes(), [2, 1, 1]);
      assert.deepEqual(await streamFailures(), []);
      await service.advance('2s');
      assert.deepEqual(sizes(), [2, 1, 1, 1], 'the one retry of the bad half');
      const [failure] = await streamFailures();
      assert.deepEqual(
        [
          failure.requestContext.condition,
          failure.requestContext.approximateInvokeCount,
          failure.KinesisBatchInfo?.batchSize,
        ],
        ['RetryAttemptsExhausted', 2, 1],
      );
    });

    it('retries a failed DynamoDB stream batch after retryDelay (30 s) as well', async () => {
      await dynamodb.send(new PutItemCommand({ TableName: 'vt-ledger', Item: { id: { S: 'l1' } } }));
      await service.settle();
      assert.equal(count('ledger'), 1);
      await service.advance('29s');
      assert.equal(count('ledger'), 1);
      assert.deepEqual(await streamFailures(), []);
      await service.advance('2s');
      assert.equal(count('ledger'), 2, 'its one retry');
      const [failure] = await streamFailures();
      assert.deepEqual(
        [failure.requestContext.condition, failure.DDBStreamBatchInfo?.batchSize],
        ['RetryAttemptsExhausted', 1],
      );
    });

    it('gives up a stream batch older than maximumRecordAgeInSeconds (60 s): RecordAgeExceeded', async () => {
      await put('vt-aged', 'x');
      await service.advance('61s');
      assert.equal(count('aged'), 3, 'at 0, 30 and 60 s: 60 s old is not older than the maximum');
      assert.deepEqual(await streamFailures(), []);
      await service.advance('30s');
      assert.equal(count('aged'), 3);
      const [failure] = await streamFailures();
      assert.deepEqual(
        [failure.requestContext.condition, failure.requestContext.approximateInvokeCount],
        ['RecordAgeExceeded', 3],
      );
    });

    it('ends a tumbling window (60 s) with its final invocation once its seconds are over', async () => {
      await service.advance(60_000 - (elapsed() % 60_000));
      const base = elapsed();
      await put('vt-windowed', 'a', 'b');
      await service.settle();
      await put('vt-windowed', 'c');
      await service.advance('59s');
      const events = () => service.invocations({ function: 'windows' }).map((i) => i.event as TumblingEvent);
      assert.deepEqual(
        events().map((e) => [e.Records.length, e.state.count ?? 0, e.isFinalInvokeForWindow]),
        [
          [2, 0, false],
          [1, 2, false],
        ],
      );
      await service.advance('2s');
      const final = events()[2];
      assert.deepEqual(
        [final.Records.length, final.state, final.isFinalInvokeForWindow],
        [0, { count: 3 }, true],
      );
      assert.deepEqual(final.window, {
        start: new Date(START + base).toISOString(),
        end: new Date(START + base + 60_000).toISOString(),
      });
    });

    it("deletes an item once its TTL has passed (the table's TimeToLiveSpecification), as a REMOVE stream record", async () => {
      const { TimeToLiveDescription } = await dynamodb.send(
        new DescribeTimeToLiveCommand({ TableName: 'vt-sessions' }),
      );
      assert.deepEqual(TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
      const expires = Math.floor(service.now().getTime() / 1000) + 30;
      const Key = { id: { S: 's1' } };
      await dynamodb.send(
        new PutItemCommand({ TableName: 'vt-sessions', Item: { ...Key, expires: { N: String(expires) } } }),
      );
      const item = async () =>
        (await dynamodb.send(new GetItemCommand({ TableName: 'vt-sessions', Key }))).Item;
      await service.advance('29s');
      assert.ok(await item(), 'not expired yet');
      // AWS deletes an expired item within days; the emulator sweeps every 10 s.
      await service.advance('12s');
      assert.equal(await item(), undefined);
      const records = service
        .invocations({ function: 'audit' })
        .flatMap(
          (i) => (i.event as { Records: Array<{ eventName: string; userIdentity?: unknown }> }).Records,
        );
      assert.deepEqual(
        records.map((r) => [r.eventName, r.userIdentity]),
        [
          ['INSERT', undefined],
          ['REMOVE', { type: 'Service', principalId: 'dynamodb.amazonaws.com' }],
        ],
      );
    });
  });
});
