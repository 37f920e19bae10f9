import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { clientConfig, emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';

const SERVICE = fixture('s3-destinations');
const ACCOUNT = '000000000000';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** `<prefix>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>`, the day folders repeating the name's date. */
const datedKey = (prefix: string) =>
  new RegExp(`^${prefix}/(\\d{4})/(\\d{2})/(\\d{2})/\\1-\\2-\\3T\\d{2}\\.\\d{2}\\.\\d{2}-${UUID}$`);

interface FailureRecord {
  version: string;
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: string;
    approximateInvokeCount: number;
  };
  responseContext?: { statusCode: number; executedVersion: string; functionError?: string };
  requestPayload?: unknown;
  responsePayload?: { errorMessage?: string };
  KinesisBatchInfo?: { shardId: string; streamArn: string; batchSize: number };
  DDBStreamBatchInfo?: { shardId: string; streamArn: string; batchSize: number };
  payload?: string;
}

interface KinesisEvent {
  Records: Array<{ eventSource: string; kinesis: { data: string; partitionKey: string } }>;
}

async function until<T>(check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('sls emulate: S3 and oversized SNS on-failure destinations', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-s3-destinations-'));
  let emulator: EmulatorUnderTest;
  let lambda: LambdaClient;
  let s3: S3Client;
  let sqs: SQSClient;
  let kinesis: KinesisClient;
  let dynamodb: DynamoDBClient;

  before(async () => {
    emulator = await emulateInProcess(SERVICE, { stateDir: path.join(dir, 'state') });
    lambda = new LambdaClient(clientConfig(emulator.aws));
    s3 = new S3Client({ ...clientConfig(emulator.aws), forcePathStyle: true });
    sqs = new SQSClient(clientConfig(emulator.aws));
    kinesis = new KinesisClient(clientConfig(emulator.aws));
    dynamodb = new DynamoDBClient(clientConfig(emulator.aws));
  });
  after(async () => {
    for (const client of [lambda, s3, sqs, kinesis, dynamodb]) client?.destroy();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const invokeEvent = (name: string, payload: unknown) =>
    lambda.send(
      new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: JSON.stringify(payload) }),
    );

  /** The one object under `prefix`, once it is there: its key and its JSON. */
  const theObject = (bucket: string, prefix: string) =>
    until(async () => {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      const key = listed.Contents?.[0]?.Key;
      if (key === undefined) return undefined;
      assert.equal(listed.KeyCount, 1, `one object under ${prefix}`);
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { key, record: JSON.parse((await object.Body?.transformToString()) ?? '') as FailureRecord };
    });

  it('writes a failed async invocation record into the bucket under aws/lambda/async/<function-name>/', async () => {
    assert.equal((await invokeEvent('failing', { id: 'a1' })).StatusCode, 202);
    const prefix = 'aws/lambda/async/s3-destinations-dev-failing';
    const { key, record } = await theObject('async-failures', `${prefix}/`);
    assert.match(key, datedKey(prefix));
    assert.equal(record.version, '1.0');
    assert.equal(
      record.requestContext.functionArn,
      `arn:aws:lambda:us-east-1:${ACCOUNT}:function:s3-destinations-dev-failing:$LATEST`,
    );
    assert.equal(record.requestContext.condition, 'RetriesExhausted');
    assert.equal(record.requestContext.approximateInvokeCount, 1);
    assert.deepEqual(record.requestPayload, { id: 'a1' });
    assert.deepEqual(record.responseContext, {
      statusCode: 200,
      executedVersion: '$LATEST',
      functionError: 'Unhandled',
    });
    assert.equal(record.responsePayload?.errorMessage, 'failing a1');
    // The key's time and the record's are both the emulator's clock, taken as the record is written.
    assert.equal(key.split('/')[7].slice(0, 10), record.timestamp.slice(0, 10));
  });

  it('reads the S3 destination and retries of an AWS::Lambda::EventInvokeConfig resource (the form that deploys)', async () => {
    assert.equal((await invokeEvent('configured', { id: 'c1' })).StatusCode, 202);
    const prefix = 'aws/lambda/async/s3-destinations-dev-configured';
    const { key, record } = await theObject('async-failures', `${prefix}/`);
    assert.match(key, datedKey(prefix));
    assert.deepEqual(record.requestPayload, { id: 'c1' });
    assert.equal(record.requestContext.approximateInvokeCount, 1);
  });

  it('writes a stream batch discarded after maximumRetryAttempts, with its payload, under aws/lambda/<mapping>/<shard>/', async () => {
    const data = JSON.stringify({ order: 'o-1' });
    const put = await kinesis.send(
      new PutRecordCommand({ StreamName: 'orders', PartitionKey: 'o-1', Data: Buffer.from(data) }),
    );
    const { key, record } = await theObject('stream-failures', 'aws/lambda/');
    assert.match(key, datedKey(`aws/lambda/${UUID}/${put.ShardId}`));
    assert.equal(record.requestContext.condition, 'RetryAttemptsExhausted');
    assert.equal(record.requestContext.approximateInvokeCount, 2);
    assert.equal(record.responseContext?.functionError, 'Unhandled');
    assert.equal(record.KinesisBatchInfo?.shardId, put.ShardId);
    assert.equal(record.KinesisBatchInfo?.streamArn, `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/orders`);
    assert.equal(record.KinesisBatchInfo?.batchSize, 1);
    // The S3 object carries the batch as the function got it; a queue or topic gets only the metadata.
    // "the payload field contains the original invocation record as an escaped JSON string"
    assert.equal(typeof record.payload, 'string');
    const records = (JSON.parse(record.payload ?? '{}') as KinesisEvent).Records;
    assert.equal(records.length, 1);
    const [first] = records;
    assert.equal(first.eventSource, 'aws:kinesis');
    assert.equal(first.kinesis.partitionKey, 'o-1');
    assert.equal(Buffer.from(first.kinesis.data, 'base64').toString(), data);
  });

  it('writes a DynamoDB stream batch the same way, with DDBStreamBatchInfo and the stream records as payload', async () => {
    await dynamodb.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: 'i-1' } } }));
    const { key, record } = await theObject('table-failures', 'aws/lambda/');
    const info = record.DDBStreamBatchInfo;
    assert.ok(info, JSON.stringify(record));
    assert.match(key, datedKey(`aws/lambda/${UUID}/${info.shardId}`));
    assert.match(info.streamArn, /^arn:aws:dynamodb:us-east-1:000000000000:table\/items\/stream\//);
    assert.equal(record.requestContext.condition, 'RetryAttemptsExhausted');
    const [first] = (JSON.parse(record.payload ?? '{}') as { Records: Array<Record<string, unknown>> })
      .Records;
    assert.equal(first?.eventSource, 'aws:dynamodb');
    assert.equal(first?.eventName, 'INSERT');
  });

  it('keeps an S3 onSuccess delivery in the state database: S3 buckets are on-failure destinations only', async () => {
    assert.equal((await invokeEvent('succeeding', { id: 's1' })).StatusCode, 202);
    await emulator.waitForOutput('kept in the state database: S3 buckets are on-failure destinations only');
    const listed = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'async-failures',
        Prefix: 'aws/lambda/async/s3-destinations-dev-succeeding/',
      }),
    );
    assert.equal(listed.KeyCount, 0);
  });

  describe('an SNS on-failure destination', () => {
    const queueUrl = () => `${emulator.aws}/queue/us-east-1/${ACCOUNT}/failure-copies`;
    /** The next record the topic delivered to its queue. */
    const nextRecord = () =>
      until(async () => {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl(), MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }),
        );
        const message = Messages?.[0];
        if (!message) return undefined;
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl(), ReceiptHandle: message.ReceiptHandle }),
        );
        return JSON.parse(message.Body ?? '') as FailureRecord;
      });

    it('gets the whole record when it fits SNS’s 256 KB', async () => {
      await invokeEvent('announced', { id: 'small' });
      const record = await nextRecord();
      assert.deepEqual(record.requestPayload, { id: 'small' });
      assert.equal(record.responsePayload?.errorMessage, 'failing small');
    });

    it('gets the record without requestPayload and responsePayload when it would pass 256 KB, as Lambda sends it', async () => {
      const big = { id: 'big', filler: 'x'.repeat(300 * 1024) };
      const accepted = await invokeEvent('announced', big);
      const record = await nextRecord();
      assert.equal(record.requestContext.requestId, accepted.$metadata.requestId);
      assert.equal(record.requestContext.condition, 'RetriesExhausted');
      assert.equal(record.responseContext?.functionError, 'Unhandled');
      assert.equal('requestPayload' in record, false);
      assert.equal('responsePayload' in record, false);
      await emulator.waitForOutput(/over SNS's 256 KB: sent without requestPayload and responsePayload/);
    });
  });
});
