import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, ListRulesCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { CreateStreamCommand, KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import {
  CreateBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateTopicCommand,
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import AWS from 'aws-sdk';
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fixture } from '../helpers/cli';
import { clientConfig, emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';

const HOME = 'eu-west-1';
const OTHER = 'us-west-2';

describe('sls emulate: resources belong to the region of the request, as in AWS', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-regions-'));
  const stateDir = path.join(dir, 'state');
  let emulator: EmulatorUnderTest;
  const clients: Array<{ destroy(): void }> = [];
  const client = <T extends { destroy(): void }>(made: T): T => (clients.push(made), made);
  const config = (region: string) => ({ ...clientConfig(emulator.aws), region });

  before(async () => {
    emulator = await emulateInProcess(fixture('regions'), { stateDir: stateDir });
  });
  after(async () => {
    for (const made of clients) made.destroy();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the service's queues in its region, with the region in their URLs and ARNs", async () => {
    const home = client(new SQSClient(config(HOME)));
    const other = client(new SQSClient(config(OTHER)));
    const listed = await home.send(new ListQueuesCommand({}));
    assert.deepEqual(listed.QueueUrls?.sort(), [
      `${emulator.aws}/queue/${HOME}/000000000000/regions-done`,
      `${emulator.aws}/queue/${HOME}/000000000000/regions-jobs`,
    ]);
    const { Attributes } = await home.send(
      new GetQueueAttributesCommand({ QueueUrl: 'regions-jobs', AttributeNames: ['QueueArn'] }),
    );
    assert.equal(Attributes?.QueueArn, `arn:aws:sqs:${HOME}:000000000000:regions-jobs`);
    assert.deepEqual((await other.send(new ListQueuesCommand({}))).QueueUrls ?? [], []);
    await assert.rejects(
      other.send(new GetQueueUrlCommand({ QueueName: 'regions-jobs' })),
      (error: Error) => error.name === 'QueueDoesNotExist',
    );
  });

  it("gives another region a queue of the same name of its own, which the service's mapping does not read", async () => {
    const home = client(new SQSClient(config(HOME)));
    const other = client(new SQSClient(config(OTHER)));
    const created = await other.send(new CreateQueueCommand({ QueueName: 'regions-jobs' }));
    assert.equal(created.QueueUrl, `${emulator.aws}/queue/${OTHER}/000000000000/regions-jobs`);
    const { Attributes } = await other.send(
      new GetQueueAttributesCommand({ QueueUrl: created.QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    assert.equal(Attributes?.QueueArn, `arn:aws:sqs:${OTHER}:000000000000:regions-jobs`);
    await other.send(new SendMessageCommand({ QueueUrl: created.QueueUrl, MessageBody: 'elsewhere' }));
    await home.send(new SendMessageCommand({ QueueUrl: 'regions-jobs', MessageBody: 'here' }));

    // The worker forwards the home queue's message; the other region's message stays where it was sent.
    const done = await home.send(
      new ReceiveMessageCommand({ QueueUrl: 'regions-done', WaitTimeSeconds: 10, MaxNumberOfMessages: 10 }),
    );
    assert.deepEqual(
      done.Messages?.map((m) => m.Body),
      ['here'],
    );
    const kept = await other.send(
      new ReceiveMessageCommand({
        QueueUrl: created.QueueUrl,
        WaitTimeSeconds: 1,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
      }),
    );
    assert.deepEqual(
      kept.Messages?.map((m) => m.Body),
      ['elsewhere'],
    );
  });

  it("serves aws-sdk v2 and the AWS CLI in their own region, posting to the queue's URL", async () => {
    const v2 = new AWS.SQS({ ...config('ap-south-1'), endpoint: emulator.aws });
    const { QueueUrl } = await v2.createQueue({ QueueName: 'mumbai' }).promise();
    assert.equal(QueueUrl, `${emulator.aws}/queue/ap-south-1/000000000000/mumbai`);
    await v2.sendMessage({ QueueUrl: QueueUrl as string, MessageBody: 'namaste' }).promise();
    const { stdout } = await promisify(execFile)(
      'aws',
      ['sqs', 'receive-message', '--queue-url', QueueUrl as string, '--endpoint-url', emulator.aws],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_DEFAULT_REGION: 'ap-south-1',
        },
      },
    );
    assert.equal(JSON.parse(stdout).Messages[0].Body, 'namaste');
    assert.ok(existsSync(path.join(stateDir, 'regions', 'ap-south-1', 'state.sqlite')));
  });

  it('scopes topics, tables, streams and rules by region, and delivers across regions by ARN', async () => {
    const homeSns = client(new SNSClient(config(HOME)));
    const otherSns = client(new SNSClient(config(OTHER)));
    const { TopicArn } = await otherSns.send(new CreateTopicCommand({ Name: 'regions-alerts' }));
    assert.equal(TopicArn, `arn:aws:sns:${OTHER}:000000000000:regions-alerts`);
    const homeTopics = (await homeSns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn);
    assert.deepEqual(homeTopics, [`arn:aws:sns:${HOME}:000000000000:regions-alerts`]);
    // An SNS topic of one region delivers to a queue of another, as SNS does.
    await otherSns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: `arn:aws:sqs:${HOME}:000000000000:regions-done`,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    await otherSns.send(new PublishCommand({ TopicArn, Message: 'from oregon' }));
    const home = client(new SQSClient(config(HOME)));
    const received = await home.send(
      new ReceiveMessageCommand({ QueueUrl: 'regions-done', WaitTimeSeconds: 10 }),
    );
    assert.equal(received.Messages?.[0].Body, 'from oregon');

    const homeDb = client(new DynamoDBClient(config(HOME)));
    const otherDb = client(new DynamoDBClient(config(OTHER)));
    assert.deepEqual((await otherDb.send(new ListTablesCommand({}))).TableNames, []);
    const table = await otherDb.send(
      new CreateTableCommand({
        TableName: 'oregon-items',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    assert.equal(
      table.TableDescription?.TableArn,
      `arn:aws:dynamodb:${OTHER}:000000000000:table/oregon-items`,
    );
    assert.deepEqual((await homeDb.send(new ListTablesCommand({}))).TableNames, ['regions-items']);

    const otherKinesis = client(new KinesisClient(config(OTHER)));
    await otherKinesis.send(new CreateStreamCommand({ StreamName: 'oregon-clicks', ShardCount: 1 }));
    const homeKinesis = client(new KinesisClient(config(HOME)));
    assert.deepEqual((await homeKinesis.send(new ListStreamsCommand({}))).StreamNames, ['regions-clicks']);
    assert.deepEqual((await otherKinesis.send(new ListStreamsCommand({}))).StreamNames, ['oregon-clicks']);

    const otherEvents = client(new EventBridgeClient(config(OTHER)));
    const rule = await otherEvents.send(
      new PutRuleCommand({ Name: 'nightly', ScheduleExpression: 'rate(1 day)' }),
    );
    assert.equal(rule.RuleArn, `arn:aws:events:${OTHER}:000000000000:rule/nightly`);
    const homeEvents = client(new EventBridgeClient(config(HOME)));
    assert.deepEqual((await homeEvents.send(new ListRulesCommand({}))).Rules, []);
  });

  it('keeps one namespace of buckets, each in the region S3 puts it', async () => {
    const s3api = (region: string, ...args: string[]) =>
      promisify(execFile)(
        'aws',
        ['s3api', 'create-bucket', '--endpoint-url', emulator.aws, '--region', region, ...args],
        { env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' } },
      );
    // The AWS CLI's s3api sends no LocationConstraint unless told; outside us-east-1 S3 refuses that.
    await assert.rejects(s3api(OTHER, '--bucket', 'regions-unplaced'), (error: { stderr: string }) =>
      /IllegalLocationConstraintException.*The unspecified location constraint is incompatible/.test(
        error.stderr,
      ),
    );
    await assert.rejects(
      s3api(
        'us-east-1',
        '--bucket',
        'regions-named',
        '--create-bucket-configuration',
        'LocationConstraint=us-east-1',
      ),
      (error: { stderr: string }) => /InvalidLocationConstraint/.test(error.stderr),
    );
    await s3api(
      OTHER,
      '--bucket',
      'regions-cli',
      '--create-bucket-configuration',
      `LocationConstraint=${OTHER}`,
    );
    // The SDK v3 adds its client's region as the constraint.
    const other = client(new S3Client({ ...config(OTHER), forcePathStyle: true }));
    await other.send(new CreateBucketCommand({ Bucket: 'regions-oregon' }));
    const virginia = client(new S3Client({ ...config('us-east-1'), forcePathStyle: true }));
    await virginia.send(new CreateBucketCommand({ Bucket: 'regions-virginia' }));
    const home = client(new S3Client({ ...config(HOME), forcePathStyle: true }));
    for (const Bucket of ['regions-cli', 'regions-oregon']) {
      const location = await home.send(new GetBucketLocationCommand({ Bucket }));
      assert.equal(location.LocationConstraint, OTHER);
    }
    const head = await home.send(new HeadBucketCommand({ Bucket: 'regions-virginia' }));
    assert.equal(head.BucketRegion, 'us-east-1');
    const buckets = (await home.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    assert.deepEqual(buckets, ['regions-cli', 'regions-oregon', 'regions-virginia']);
  });

  it("keeps another region's resources and messages across a restart", async () => {
    await emulator.stop();
    emulator = await emulateInProcess(fixture('regions'), { stateDir: stateDir });
    const other = client(new SQSClient(config(OTHER)));
    const { QueueUrl } = await other.send(new GetQueueUrlCommand({ QueueName: 'regions-jobs' }));
    const kept = await other.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, VisibilityTimeout: 0 }),
    );
    assert.equal(kept.Messages?.[0].Body, 'elsewhere');
    const otherDb = client(new DynamoDBClient(config(OTHER)));
    assert.deepEqual((await otherDb.send(new ListTablesCommand({}))).TableNames, ['oregon-items']);
  });
});
