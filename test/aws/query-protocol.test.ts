import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { AwsEndpoint } from '../../src/aws/endpoint';
import { S3Service } from '../../src/aws/s3/s3-service';
import { SnsService } from '../../src/aws/sns/sns-service';
import { SqsService } from '../../src/aws/sqs/sqs-service';
import { memoryDatabase } from '../../src/state/database';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const signedFor = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=test/20240501/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;

/**
 * boto3 calls `operation` on a client of `service` with the `Action` parameter taken out of the
 * request before it is signed, and prints the ClientError's code, HTTP status and message. SQS is
 * Query-parsed with botocore's own parser, as boto3 does for a service on the Query protocol (boto3
 * sends SQS as AWS JSON now).
 */
const BOTO3 = `
import json, sys, boto3, botocore.parsers
from botocore.exceptions import ClientError
url, service, operation, kwargs = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
client = boto3.client(service, endpoint_url=url, region_name='${REGION}',
                      aws_access_key_id='test', aws_secret_access_key='test')
def strip_action(request, **_):
    if isinstance(request.data, dict): request.data.pop('Action', None)
client.meta.events.register('before-sign.' + service, strip_action)
try:
    getattr(client, operation)(**kwargs)
    print(json.dumps({'error': None}))
except ClientError as e:
    error = e.response['Error']
    print(json.dumps({'code': error['Code'], 'type': error.get('Type'), 'message': error['Message'],
                      'status': e.response['ResponseMetadata']['HTTPStatusCode']}))
`;

const QUERY_PARSE = `
import json, sys, botocore.parsers
body, status = sys.stdin.read().encode(), int(sys.argv[1])
parsed = botocore.parsers.QueryParser().parse({'body': body, 'headers': {}, 'status_code': status}, None)
print(json.dumps(parsed['Error']))
`;

async function python(script: string, args: string[], input?: string): Promise<Record<string, unknown>> {
  const child = promisify(execFile)('python3', ['-c', script, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_CONFIG_FILE: '/nonexistent' },
  });
  if (input !== undefined) child.child.stdin?.end(input);
  return JSON.parse((await child).stdout) as Record<string, unknown>;
}

describe('Query requests without Action', () => {
  let endpoint: AwsEndpoint;
  let url: string;
  let stateDir: string;
  let sqs: SqsService;

  before(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'query-test-'));
    const db = memoryDatabase();
    sqs = new SqsService({
      db,
      region: REGION,
      accountId: ACCOUNT,
      queues: [{ name: 'orders', attributes: {} }],
    });
    const sns = new SnsService({
      db,
      region: REGION,
      accountId: ACCOUNT,
      topology: { topics: [], subscriptions: [] },
      deliver: () => undefined,
      deliverToQueue: () => undefined,
    });
    // S3 last, as the composition root puts it: it must not take these requests.
    const s3 = new S3Service({
      db,
      dataDir: path.join(stateDir, 's3'),
      region: REGION,
      accountId: ACCOUNT,
      buckets: [],
      notifications: [],
      deliver: () => undefined,
    });
    endpoint = new AwsEndpoint([sqs, sns, s3]);
    url = await endpoint.start('127.0.0.1', 0);
  });
  after(async () => {
    sqs.stop();
    await endpoint.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const post = async (requestPath: string, body: string, authorization?: string) => {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    };
    if (authorization) headers.authorization = authorization;
    const res = await fetch(url + requestPath, { method: 'POST', headers, body });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('boto3 gets SNS MissingAction as a ClientError', async () => {
    const error = await python(BOTO3, [url, 'sns', 'list_topics', '{}']);
    assert.deepEqual(error, {
      code: 'MissingAction',
      type: 'Sender',
      message: 'The request must contain the parameter Action.',
      status: 400,
    });
  });

  it('answers SQS MissingAction in Query XML at a queue path and at /, signed or (at a queue path) not', async () => {
    const cases: [string, string | undefined][] = [
      [`/${ACCOUNT}/orders`, signedFor('sqs')],
      ['/', signedFor('sqs')],
      [`/${ACCOUNT}/orders`, undefined],
      ['/000000000000/elsewhere', undefined],
    ];
    for (const [requestPath, authorization] of cases) {
      const res = await post(requestPath, 'Version=2012-11-05&MessageBody=hello', authorization);
      assert.equal(res.status, 400, requestPath);
      assert.equal(res.type, 'text/xml');
      assert.match(
        res.text,
        /<ErrorResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>MissingAction<\/Code><Message>The request must contain the parameter Action\.<\/Message>/,
      );
      const parsed = await python(QUERY_PARSE, [String(res.status)], res.text);
      assert.equal(parsed.Code, 'MissingAction');
    }
  });

  it('answers SNS MissingAction in Query XML for a raw request signed for sns', async () => {
    const res = await post('/', 'Version=2010-03-31&TopicArn=x', signedFor('sns'));
    assert.equal(res.status, 400);
    assert.match(res.text, /<Error><Type>Sender<\/Type><Code>MissingAction<\/Code>/);
  });

  it('leaves S3 an unsigned GET at a queue-like path', async () => {
    const got = await fetch(`${url}/${ACCOUNT}/orders`);
    assert.match(await got.text(), /<Code>NoSuchBucket<\/Code>/);
  });
});
