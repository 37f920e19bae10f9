import { strict as assert } from 'node:assert';
import type { SNS as SnsV2 } from 'aws-sdk';
import {
  awsCli,
  credentials,
  functionArn,
  jsonCall,
  query,
  queueArn,
  REGION,
  startSns,
  topicArn,
  type Harness,
} from './helpers';

describe('aws/sns with the older aws-sdk v2 client', () => {
  let sns: Harness;
  let client: SnsV2;

  before(async () => {
    process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
    sns = await startSns();
    // aws-sdk is CommonJS: a dynamic import gives its exports as `default`.
    const sdk = await import('aws-sdk');
    const { SNS } = (sdk as unknown as { default?: typeof sdk }).default ?? sdk;
    client = new SNS({ endpoint: sns.url, region: REGION, credentials });
  });

  after(() => sns.stop());

  it('creates, subscribes, publishes with attributes and lists, through the Query protocol', async () => {
    const { TopicArn } = await client.createTopic({ Name: 'v2-orders' }).promise();
    assert.equal(TopicArn, topicArn('v2-orders'));
    const { SubscriptionArn } = await client
      .subscribe({ TopicArn: TopicArn as string, Protocol: 'lambda', Endpoint: functionArn('v2') })
      .promise();
    const { MessageId } = await client
      .publish({
        TopicArn,
        Message: 'from v2',
        Subject: 'v2',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'order' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from('bytes') },
        },
      })
      .promise();
    const event = sns.events().at(-1);
    assert.equal(event?.Records[0].EventSubscriptionArn, SubscriptionArn);
    assert.equal(event?.Records[0].Sns.MessageId, MessageId);
    assert.deepEqual(event?.Records[0].Sns.MessageAttributes, {
      kind: { Type: 'String', Value: 'order' },
      blob: { Type: 'Binary', Value: Buffer.from('bytes').toString('base64') },
    });
    const { Topics } = await client.listTopics().promise();
    assert.deepEqual(Topics, [{ TopicArn }]);
    const { Attributes } = await client
      .getSubscriptionAttributes({ SubscriptionArn: SubscriptionArn as string })
      .promise();
    assert.equal(Attributes?.Protocol, 'lambda');
  });

  it('gets SNS error codes the v2 client recognises', async () => {
    await assert.rejects(client.getTopicAttributes({ TopicArn: topicArn('missing') }).promise(), (error) => {
      const { code, statusCode, message } = error as { code: string; statusCode: number; message: string };
      assert.deepEqual(
        { code, statusCode, message },
        { code: 'NotFound', statusCode: 404, message: 'Topic does not exist' },
      );
      return true;
    });
  });

  it('publishes a batch with per-entry results', async () => {
    const { TopicArn } = await client.createTopic({ Name: 'v2-batch' }).promise();
    const result = await client
      .publishBatch({
        TopicArn: TopicArn as string,
        PublishBatchRequestEntries: [
          { Id: 'ok', Message: 'fine' },
          { Id: 'bad', Message: '[]', MessageStructure: 'json' },
        ],
      })
      .promise();
    assert.deepEqual(
      result.Successful?.map((s) => s.Id),
      ['ok'],
    );
    const [failed] = result.Failed ?? [];
    assert.equal(failed?.Id, 'bad');
    assert.equal(failed?.Code, 'InvalidParameter');
    assert.equal(failed?.SenderFault, true);
  });
});

describe('aws/sns with the AWS CLI (v1)', function () {
  // Each CLI run starts a Python interpreter and botocore: about a second.
  this.timeout(30_000);
  let sns: Harness;

  before(async () => {
    sns = await startSns();
  });

  after(() => sns.stop());

  it('creates a topic, subscribes a queue with raw delivery and publishes with message attributes', async () => {
    const created = JSON.parse(await awsCli(sns.url, ['sns', 'create-topic', '--name', 'cli-orders']));
    assert.equal(created.TopicArn, topicArn('cli-orders'));
    await awsCli(sns.url, [
      'sns',
      'subscribe',
      '--topic-arn',
      created.TopicArn,
      '--protocol',
      'sqs',
      '--notification-endpoint',
      queueArn('cli'),
      '--attributes',
      JSON.stringify({ RawMessageDelivery: 'true', FilterPolicy: '{"kind":["order"]}' }),
    ]);
    const published = JSON.parse(
      await awsCli(sns.url, [
        'sns',
        'publish',
        '--topic-arn',
        created.TopicArn,
        '--message',
        'from the cli',
        '--message-attributes',
        JSON.stringify({
          kind: { DataType: 'String', StringValue: 'order' },
          size: { DataType: 'Number', StringValue: '3' },
        }),
      ]),
    );
    assert.match(published.MessageId, /^[0-9a-f-]{36}$/);
    await awsCli(sns.url, ['sns', 'publish', '--topic-arn', created.TopicArn, '--message', 'filtered out']);
    assert.deepEqual(sns.queue, [
      {
        queueArn: queueArn('cli'),
        body: 'from the cli',
        attributes: {
          kind: { DataType: 'String', StringValue: 'order' },
          size: { DataType: 'Number', StringValue: '3' },
        },
      },
    ]);
    const listed = JSON.parse(
      await awsCli(sns.url, ['sns', 'list-subscriptions-by-topic', '--topic-arn', created.TopicArn]),
    );
    assert.equal(listed.Subscriptions[0].Endpoint, queueArn('cli'));
  });

  it('shows SNS errors the way the CLI reports them', async () => {
    await assert.rejects(
      awsCli(sns.url, ['sns', 'get-topic-attributes', '--topic-arn', topicArn('missing')]),
      /An error occurred \(NotFound\) when calling the GetTopicAttributes operation: Topic does not exist/,
    );
  });
});

describe('aws/sns over raw Query and AWS JSON 1.0 requests', () => {
  let sns: Harness;

  before(async () => {
    sns = await startSns();
  });

  after(() => sns.stop());

  it('parses nested Query members of a raw form request', async () => {
    const created = await query(sns.url, {
      Action: 'CreateTopic',
      Name: 'raw',
      'Attributes.entry.1.key': 'DisplayName',
      'Attributes.entry.1.value': 'Raw & ready',
    });
    assert.equal(created.status, 200);
    assert.match(created.text, /<TopicArn>arn:aws:sns:us-east-1:123456789012:raw<\/TopicArn>/);
    const attributes = await query(sns.url, { Action: 'GetTopicAttributes', TopicArn: topicArn('raw') });
    assert.match(attributes.text, /<entry><key>DisplayName<\/key><value>Raw &amp; ready<\/value><\/entry>/);
    await query(sns.url, {
      Action: 'Subscribe',
      TopicArn: topicArn('raw'),
      Protocol: 'lambda',
      Endpoint: functionArn('r'),
    });
    const published = await query(sns.url, {
      Action: 'Publish',
      TopicArn: topicArn('raw'),
      Message: 'm',
      'MessageAttributes.entry.1.Name': 'tags',
      'MessageAttributes.entry.1.Value.DataType': 'String.Array',
      'MessageAttributes.entry.1.Value.StringValue': '["a"]',
    });
    assert.match(
      published.text,
      /^<PublishResponse xmlns="http:\/\/sns.amazonaws.com\/doc\/2010-03-31\/"><PublishResult><MessageId>/,
    );
    assert.deepEqual(sns.events().at(-1)?.Records[0].Sns.MessageAttributes, {
      tags: { Type: 'String.Array', Value: '["a"]' },
    });
  });

  it('answers an unknown action with InvalidAction', async () => {
    const res = await query(sns.url, { Action: 'FlyAway' });
    assert.equal(res.status, 400);
    assert.match(res.text, /<Code>InvalidAction<\/Code>/);
  });

  it('serves the same operations over JSON 1.0, with query-compatible errors', async () => {
    const created = await jsonCall(sns.url, 'CreateTopic', {
      Name: 'json',
      Attributes: { DisplayName: 'J' },
    });
    assert.equal(created.status, 200);
    assert.equal(created.headers.get('content-type'), 'application/x-amz-json-1.0');
    assert.deepEqual(created.body, { TopicArn: topicArn('json') });
    await jsonCall(sns.url, 'Subscribe', {
      TopicArn: topicArn('json'),
      Protocol: 'lambda',
      Endpoint: functionArn('j'),
    });
    const published = await jsonCall(sns.url, 'Publish', {
      TopicArn: topicArn('json'),
      Message: 'json!',
      MessageAttributes: { n: { DataType: 'Number', StringValue: '5' } },
    });
    assert.equal(typeof published.body.MessageId, 'string');
    assert.equal(sns.events().at(-1)?.Records[0].Sns.Message, 'json!');
    const listed = await jsonCall(sns.url, 'ListSubscriptionsByTopic', { TopicArn: topicArn('json') });
    assert.equal((listed.body.Subscriptions as Array<{ Endpoint: string }>)[0].Endpoint, functionArn('j'));
    const missing = await jsonCall(sns.url, 'GetTopicAttributes', { TopicArn: topicArn('nope') });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('x-amzn-query-error'), 'NotFound;Sender');
    assert.deepEqual(missing.body, {
      __type: 'com.amazonaws.sns#NotFoundException',
      message: 'Topic does not exist',
    });
  });
});
