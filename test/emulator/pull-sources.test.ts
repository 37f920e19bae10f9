import {
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { clientConfig, startEmulator, type RunningEmulator } from '../helpers/emulate';
import { recorded, type Recorded } from '../helpers/records';

describe('sls emulate: event source mappings over the embedded SQS, Kinesis and DynamoDB Streams', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-pull-'));
  const recordFile = path.join(dir, 'records.jsonl');
  const { records, waitUntil, waitFor } = recorded(recordFile);
  let emulator: RunningEmulator;
  let sqs: SQSClient;
  const start = async () => {
    emulator = await startEmulator(fixture('pull'), ['--state-dir', path.join(dir, 'state')], {
      RECORD_FILE: recordFile,
    });
    sqs = new SQSClient(clientConfig(emulator.aws));
  };
  const queueUrl = async (name: string) =>
    (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl as string;
  const of = (fn: string) => (r: Recorded) => r.fn === `pull-dev-${fn}`;
  const bodies = (fn: string) =>
    records()
      .filter(of(fn))
      .flatMap((r) => r.event.Records.map((m: { body: string }) => m.body));
  const clickData = (r: Recorded) =>
    r.event.Records.map((k: { kinesis: { data: string } }) =>
      JSON.parse(Buffer.from(k.kinesis.data, 'base64').toString('utf8')),
    );

  before(start);
  after(async () => {
    sqs?.destroy();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the mappings when it starts', () => {
    assert.match(emulator.output(), /worker ← sqs jobs \(batch 5\)/);
    assert.match(emulator.output(), /audit ← dynamodb items \(batch 10\)/);
  });

  it('invokes an SQS worker with SQSEvent batches, deletes what succeeded and redrives a failing message to the DLQ after maxReceiveCount', async () => {
    const url = await queueUrl('jobs');
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: JSON.stringify({ n: 1 }) },
          { Id: 'b', MessageBody: JSON.stringify({ n: 2, fail: true }) },
          {
            Id: 'c',
            MessageBody: JSON.stringify({ n: 3 }),
            MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
          },
        ],
      }),
    );
    const first = await waitFor(of('worker'));
    const record = first.event.Records.find((r: { body: string }) => r.body === JSON.stringify({ n: 3 }));
    assert.equal(record.eventSource, 'aws:sqs');
    assert.equal(record.eventSourceARN, 'arn:aws:sqs:us-east-1:000000000000:jobs');
    assert.equal(record.awsRegion, 'us-east-1');
    assert.match(record.md5OfBody, /^[0-9a-f]{32}$/);
    assert.deepEqual(record.messageAttributes.kind, {
      stringValue: 'test',
      stringListValues: [],
      binaryListValues: [],
      dataType: 'String',
    });
    assert.deepEqual(Object.keys(record.attributes).sort(), [
      'ApproximateFirstReceiveTimestamp',
      'ApproximateReceiveCount',
      'SenderId',
      'SentTimestamp',
    ]);
    // The failing message comes back after the 1 s visibility timeout, then goes to the DLQ.
    await waitUntil(() => bodies('worker').filter((b) => b.includes('fail')).length === 2);
    const dlq = await queueUrl('jobs-dlq');
    let moved: string | undefined;
    for (let i = 0; i < 40 && !moved; i++) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlq,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      moved = Messages?.[0]?.Body;
    }
    assert.equal(moved, JSON.stringify({ n: 2, fail: true }));
    assert.equal(bodies('worker').filter((b) => b.includes('fail')).length, 2);
    assert.deepEqual(
      bodies('worker')
        .filter((b) => !b.includes('fail'))
        .sort(),
      [JSON.stringify({ n: 1 }), JSON.stringify({ n: 3 })],
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    assert.equal(Attributes?.ApproximateNumberOfMessages, '0');
    assert.equal(Attributes?.ApproximateNumberOfMessagesNotVisible, '0');
  });

  it('takes messages from aws-sdk v2 and from a Query form post (older SDKs, the AWS CLI v1) alike', async () => {
    // aws-sdk v2 prints a maintenance notice when loaded; it is loaded here only.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const AWS = require('aws-sdk') as typeof import('aws-sdk');
    const v2 = new AWS.SQS({ ...clientConfig(emulator.aws), maxRetries: 0 });
    const url = await queueUrl('jobs');
    const sent = await v2.sendMessage({ QueueUrl: url, MessageBody: '{"n":"v2"}' }).promise();
    assert.match(sent.MD5OfMessageBody ?? '', /^[0-9a-f]{32}$/);
    const query = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        Action: 'SendMessage',
        Version: '2012-11-05',
        MessageBody: '{"n":"query"}',
      }),
    });
    assert.equal(query.status, 200);
    assert.match(await query.text(), /<SendMessageResponse[^>]*>[\s\S]*<MD5OfMessageBody>/);
    await waitUntil(() => ['{"n":"v2"}', '{"n":"query"}'].every((b) => bodies('worker').includes(b)));
  });

  it('keeps a FIFO queue in order per message group', async () => {
    const url = await queueUrl('ordered.fifo');
    for (let i = 0; i < 15; i++) {
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${i}`, MessageGroupId: 'g' }));
    }
    await waitUntil(() => bodies('fifoWorker').length === 15);
    assert.deepEqual(
      bodies('fifoWorker'),
      Array.from({ length: 15 }, (_, i) => `m${i}`),
    );
    const first = records().find(of('fifoWorker'));
    assert.equal(first?.event.Records[0].attributes.MessageGroupId, 'g');
    assert.match(first?.event.Records[0].attributes.SequenceNumber, /^\d+$/);
  });

  it('deletes messages no filter pattern matches, without invoking', async () => {
    const url = await queueUrl('filtered');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify({ kind: 'other' }) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'plain text' }));
    await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify({ kind: 'wanted' }) }),
    );
    await waitFor(of('filtered'));
    await emulator.waitForOutput(/filtered: .*matched no filter pattern → deleted/);
    assert.deepEqual(bodies('filtered'), [JSON.stringify({ kind: 'wanted' })]);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    assert.equal(Attributes?.ApproximateNumberOfMessages, '0');
  });

  it("processes a Kinesis shard in order, bisects a failing batch and sends the bad record's batch info to onFailure", async () => {
    const kinesis = new KinesisClient(clientConfig(emulator.aws));
    const data = [{ n: 1 }, { n: 2 }, { n: 3, fail: true }, { n: 4 }];
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'clicks',
        Records: data.map((d) => ({ PartitionKey: 'user-1', Data: Buffer.from(JSON.stringify(d)) })),
      }),
    );
    const failures = await queueUrl('stream-failures');
    let body: string | undefined;
    for (let i = 0; i < 40 && !body; i++) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: failures, WaitTimeSeconds: 1 }),
      );
      body = Messages?.[0]?.Body;
    }
    const failure = JSON.parse(body ?? '{}');
    assert.equal(failure.requestContext.condition, 'RetryAttemptsExhausted');
    assert.equal(failure.requestContext.approximateInvokeCount, 2);
    assert.equal(failure.responseContext.functionError, 'Unhandled');
    assert.equal(failure.KinesisBatchInfo.batchSize, 1);
    assert.equal(failure.KinesisBatchInfo.streamArn, 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks');
    const batches = await waitUntil((all) =>
      all.filter(of('clicks')).some((r) => clickData(r).length === 1 && clickData(r)[0].n === 4),
    );
    const clicks = batches.filter(of('clicks'));
    // The whole batch, then its halves, then the bad record alone (1 retry), then the rest.
    assert.deepEqual(
      clicks.map((r) => clickData(r).map((d: { n: number }) => d.n)),
      [[1, 2, 3, 4], [1, 2], [3, 4], [3], [3], [4]],
    );
    const record = clicks[0].event.Records[0];
    assert.equal(record.eventSource, 'aws:kinesis');
    assert.equal(record.eventName, 'aws:kinesis:record');
    assert.equal(record.kinesis.partitionKey, 'user-1');
    assert.equal(record.eventID, `${failure.KinesisBatchInfo.shardId}:${record.kinesis.sequenceNumber}`);
    kinesis.destroy();
  });

  it("carries a tumbling window's state between invocations and ends the window with a final invocation", async () => {
    const kinesis = new KinesisClient(clientConfig(emulator.aws));
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'windowed',
        Records: [1, 2, 3].map((n) => ({ PartitionKey: 'k', Data: Buffer.from(String(n)) })),
      }),
    );
    const all = await waitUntil((rs) => rs.some((r) => of('windows')(r) && r.event.isFinalInvokeForWindow));
    const windows = all.filter(of('windows'));
    const final = windows.find((r) => r.event.isFinalInvokeForWindow) as Recorded;
    assert.deepEqual(final.event.state, { count: 3 });
    assert.deepEqual(final.event.Records, []);
    assert.equal(final.event.shardId, 'shardId-000000000000');
    assert.equal(final.event.eventSourceARN, 'arn:aws:kinesis:us-east-1:000000000000:stream/windowed');
    assert.equal(Date.parse(final.event.window.end) - Date.parse(final.event.window.start), 1000);
    kinesis.destroy();
  });

  it('invokes a DynamoDB stream consumer with INSERT, MODIFY and REMOVE records in order', async () => {
    const dynamodb = new DynamoDBClient(clientConfig(emulator.aws));
    await dynamodb.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: 'i1' }, v: { N: '1' } } }));
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: 'items',
        Key: { id: { S: 'i1' } },
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': { N: '2' } },
      }),
    );
    await dynamodb.send(new DeleteItemCommand({ TableName: 'items', Key: { id: { S: 'i1' } } }));
    const all = await waitUntil((rs) => rs.filter(of('audit')).flatMap((r) => r.event.Records).length >= 3);
    const stream = all.filter(of('audit')).flatMap((r) => r.event.Records);
    assert.deepEqual(
      stream.map((r) => r.eventName),
      ['INSERT', 'MODIFY', 'REMOVE'],
    );
    assert.deepEqual(stream[1].dynamodb.OldImage, { id: { S: 'i1' }, v: { N: '1' } });
    assert.deepEqual(stream[1].dynamodb.NewImage, { id: { S: 'i1' }, v: { N: '2' } });
    assert.deepEqual(stream[2].dynamodb.Keys, { id: { S: 'i1' } });
    assert.equal(stream[0].eventSource, 'aws:dynamodb');
    assert.match(stream[0].eventSourceARN, /^arn:aws:dynamodb:us-east-1:000000000000:table\/items\/stream\//);
    // The same records through the DynamoDB Streams API.
    const streams = new DynamoDBStreamsClient(clientConfig(emulator.aws));
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: stream[0].eventSourceARN }),
    );
    assert.equal(StreamDescription?.StreamViewType, 'NEW_AND_OLD_IMAGES');
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: stream[0].eventSourceARN,
        ShardId: StreamDescription?.Shards?.[0]?.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(
      Records?.map((r) => r.eventName),
      ['INSERT', 'MODIFY', 'REMOVE'],
    );
    streams.destroy();
    dynamodb.destroy();
  });

  it('after a SIGKILL and restart, replays nothing processed and delivers what arrived meanwhile', async () => {
    const before = records().length;
    await emulator.kill();
    sqs.destroy();
    await start();
    const kinesis = new KinesisClient(clientConfig(emulator.aws));
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'clicks',
        Records: [{ PartitionKey: 'user-2', Data: Buffer.from(JSON.stringify({ n: 5 })) }],
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl('jobs'), MessageBody: '{"n":6}' }));
    const all = await waitUntil(
      (rs) => rs.slice(before).filter((r) => of('clicks')(r) || of('worker')(r)).length >= 2,
    );
    const after = all.slice(before);
    assert.deepEqual(
      after.filter(of('clicks')).map((r) => clickData(r).map((d: { n: number }) => d.n)),
      [[5]],
    );
    assert.deepEqual(
      after.filter(of('worker')).map((r) => r.event.Records.map((m: { body: string }) => m.body)),
      [['{"n":6}']],
    );
    kinesis.destroy();
  });
});
