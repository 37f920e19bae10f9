import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { AwsEndpoint } from '../../../src/aws/endpoint';
import { serveJson, jsonObject, type JsonApi } from '../../../src/aws/json-protocol';
import { SnsService } from '../../../src/aws/sns/sns-service';
import { SqsService } from '../../../src/aws/sqs/sqs-service';
import { memoryDatabase } from '../../../src/state/database';
import { ManualClock } from '../../helpers/manual-clock';
import { ACCOUNT, REGION } from './helpers';

/**
 * Whatever a client sends, SQS and SNS answer in the protocol it spoke with one of their own errors
 * (a 4xx the SDK parses), never a crash or a 500: bodies of random bytes, JSON of the wrong shapes,
 * Query forms with random members, escapes and bytes. Real HTTP to a real endpoint.
 */

const SQS_ACTIONS = [
  'CreateQueue',
  'GetQueueUrl',
  'ListQueues',
  'DeleteQueue',
  'GetQueueAttributes',
  'SetQueueAttributes',
  'PurgeQueue',
  'TagQueue',
  'UntagQueue',
  'ListQueueTags',
  'ListDeadLetterSourceQueues',
  'AddPermission',
  'RemovePermission',
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
];
const SNS_ACTIONS = [
  'CreateTopic',
  'ListTopics',
  'DeleteTopic',
  'GetTopicAttributes',
  'SetTopicAttributes',
  'Publish',
  'PublishBatch',
  'Subscribe',
  'Unsubscribe',
  'ConfirmSubscription',
  'ListSubscriptions',
  'ListSubscriptionsByTopic',
  'GetSubscriptionAttributes',
  'SetSubscriptionAttributes',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'AddPermission',
  'RemovePermission',
  'GetDataProtectionPolicy',
  'PutDataProtectionPolicy',
];
/** The members the operations read, so that random values reach them. */
const MEMBERS = [
  ...['QueueUrl', 'QueueName', 'QueueNamePrefix', 'Attributes', 'AttributeNames', 'tags', 'Tags', 'TagKeys'],
  ...['MessageBody', 'DelaySeconds', 'MessageAttributes', 'MessageSystemAttributes', 'MessageGroupId'],
  ...['MessageDeduplicationId', 'Entries', 'ReceiptHandle', 'VisibilityTimeout', 'MaxNumberOfMessages'],
  ...['WaitTimeSeconds', 'MessageAttributeNames', 'MessageSystemAttributeNames', 'Label', 'AWSAccountIds'],
  ...['Actions', 'MaxResults', 'NextToken', 'TopicArn', 'TargetArn', 'Name', 'Message', 'Subject'],
  ...['MessageStructure', 'PublishBatchRequestEntries', 'Protocol', 'Endpoint', 'ReturnSubscriptionArn'],
  ...['SubscriptionArn', 'AttributeName', 'AttributeValue', 'Token', 'ResourceArn', 'AWSAccountId'],
  ...['ActionName', 'DataProtectionPolicy', 'PhoneNumber', 'Id'],
];
/** Query member names: plain, indexed, flattened maps and lists in both services' forms. */
const QUERY_KEYS = [
  ...MEMBERS,
  ...['Attribute.1.Name', 'Attribute.1.Value', 'AttributeName.1', 'MessageAttribute.1.Name'],
  ...[
    'MessageAttribute.1.Value.DataType',
    'MessageAttribute.1.Value.StringValue',
    'Tag.1.Key',
    'Tag.1.Value',
  ],
  ...['SendMessageBatchRequestEntry.1.Id', 'SendMessageBatchRequestEntry.1.MessageBody', 'TagKey.1'],
  ...['DeleteMessageBatchRequestEntry.1.ReceiptHandle', 'Attributes.entry.1.key', 'Attributes.entry.1.value'],
  ...['PublishBatchRequestEntries.member.1.Id', 'PublishBatchRequestEntries.member.1.Message'],
  ...['MessageAttributes.entry.1.Name', 'MessageAttributes.entry.1.Value.DataType', 'Tags.member.1.Key'],
  ...[
    'AWSAccountId.member.1',
    'ActionName.member.1',
    'ActionName.1',
    'AWSAccountId.1',
    'A.B.C.1',
    '.',
    '..1',
  ],
];

const value = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1e400',
    'true',
    'All',
    '.*',
    'q',
    'q.fifo',
    `arn:aws:sqs:${REGION}:${ACCOUNT}:q`,
  ),
  fc.constantFrom(
    `arn:aws:sns:${REGION}:${ACCOUNT}:t`,
    `http://localhost/${ACCOUNT}/q`,
    '{}',
    '[]',
    '{"a":[1]}',
  ),
  fc.integer().map(String),
);
const jsonMember = fc.oneof(
  fc.jsonValue(),
  value,
  fc.array(fc.dictionary(fc.constantFrom(...MEMBERS), fc.jsonValue())),
);

describe('aws/sqs and aws/sns: malformed requests (property)', function () {
  this.timeout(120_000);
  let endpoint: AwsEndpoint;
  let url: string;

  before(async () => {
    const db = memoryDatabase();
    const clock = new ManualClock();
    const sqs = new SqsService({ db, region: REGION, accountId: ACCOUNT, queues: [], clock });
    const sns = new SnsService({
      db,
      region: REGION,
      accountId: ACCOUNT,
      topology: { topics: [], subscriptions: [] },
      deliver: () => undefined,
      deliverToQueue: () => undefined,
      clock,
    });
    endpoint = new AwsEndpoint([sqs, sns]);
    url = await endpoint.start('127.0.0.1', 0);
    // Something for the operations to find: a queue of each type and a topic of each type.
    await post(json('AmazonSQS.CreateQueue', { QueueName: 'q' }));
    await post(json('AmazonSQS.CreateQueue', { QueueName: 'q.fifo', Attributes: { FifoQueue: 'true' } }));
    await post(form('sns', { Action: 'CreateTopic', Name: 't' }));
    await post(
      form('sns', {
        Action: 'CreateTopic',
        Name: 't.fifo',
        'Attributes.entry.1.key': 'FifoTopic',
        'Attributes.entry.1.value': 'true',
      }),
    );
  });
  after(() => endpoint.stop());

  type Request = { path?: string; headers: Record<string, string>; body: Buffer };
  const json = (target: string, input: unknown): Request => ({
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
    body: Buffer.from(JSON.stringify(input)),
  });
  const scope = (service: string) =>
    `AWS4-HMAC-SHA256 Credential=test/20240501/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
  const form = (
    service: 'sqs' | 'sns',
    params: Record<string, string> | string | Buffer,
    path = '/',
  ): Request => ({
    path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: scope(service),
    },
    body: Buffer.isBuffer(params)
      ? params
      : Buffer.from(typeof params === 'string' ? params : new URLSearchParams(params).toString()),
  });

  async function post(request: Request) {
    const res = await fetch(url + (request.path ?? '/'), {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  /** A JSON answer: 200, or a 4xx with the service's shape and its Query code (what the SDK v3 reads). */
  function checkJson(answer: Awaited<ReturnType<typeof post>>, namespace: string) {
    assert.ok(answer.status < 500, `${answer.status} ${answer.text}`);
    const body = JSON.parse(answer.text) as Record<string, unknown>;
    if (answer.status === 200) return;
    assert.match(String(body.__type), new RegExp(`^${namespace}#\\w+$`), answer.text);
    assert.match(answer.headers.get('x-amzn-query-error') ?? '', /^[\w.]+;Sender$/);
  }

  /** A Query answer: 200 with the action's document, or a 4xx ErrorResponse. */
  function checkXml(answer: Awaited<ReturnType<typeof post>>) {
    assert.ok(answer.status < 500, `${answer.status} ${answer.text}`);
    if (answer.status === 200) assert.match(answer.text, /<(\w+)Response xmlns=/, answer.text);
    else
      assert.match(
        answer.text,
        /<ErrorResponse xmlns=.*<Type>Sender<\/Type><Code>[\w.]+<\/Code>/s,
        answer.text,
      );
  }

  const runs = { numRuns: 150 };

  it('answers random bytes as an AWS JSON body with the service’s error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SQS_ACTIONS),
        fc.constantFrom(...SNS_ACTIONS),
        fc.uint8Array(),
        async (sqsAction, snsAction, bytes) => {
          const body = Buffer.from(bytes);
          checkJson(await post({ ...json(`AmazonSQS.${sqsAction}`, {}), body }), 'com.amazonaws.sqs');
          checkJson(await post({ ...json(`SNS_20100331.${snsAction}`, {}), body }), 'com.amazonaws.sns');
        },
      ),
      runs,
    );
  });

  it('answers JSON of any shape with an answer or the service’s error', async () => {
    const input = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(fc.constantFrom(...MEMBERS), jsonMember, { maxKeys: 6 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SQS_ACTIONS),
        fc.constantFrom(...SNS_ACTIONS),
        input,
        async (sqsAction, snsAction, body) => {
          checkJson(await post(json(`AmazonSQS.${sqsAction}`, body)), 'com.amazonaws.sqs');
          checkJson(await post(json(`SNS_20100331.${snsAction}`, body)), 'com.amazonaws.sns');
        },
      ),
      runs,
    );
  });

  it('answers Query forms with random members, escapes and bytes in Query XML', async () => {
    const params = fc.dictionary(fc.constantFrom(...QUERY_KEYS), value, { maxKeys: 8 });
    const raw = fc.oneof(
      fc.string().map((text) => Buffer.from(text)),
      fc
        .array(
          fc.constantFrom(
            '%',
            '%2',
            '%ZZ',
            '%FF',
            '%C3%A9',
            '&',
            '=',
            '+',
            'Action=SendMessage',
            'Action',
            'MessageBody=',
          ),
        )
        .map((parts) => Buffer.from(parts.join(''))),
      fc.uint8Array().map((bytes) => Buffer.from(bytes)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SQS_ACTIONS),
        fc.constantFrom(...SNS_ACTIONS),
        params,
        raw,
        async (sqsAction, snsAction, members, bytes) => {
          checkXml(await post(form('sqs', { Version: '2012-11-05', ...members, Action: sqsAction })));
          checkXml(await post(form('sqs', { ...members, Action: sqsAction }, `/${ACCOUNT}/q`)));
          checkXml(await post(form('sns', { Version: '2010-03-31', ...members, Action: snsAction })));
          checkXml(await post(form('sqs', bytes)));
          checkXml(await post(form('sns', bytes)));
        },
      ),
      runs,
    );
  });

  it('refuses a Query form whose percent-decoded bytes are not UTF-8, with MalformedQueryString', async () => {
    for (const [service, body] of [
      ['sqs', `Action=SendMessage&Version=2012-11-05&QueueUrl=/${ACCOUNT}/q&MessageBody=%FF`],
      ['sqs', `Action=CreateQueue&QueueName=%C3`],
      ['sns', `Action=Publish&TopicArn=arn:aws:sns:${REGION}:${ACCOUNT}:t&Message=%ED%A0%80`],
    ] as const) {
      const answer = await post(form(service, body));
      assert.equal(answer.status, 400, answer.text);
      assert.match(answer.text, /<Code>MalformedQueryString<\/Code>/);
    }
    // Raw bytes that are not UTF-8, unescaped, likewise; escaped UTF-8 is fine.
    const raw = Buffer.concat([Buffer.from('Action=CreateQueue&QueueName='), Buffer.from([0xc3, 0x28])]);
    assert.match((await post(form('sqs', raw))).text, /<Code>MalformedQueryString<\/Code>/);
    await post(json('AmazonSQS.CreateQueue', { QueueName: 'utf8' }));
    const fine = await post(
      form('sqs', `Action=SendMessage&QueueUrl=/${ACCOUNT}/utf8&MessageBody=%C3%A9t%C3%A9`),
    );
    assert.equal(fine.status, 200, fine.text);
  });

  it('serves any body to an AWS JSON API (json-protocol) as SerializationException or the API’s answer', async () => {
    const api: JsonApi = {
      target: 'Test_20240501.',
      version: '1.1',
      operations: { Echo: (input) => input },
      readInput: (request) => {
        const input = jsonObject(request.body);
        if (!input) throw Object.assign(new Error('unreadable'), { unreadable: true });
        return input;
      },
    };
    await fc.assert(
      fc.asyncProperty(fc.uint8Array(), async (bytes) => {
        const body = Buffer.from(bytes);
        const request = {
          method: 'POST',
          path: '/',
          query: new URLSearchParams(),
          headers: { 'x-amz-target': 'Test_20240501.Echo' },
          body,
        };
        let answer;
        try {
          answer = await serveJson(api, request);
        } catch (error) {
          // What readInput throws that is no AwsError is the endpoint's (a 500 there): only unreadable JSON.
          assert.equal((error as { unreadable?: boolean }).unreadable, true);
          assert.ok(jsonObject(body) === undefined);
          return;
        }
        if (answer.status === 200) assert.deepEqual(JSON.parse(String(answer.body)), jsonObject(body));
        else assert.equal(answer.headers?.['x-amzn-errortype'], 'SerializationException');
      }),
      { numRuns: 300 },
    );
  });
});
