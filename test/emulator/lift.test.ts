import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { clientConfig, startEmulator, type RunningEmulator } from '../helpers/emulate';
import { recorded } from '../helpers/records';

describe('sls emulate: serverless-lift constructs (serverless/examples aws-node-sqs-worker)', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-lift-'));
  const recordFile = path.join(dir, 'records.jsonl');
  const { waitFor } = recorded(recordFile);
  let emulator: RunningEmulator;
  let sqs: SQSClient;

  const produce = async (body: object) => {
    const response = await fetch(`${emulator.http}/produce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as { queueUrl: string; bucket: string };
  };
  const bodiesOfWorker = (body: string) => (r: { fn: string; event: { Records: Array<{ body: string }> } }) =>
    r.fn === 'lift-queue-dev-jobsWorker' && r.event.Records.some((m) => m.body === body);

  before(async () => {
    emulator = await startEmulator(fixture('lift-queue'), ['--state-dir', path.join(dir, 'state')], {
      RECORD_FILE: recordFile,
    });
    sqs = new SQSClient(clientConfig(emulator.aws));
  });
  after(async () => {
    sqs?.destroy();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts the worker's mapping on the construct's queue and prints the queues with their URLs", () => {
    const output = emulator.output();
    assert.match(output, /jobsWorker ← sqs lift-queue-dev-jobs \(batch 1\)/);
    assert.ok(
      output.includes(`    ${emulator.aws}/queue/us-east-1/000000000000/lift-queue-dev-jobs\n`),
      output,
    );
    assert.ok(
      output.includes(`    ${emulator.aws}/queue/us-east-1/000000000000/lift-queue-dev-jobs-dlq\n`),
      output,
    );
    assert.doesNotMatch(output, /not started/);
  });

  it('gives the producer the local queue URL, and the worker receives what it sends through the SDK', async () => {
    const { queueUrl } = await produce({ job: 1 });
    assert.equal(queueUrl, `${emulator.aws}/queue/us-east-1/000000000000/lift-queue-dev-jobs`);
    const received = await waitFor(bodiesOfWorker('{"job":1}'));
    assert.equal(received.event.Records[0].messageAttributes.AttributeName.stringValue, 'Attribute Value');
  });

  it("moves a message the worker keeps failing to lift's DLQ after maxRetries", async () => {
    await produce({ fail: true });
    await waitFor(bodiesOfWorker('{"fail":true}'));
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'lift-queue-dev-jobs-dlq' }));
    let messages: Array<{ Body?: string }> = [];
    // Visibility timeout 3 s and maxRetries 1: the second receive moves it.
    for (let i = 0; i < 20 && messages.length === 0; i++) {
      messages = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }))).Messages ?? [];
    }
    assert.deepEqual(
      messages.map((m) => m.Body),
      ['{"fail":true}'],
    );
    await emulator.waitForOutput(/redriven to lift-queue-dev-jobs-dlq after 1 receive \(maxReceiveCount 1\)/);
  });

  it("creates the storage construct's bucket in the embedded S3, under the name the function is given", async () => {
    const { bucket } = await produce({ job: 2 });
    assert.match(emulator.output(), new RegExp(`S3 buckets: ${bucket}\\n`));
    const s3 = new S3Client({ ...clientConfig(emulator.aws), forcePathStyle: true });
    try {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'report.txt', Body: 'done' }));
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'report.txt' }));
      assert.equal(await object.Body?.transformToString(), 'done');
    } finally {
      s3.destroy();
    }
  });
});
