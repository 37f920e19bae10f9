import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { spawn, type ChildProcess } from 'node:child_process';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { clientConfig, startEmulator, type RunningEmulator } from '../helpers/emulate';
import { recorded, type Recorded } from '../helpers/records';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** moto's server: an independent implementation of SQS, Kinesis and DynamoDB Streams. */
async function startMoto(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`${url}/moto-api/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, process: child };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error('moto_server did not start');
}

describe('sls emulate: event source mappings polling an external endpoint (moto)', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-pull-external-'));
  const recordFile = path.join(dir, 'records.jsonl');
  const { waitUntil } = recorded(recordFile);
  let moto: { url: string; process: ChildProcess };
  let emulator: RunningEmulator;
  let sqs: SQSClient;
  let queueUrl: string;
  const of = (fn: string) => (r: Recorded) => r.fn === `pullext-dev-${fn}`;

  before(async () => {
    moto = await startMoto();
    // moto speaks HTTP/1.1 only; the Kinesis client would speak HTTP/2.
    const config = { ...clientConfig(moto.url), requestHandler: new NodeHttpHandler() };
    sqs = new SQSClient(config);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'ext-jobs' }))).QueueUrl as string;
    const kinesis = new KinesisClient(config);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'ext-clicks', ShardCount: 1 }));
    await kinesis.send(
      new PutRecordCommand({ StreamName: 'ext-clicks', PartitionKey: 'p', Data: Buffer.from('{"click":1}') }),
    );
    kinesis.destroy();
    const dynamodb = new DynamoDBClient(config);
    const { TableDescription } = await dynamodb.send(
      new CreateTableCommand({
        TableName: 'ext-items',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    await dynamodb.send(new PutItemCommand({ TableName: 'ext-items', Item: { id: { S: 'x' } } }));
    dynamodb.destroy();
    emulator = await startEmulator(fixture('pull-external'), ['--state-dir', path.join(dir, 'state')], {
      RECORD_FILE: recordFile,
      EXTERNAL_ENDPOINT: moto.url,
      EXTERNAL_TABLE_STREAM: TableDescription?.LatestStreamArn ?? '',
    });
  });
  after(async () => {
    sqs?.destroy();
    await emulator?.stop();
    moto?.process.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says where each mapping polls', () => {
    assert.match(emulator.output(), new RegExp(`worker ← sqs ext-jobs at ${moto.url}`));
  });

  it("receives from moto's SQS, invokes with an SQSEvent and deletes what succeeded there", async () => {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: '1', MessageBody: '{"n":1}' },
          { Id: '2', MessageBody: '{"n":2,"fail":true}' },
        ],
      }),
    );
    const all = await waitUntil((rs) => rs.some(of('worker')));
    const record = all.find(of('worker'))?.event.Records[0];
    assert.equal(record.eventSource, 'aws:sqs');
    assert.equal(record.eventSourceARN, 'arn:aws:sqs:us-east-1:123456789012:ext-jobs');
    for (let i = 0; i < 100; i++) {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
      );
      // The reported failure stays (in flight until its visibility timeout); the success is gone.
      if (
        Attributes?.ApproximateNumberOfMessages === '0' &&
        Attributes.ApproximateNumberOfMessagesNotVisible === '1'
      )
        return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail('moto still holds the processed message');
  });

  it("reads moto's Kinesis shard", async () => {
    const all = await waitUntil((rs) => rs.some(of('clicks')));
    const record = all.find(of('clicks'))?.event.Records[0];
    assert.equal(Buffer.from(record.kinesis.data, 'base64').toString(), '{"click":1}');
    assert.equal(record.eventSourceARN, 'arn:aws:kinesis:us-east-1:123456789012:stream/ext-clicks');
  });

  it("reads moto's DynamoDB stream", async () => {
    const all = await waitUntil((rs) => rs.some(of('audit')));
    const record = all.find(of('audit'))?.event.Records[0];
    assert.equal(record.eventName, 'INSERT');
    assert.deepEqual(record.dynamodb.NewImage, { id: { S: 'x' } });
  });
});
