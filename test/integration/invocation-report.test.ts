import { strict as assert } from 'node:assert';
import type { Report } from '../../src/report/build';
import { EXAMPLE_SERVICE, fixture, serverless } from '../helpers/cli';

const report = async (cwd: string, ...args: string[]) => {
  const result = await serverless(cwd, ['invocation-report', '--format', 'json', ...args]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Report;
};

const classOf = (r: Report, fn: string) =>
  r.functions.find((f) => f.name === fn)?.events.map((e) => `${e.type}:${e.model}/${e.invocation}`);

describe('sls invocation-report (serverless@3 CLI)', function () {
  this.timeout(60_000);

  describe('on example-service', () => {
    let json: Report;
    before(async () => {
      json = await report(EXAMPLE_SERVICE);
    });

    it('prints only the JSON document on stdout, with every function in order', () => {
      assert.equal(json.service, 'orders');
      assert.deepEqual(
        json.functions.map((f) => f.name),
        [
          'api',
          'health',
          'importOrders',
          'authorizeImport',
          'processOrder',
          'onUpload',
          'notifyCustomer',
          'auditTrail',
          'clickAnalytics',
          'nightlyReport',
          'onShipped',
        ],
      );
    });

    it('classifies a mix of push and pull, sync and async sources', () => {
      assert.deepEqual(classOf(json, 'api'), ['httpApi:push/sync', 'httpApi:push/sync']);
      assert.deepEqual(classOf(json, 'health'), ['http:push/sync', 'url:push/sync']);
      assert.deepEqual(classOf(json, 'importOrders'), ['http:push/async']);
      assert.deepEqual(classOf(json, 'authorizeImport'), ['authorizer:push/sync']);
      assert.deepEqual(classOf(json, 'processOrder'), ['sqs:pull/sync']);
      assert.deepEqual(classOf(json, 'auditTrail'), ['stream:pull/sync']);
      assert.deepEqual(classOf(json, 'onShipped'), ['eventBridge:push/async']);
    });

    it('reports who retries, from the queue, the stream settings and the function', () => {
      const sqs = json.functions.find((f) => f.name === 'processOrder')?.events[0];
      assert.deepEqual(sqs?.retry, {
        owner: 'queue',
        visibilityTimeout: 120,
        maxReceiveCount: 5,
        deadLetterQueue: 'orders-dlq-dev',
        reportBatchItemFailures: true,
        summary: 'batch reappears after 120 s, to orders-dlq-dev after 5 receives, partial batch failures',
      });
      const upload = json.functions.find((f) => f.name === 'onUpload')?.events[0];
      assert.equal(upload?.retry.owner, 'lambda');
      assert.deepEqual(upload?.retry.owner === 'lambda' && [upload.retry.attempts, upload.retry.onFailure], [
        2,
        'failed-events-dev',
      ]);
    });

    it('finds the two settings that lose or block events', () => {
      assert.deepEqual(
        json.findings.map((f) => `${f.function}:${f.code}`),
        ['notifyCustomer:ASYNC_NO_FAILURE_DESTINATION', 'clickAnalytics:STREAM_POISON_RECORD_BLOCKS_SHARD'],
      );
    });

    it('limits the report to one function with --function / -f', async () => {
      const one = await report(EXAMPLE_SERVICE, '-f', 'processOrder');
      assert.deepEqual(
        one.functions.map((f) => f.name),
        ['processOrder'],
      );
      assert.equal(one.summary.functions, 1);
    });

    it('exits non-zero with --fail-on warning and zero with --fail-on error', async () => {
      const warning = await serverless(EXAMPLE_SERVICE, ['invocation-report', '--fail-on', 'warning']);
      assert.equal(warning.code, 1);
      assert.match(warning.stderr, /findings at or above "warning"/);
      const error = await serverless(EXAMPLE_SERVICE, ['invocation-report', '--fail-on', 'error']);
      assert.equal(error.code, 0, error.stderr);
    });

    it('prints a plain 80-column table by default', async () => {
      const table = await serverless(EXAMPLE_SERVICE, ['invocation-report']);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^orders stage dev, region eu-west-1/);
      assert.match(table.stdout, /processOrder .*\n {2}sqs +pull sync +queue orders-dev/);
      assert.ok(!table.stdout.includes(`\u001b[`), 'no ANSI colour codes');
      for (const line of table.stdout.trimEnd().split('\n')) assert.ok(line.length <= 80, line);
      assert.match(table.stdout, /findings: 0 errors, 2 warnings, 0 info/);
    });

    it('prints Markdown with --format markdown', async () => {
      const md = await serverless(EXAMPLE_SERVICE, ['invocation-report', '--format', 'markdown']);
      assert.equal(md.code, 0, md.stderr);
      assert.match(md.stdout, /\| Function \| Source \| Model \| Invocation \| Resource \| On error \|/);
      assert.match(md.stdout, /\| processOrder \| sqs \| pull \| sync \| queue orders-dev \|/);
    });

    it('rejects an unknown format and an unknown function with a clear error', async () => {
      const format = await serverless(EXAMPLE_SERVICE, ['invocation-report', '--format', 'yaml']);
      assert.equal(format.code, 1);
      assert.match(
        format.stdout + format.stderr,
        /--format must be one of table, json, markdown, mermaid, html, got "yaml"/,
      );
      const fn = await serverless(EXAMPLE_SERVICE, ['invocation-report', '-f', 'nope']);
      assert.equal(fn.code, 1);
      assert.match(fn.stdout + fn.stderr, /Function "nope" doesn't exist in this service/);
    });
  });

  describe('on a service with every Serverless v3 event key', () => {
    it('classifies each key, its variants, and a function with no events', async () => {
      const json = await report(fixture('all-events'));
      const classes = Object.fromEntries(
        json.functions.map((f) => [f.name, classOf(json, f.name)?.join(' ')]),
      );
      assert.deepEqual(classes, {
        rest: 'http:push/sync http:push/async',
        httpApi: 'httpApi:push/sync',
        websocket: 'websocket:push/sync',
        alb: 'alb:push/sync',
        functionUrl: 'url:push/sync',
        s3: 's3:push/async',
        sns: 'sns:push/async',
        sqs: 'sqs:pull/sync',
        kinesis: 'stream:pull/sync',
        dynamodb: 'stream:pull/sync',
        msk: 'msk:pull/sync',
        kafka: 'kafka:pull/sync',
        activemq: 'activemq:pull/sync',
        rabbitmq: 'rabbitmq:pull/sync',
        alexaSkill: 'alexaSkill:push/sync',
        alexaSmartHome: 'alexaSmartHome:push/sync',
        iot: 'iot:push/async',
        iotFleetProvisioning: 'iotFleetProvisioning:push/sync',
        schedule: 'schedule:push/async schedule:push/async',
        cloudwatchEvent: 'cloudwatchEvent:push/async',
        cloudwatchLog: 'cloudwatchLog:push/async',
        cognitoUserPool: 'cognitoUserPool:push/sync cognitoUserPool:push/async',
        eventBridge: 'eventBridge:push/async',
        cloudFront: 'cloudFront:push/sync',
        direct: '',
      });
      const services = json.functions.flatMap((f) => f.events.map((e) => e.service));
      assert.ok(services.includes('Kinesis Data Streams'));
      assert.ok(services.includes('DynamoDB Streams'));
      assert.ok(services.includes('EventBridge Scheduler'));
      assert.deepEqual(json.functions.find((f) => f.name === 'direct')?.events, []);
    });
  });

  describe('on malformed services', () => {
    const cases: Array<[string, RegExp]> = [
      ['malformed-sqs', /function "worker": functions\.worker\.events\.1\.sqs\.arn is required/],
      [
        'bad-schedule',
        /function "cron": functions\.cron\.events\.0\.schedule "rate\(1 minutes\)" is not a valid/,
      ],
      [
        'unknown-stream-type',
        /functions\.consumer\.events\.0\.stream\.type must be one of kinesis, dynamodb/,
      ],
    ];
    for (const [name, message] of cases) {
      it(`fails with a ServerlessError naming function, event and key (${name})`, async () => {
        const result = await serverless(fixture(name), ['invocation-report']);
        assert.equal(result.code, 1);
        const output = result.stdout + result.stderr;
        assert.match(output, message);
        assert.doesNotMatch(output, /\n\s+at .+\.js:\d+/, 'a user error prints no stack trace');
      });
    }
  });
});
