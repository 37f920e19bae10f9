import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GetFunctionRecursionConfigCommand,
  InvokeCommand,
  LambdaClient,
  PutFunctionRecursionConfigCommand,
} from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { fixture } from '../helpers/cli';
import { clientConfig, emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';
import { recorded, type Recorded } from '../helpers/records';

/** AWS lets a function run 16 times for one event, and stops the 17th invocation. */
const LIMIT = 16;
const hopsOf = (records: Recorded[], fn: string) =>
  records.filter((r) => r.fn === `loops-dev-${fn}`).map((r) => r.event.hop as number);
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('sls emulate: recursive loops through SQS, S3, SNS and Lambda are stopped as AWS stops them', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-loops-'));
  const recordFile = path.join(dir, 'records.jsonl');
  const { records, waitFor, waitUntil } = recorded(recordFile);
  let emulator: EmulatorUnderTest;
  let sqs: SQSClient;

  before(async () => {
    emulator = await emulateInProcess(fixture('loops'), {
      stateDir: path.join(dir, 'state'),
      env: {
        RECORD_FILE: recordFile,
      },
    });
    sqs = new SQSClient(clientConfig(emulator.aws));
  });
  after(async () => {
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const queueUrl = async (name: string) =>
    (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl as string;

  /** The on-failure record `stopped` got for the function's stopped event. */
  const stoppedRecord = async (fn: string) =>
    (
      await waitFor(
        (r) => r.fn === 'loops-dev-stopped' && r.event.requestContext.functionArn.endsWith(`:${fn}:$LATEST`),
      )
    ).event;

  /**
   * The first message in the queue, with its attributes, waiting up to 45 s: seventeen hops and a
   * visibility timeout take a while on a loaded machine.
   */
  const firstMessage = async (queue: string): Promise<Message | undefined> => {
    const QueueUrl = await queueUrl(queue);
    for (let i = 0; i < 45; i += 1) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['AWSTraceHeader'],
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages?.[0]) return Messages[0];
    }
    return undefined;
  };

  it(`stops a loop through SQS at invocation ${LIMIT + 1}; the queue's redrive policy moves the message to its DLQ`, async () => {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: await queueUrl('loops-queue'), MessageBody: '{"hop":1}' }),
    );
    const moved = await firstMessage('loops-dlq');
    assert.equal(moved?.Body, `{"hop":${LIMIT + 1}}`);
    assert.match(moved?.Attributes?.AWSTraceHeader ?? '', /;Lineage=1:[0-9a-f]{8}:15$/);
    assert.deepEqual(hopsOf(records(), 'queueLoop'), oneToN(LIMIT));
    await emulator.waitForOutput(
      new RegExp(
        `\\[queueLoop\\] recursive loop stopped: queueLoop was invoked ${LIMIT} times for one event \\(trace 1-[0-9a-f]{8}-[0-9a-f]{24}: queueLoop ×${LIMIT + 1}\\)`,
      ),
    );
  });

  it("stops a loop through S3 notifications and sends the event to the function's DLQ (onError)", async () => {
    const s3 = new S3Client({ ...clientConfig(emulator.aws), forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: 'loops-hops', Key: 'hop/1', Body: 'x' }));
    const dead = await firstMessage('loops-dead-letters');
    const notification = JSON.parse(dead?.Body ?? '{}') as {
      Message: string;
      MessageAttributes: Record<string, { Value: string }>;
    };
    const event = JSON.parse(notification.Message) as { Records: Array<{ s3: { object: { key: string } } }> };
    assert.equal(event.Records[0].s3.object.key, `hop/${LIMIT + 1}`);
    assert.match(notification.MessageAttributes.ErrorMessage.Value, /recursive loop/);
    assert.deepEqual(hopsOf(records(), 'bucketLoop'), oneToN(LIMIT));
  });

  it('stops a loop through SNS and sends the event to the on-failure destination', async () => {
    const sns = new SNSClient(clientConfig(emulator.aws));
    const TopicArn = 'arn:aws:sns:us-east-1:000000000000:loops-topic';
    await sns.send(new PublishCommand({ TopicArn, Message: '{"hop":1}' }));
    const record = await stoppedRecord('loops-dev-topicLoop');
    assert.equal(record.requestPayload.Records[0].Sns.Message, `{"hop":${LIMIT + 1}}`);
    assert.equal(record.requestContext.condition, 'RetriesExhausted');
    assert.deepEqual(hopsOf(records(), 'topicLoop'), oneToN(LIMIT));
  });

  it('stops a function that invokes itself asynchronously', async () => {
    const lambda = new LambdaClient(clientConfig(emulator.aws));
    await lambda.send(
      new InvokeCommand({
        FunctionName: 'loops-dev-invokeLoop',
        InvocationType: 'Event',
        Payload: '{"hop":1}',
      }),
    );
    const record = await stoppedRecord('loops-dev-invokeLoop');
    assert.deepEqual(record.requestPayload, { hop: LIMIT + 1 });
    assert.deepEqual(hopsOf(records(), 'invokeLoop'), oneToN(LIMIT));
  });

  it('lets the loop of a function with RecursiveLoop: Allow run past the limit', async () => {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: await queueUrl('loops-allowed'), MessageBody: '{"hop":1}' }),
    );
    await waitUntil((all) => hopsOf(all, 'allowed').length === 20);
    assert.deepEqual(hopsOf(records(), 'allowed'), oneToN(20));
    assert.doesNotMatch(emulator.output(), /recursive loop stopped: allowed/);
  });

  it('reads and sets RecursiveLoop through GetFunctionRecursionConfig and PutFunctionRecursionConfig', async () => {
    const lambda = new LambdaClient(clientConfig(emulator.aws));
    const loopOf = async (FunctionName: string) =>
      (await lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName }))).RecursiveLoop;
    assert.equal(await loopOf('loops-dev-allowed'), 'Allow');
    assert.equal(await loopOf('queueLoop'), 'Terminate');
    const put = await lambda.send(
      new PutFunctionRecursionConfigCommand({
        FunctionName: 'loops-dev-allowed',
        RecursiveLoop: 'Terminate',
      }),
    );
    assert.equal(put.RecursiveLoop, 'Terminate');
    const earlier = hopsOf(records(), 'allowed').length;
    await sqs.send(
      new SendMessageCommand({ QueueUrl: await queueUrl('loops-allowed'), MessageBody: '{"hop":1}' }),
    );
    await emulator.waitForOutput(/\[allowed\] recursive loop stopped: allowed was invoked 16 times/);
    assert.deepEqual(hopsOf(records(), 'allowed').slice(earlier), oneToN(LIMIT), 'hop 17 does not run');
    await assert.rejects(
      lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'nothing' })),
      (error: Error) => error.name === 'ResourceNotFoundException',
    );
  });
});
