// The orders service tested in virtual time with serverless-emulate/testing: the service runs in this
// process, real clients drive it, and AWS's delays (visibility timeouts, async retries, schedules) pass
// when the test says so. Run it with `npx mocha example-service/test/orders.test.mjs`.
import { strict as assert } from 'node:assert';
import { fileURLToPath, URL } from 'node:url';
import {
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { emulate } from 'serverless-emulate/testing';

const SERVICE_DIR = fileURLToPath(new URL('..', import.meta.url));

describe('orders service', function () {
  this.timeout(60_000);
  let service;
  let sqs;

  before(async () => {
    service = await emulate({
      dir: SERVICE_DIR,
      clock: 'virtual',
      startAt: new Date('2030-06-01T01:58:00Z'),
    });
    sqs = new SQSClient(service.aws.clientConfig);
  });
  afterEach(() => service.reset());
  after(() => service?.stop());

  /** The messages in a queue of the service (the first receive of each). */
  async function messagesIn(queueName) {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
    );
    return Messages;
  }

  it('carries an order from POST /orders through DynamoDB, SNS and SQS to its receipt in S3', async () => {
    const response = await fetch(`${service.http.url}/orders`, {
      method: 'POST',
      body: JSON.stringify({ id: 'o-1' }),
    });
    assert.equal(response.status, 201);
    await service.advance('1s'); // the table stream's batching window
    await service.waitFor({
      function: 'onUpload',
      where: (i) => i.logs.some((l) => l.includes('receipt for order o-1')),
    });
    assert.deepEqual(
      service.invocations().map((i) => `${i.function} ← ${i.source.kind}`),
      ['api ← httpApi', 'auditTrail ← stream', 'processOrder ← sqs', 'onUpload ← s3'],
    );
  });

  it('moves a poison message to the DLQ after its five receives, two minutes apart', async () => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders-dev' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"note":"no id"}' }));
    await service.advance('10m'); // VisibilityTimeout 120 s, maxReceiveCount 5
    const attempts = service.invocations({ function: 'processOrder' });
    assert.deepEqual(
      attempts.map((i) => i.attempt),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(
      (await messagesIn('orders-dlq-dev')).map((m) => m.Body),
      ['{"note":"no id"}'],
    );
  });

  it('sends a failed import to the failed-events queue after three attempts', async () => {
    const response = await fetch(`${service.http.url}/dev/orders/import`, {
      method: 'POST',
      headers: { authorization: 'Bearer importer', 'content-type': 'application/json' },
      body: JSON.stringify({ orders: [{ sku: 'no-id' }] }),
    });
    assert.equal(response.status, 200); // async: true answers at once
    await service.advance('3m'); // Lambda retries after 1 and 2 minutes
    const attempts = service.invocations({ function: 'importOrders' });
    assert.deepEqual(
      attempts.map((i) => [i.attempt, i.outcome]),
      [
        [1, 'error'],
        [2, 'error'],
        [3, 'error'],
      ],
    );
    const [failed] = await messagesIn('failed-events-dev');
    const record = JSON.parse(failed.Body);
    assert.equal(record.requestContext.condition, 'RetriesExhausted');
    assert.equal(record.responsePayload.errorMessage, 'order without id: {"sku":"no-id"}');
  });

  it('runs the nightly report at 02:00', async () => {
    const untilTwo = new Date(service.now());
    untilTwo.setUTCHours(untilTwo.getUTCHours() < 2 ? 2 : 26, 0, 0, 0);
    await service.advance(untilTwo.getTime() - service.now().getTime() - 1000);
    assert.deepEqual(service.invocations({ function: 'nightlyReport' }), []);
    await service.advance('1s');
    const [report] = service.invocations({ function: 'nightlyReport' });
    assert.equal(report.event.time, untilTwo.toISOString().replace('.000', ''));
  });
});
