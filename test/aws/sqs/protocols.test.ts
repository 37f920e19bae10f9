import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { isSnsRequest } from '../../../src/aws/sns/protocol';
import { isSqsRequest } from '../../../src/aws/sqs/protocol';
import type { AwsRequest } from '../../../src/aws/endpoint';
import { awsCli } from '../sns/helpers';
import { query, startSqs, type Harness } from './helpers';

const form = (path: string, params: Record<string, string>, service?: string): AwsRequest => ({
  method: 'POST',
  path,
  query: new URLSearchParams(),
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    ...(service
      ? { authorization: `AWS4-HMAC-SHA256 Credential=k/20240501/us-east-1/${service}/aws4_request` }
      : {}),
  },
  body: Buffer.from(new URLSearchParams(params).toString()),
});

describe('aws/sqs protocols', () => {
  let sqs: Harness;

  beforeEach(async () => {
    sqs = await startSqs();
  });
  afterEach(() => sqs.stop());

  it('tells SQS Query requests from SNS ones by credential scope, version, path and action', () => {
    const sqsRequests = [
      form('/', { Action: 'ListQueues' }, 'sqs'),
      form('/', { Action: 'ListQueues', Version: '2012-11-05' }),
      form('/', { Action: 'CreateQueue' }),
      form('/123456789012/orders', { Action: 'SendMessage', MessageBody: 'x' }),
      form('/queue/eu-west-1/123456789012/orders', { Action: 'SendMessage', MessageBody: 'x' }),
    ];
    for (const request of sqsRequests) {
      assert.equal(isSqsRequest(request), true);
      assert.equal(isSnsRequest(request), false);
    }
    const snsRequests = [
      form('/', { Action: 'ListTopics' }, 'sns'),
      form('/', { Action: 'Publish', Version: '2010-03-31' }),
      form('/', { Action: 'TagResource' }, 'sns'),
    ];
    for (const request of snsRequests) assert.equal(isSqsRequest(request), false);
    assert.equal(isSqsRequest(form('/bucket/key', {})), false);
  });

  it('speaks Query at / and at the queue URL, answering XML with flattened lists and maps', async () => {
    const created = await query(sqs.url, {
      Action: 'CreateQueue',
      QueueName: 'q',
      'Attribute.1.Name': 'DelaySeconds',
      'Attribute.1.Value': '0',
    });
    assert.equal(created.status, 200);
    assert.match(
      created.text,
      /<CreateQueueResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/">/,
    );
    assert.match(created.text, new RegExp(`<QueueUrl>${sqs.queues}/123456789012/q</QueueUrl>`));
    const sent = await query(
      sqs.url,
      {
        Action: 'SendMessage',
        MessageBody: 'a & b',
        'MessageAttribute.1.Name': 'timestamp',
        'MessageAttribute.1.Value.DataType': 'Number',
        'MessageAttribute.1.Value.StringValue': '1493147359900',
      },
      new URL(`${sqs.queues}/123456789012/q`).pathname,
    );
    assert.match(
      sent.text,
      /<MD5OfMessageAttributes>235c5c510d26fb653d073faed50ae77c<\/MD5OfMessageAttributes>/,
    );
    const received = await query(sqs.url, {
      Action: 'ReceiveMessage',
      QueueUrl: `${sqs.url}/123456789012/q`,
      'AttributeName.1': 'SenderId',
      'MessageAttributeName.1': 'All',
    });
    assert.match(
      received.text,
      /<Message><MessageId>[^<]+<\/MessageId><ReceiptHandle>AQEB[^<]+<\/ReceiptHandle>/,
    );
    assert.match(
      received.text,
      /<Body>a &amp; b<\/Body><Attribute><Name>SenderId<\/Name><Value>123456789012<\/Value><\/Attribute>/,
    );
    assert.match(
      received.text,
      /<MessageAttribute><Name>timestamp<\/Name><Value><DataType>Number<\/DataType><StringValue>1493147359900<\/StringValue><\/Value><\/MessageAttribute>/,
    );
    // Prefix wildcards and All through the Query lists, and MessageSystemAttributeName beside AttributeName.
    await query(sqs.url, {
      Action: 'SendMessage',
      QueueUrl: 'q',
      MessageBody: 'c',
      'MessageAttribute.1.Name': 'timestamp',
      'MessageAttribute.1.Value.DataType': 'Number',
      'MessageAttribute.1.Value.StringValue': '1',
    });
    const prefixed = await query(sqs.url, {
      Action: 'ReceiveMessage',
      QueueUrl: 'q',
      VisibilityTimeout: '0',
      'MessageSystemAttributeName.1': 'All',
      'MessageAttributeName.1': 'time.*',
    });
    assert.match(
      prefixed.text,
      /<Attribute><Name>ApproximateReceiveCount<\/Name><Value>1<\/Value><\/Attribute>/,
    );
    assert.match(prefixed.text, /<MessageAttribute><Name>timestamp<\/Name>/);
    const none = await query(sqs.url, {
      Action: 'ReceiveMessage',
      QueueUrl: 'q',
      'MessageAttributeName.1': 'other.*',
    });
    assert.doesNotMatch(none.text, /<MessageAttribute>/);
    const batch = await query(sqs.url, {
      Action: 'SendMessageBatch',
      QueueUrl: `${sqs.url}/123456789012/q`,
      'SendMessageBatchRequestEntry.1.Id': 'a',
      'SendMessageBatchRequestEntry.1.MessageBody': 'one',
      'SendMessageBatchRequestEntry.2.Id': 'b',
      'SendMessageBatchRequestEntry.2.MessageBody': 'two',
      'SendMessageBatchRequestEntry.2.DelaySeconds': '999',
    });
    assert.match(batch.text, /<SendMessageBatchResultEntry><Id>a<\/Id>/);
    assert.match(
      batch.text,
      /<BatchResultErrorEntry><Id>b<\/Id><SenderFault>true<\/SenderFault><Code>InvalidParameterValue<\/Code>/,
    );
  });

  it('answers Query errors with the ErrorResponse document and SQS’s Query codes', async () => {
    const missing = await query(sqs.url, { Action: 'GetQueueUrl', QueueName: 'nope' });
    assert.equal(missing.status, 400);
    assert.match(
      missing.text,
      /<ErrorResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>AWS.SimpleQueueService.NonExistentQueue<\/Code><Message>The specified queue does not exist.<\/Message>/,
    );
    const unknown = await query(sqs.url, { Action: 'Dance' });
    assert.match(unknown.text, /<Code>InvalidAction<\/Code>/);
  });

  it('answers JSON errors with the shape and the x-amzn-query-error header', async () => {
    const res = await fetch(sqs.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl' },
      body: JSON.stringify({ QueueName: 'nope' }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-amzn-query-error'), 'AWS.SimpleQueueService.NonExistentQueue;Sender');
    assert.deepEqual(await res.json(), {
      __type: 'com.amazonaws.sqs#QueueDoesNotExist',
      message: 'The specified queue does not exist.',
    });
  });

  it('serves the AWS CLI', async function () {
    this.timeout(30_000);
    const { QueueUrl } = JSON.parse(
      await awsCli(sqs.url, ['sqs', 'create-queue', '--queue-name', 'cli']),
    ) as {
      QueueUrl: string;
    };
    const sent = JSON.parse(
      await awsCli(sqs.url, [
        'sqs',
        'send-message',
        '--queue-url',
        QueueUrl,
        '--message-body',
        'from the cli',
      ]),
    ) as { MD5OfMessageBody: string };
    assert.equal(sent.MD5OfMessageBody, createHash('md5').update('from the cli').digest('hex'));
    const received = JSON.parse(
      await awsCli(sqs.url, ['sqs', 'receive-message', '--queue-url', QueueUrl]),
    ) as {
      Messages: Array<{ Body: string }>;
    };
    assert.equal(received.Messages[0].Body, 'from the cli');
    await assert.rejects(
      awsCli(sqs.url, ['sqs', 'get-queue-url', '--queue-name', 'nope']),
      /NonExistentQueue|QueueDoesNotExist/,
    );
  });
});
