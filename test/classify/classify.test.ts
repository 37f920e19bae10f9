import { strict as assert } from 'node:assert';
import type { ClassifiedEvent } from '../../src/classify/classify';
import type { RetryPolicy } from '../../src/classify/retry';
import type { Invocation, Model } from '../../src/classify/table';
import { ConfigError } from '../../src/errors';
import type { EventSpec, EventType } from '../../src/service/model';
import { classified, type ServiceConfig } from '../helpers/service';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

interface Options {
  /** Function settings besides `handler` and `events`. */
  fn?: Record<string, unknown>;
  resources?: ServiceConfig['resources'];
  provider?: ServiceConfig['provider'];
}

/** The sources of a function `worker` with these events. */
function sourcesOf(events: unknown[], { fn, resources, provider }: Options = {}): ClassifiedEvent[] {
  return classified({
    functions: { worker: { handler: 'handler.main', ...fn, events } },
    resources,
    provider,
  });
}

/** The one source of a function `worker` with this one event. */
function only(event: unknown, options: Options = {}): ClassifiedEvent {
  const sources = sourcesOf([event], options);
  assert.equal(sources.length, 1);
  return sources[0];
}

type Narrow<S, T> = S extends { type: infer U } ? (T extends U ? S : never) : never;

function specOf<T extends EventType>(source: ClassifiedEvent, type: T): Narrow<EventSpec, T> {
  assert.equal(source.spec.type, type);
  return source.spec as Narrow<EventSpec, T>;
}

function retryOf<O extends RetryPolicy['owner']>(
  source: ClassifiedEvent,
  owner: O,
): Extract<RetryPolicy, { owner: O }> {
  assert.equal(source.retry.owner, owner);
  return source.retry as Extract<RetryPolicy, { owner: O }>;
}

function assertClass(source: ClassifiedEvent, service: string, model: Model, invocation: Invocation): void {
  assert.deepEqual(
    { service: source.service, model: source.model, invocation: source.invocation },
    { service, model, invocation },
  );
}

/** Lambda's async retry policy with AWS's defaults and no destination. */
function assertDefaultAsyncRetry(source: ClassifiedEvent): void {
  assert.deepEqual(retryOf(source, 'lambda'), {
    owner: 'lambda',
    attempts: 3,
    maximumEventAge: 21600,
    onSuccess: undefined,
    onFailure: undefined,
    deadLetterQueue: undefined,
  });
}

function assertConfigError(run: () => unknown, path: string, ...fragments: string[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.equal(error.code, 'EMULATE_INVALID_CONFIG');
    assert.ok(error.message.includes(path), `"${error.message}" does not name ${path}`);
    for (const fragment of fragments) {
      assert.ok(error.message.includes(fragment), `"${error.message}" does not mention ${fragment}`);
    }
    return true;
  });
}

const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

describe('classify', () => {
  describe('API Gateway, load balancer and function URL sources', () => {
    it('classifies an http event as a sync push from the REST API with a lambda-proxy integration', () => {
      const source = only({ http: { method: 'get', path: 'users/{id}' } });
      assertClass(source, 'API Gateway REST API', 'push', 'sync');
      assert.deepEqual(specOf(source, 'http'), {
        type: 'http',
        index: 0,
        method: 'GET',
        path: '/users/{id}',
        integration: 'lambda-proxy',
        async: false,
        cors: false,
        corsSettings: undefined,
        authorizer: undefined,
        private: false,
        request: {
          passThrough: 'NEVER',
          required: { header: [], path: [], querystring: [] },
          schemas: {},
          templates: {},
        },
        response: [],
        transferMode: 'BUFFERED',
      });
      const retry = retryOf(source, 'caller');
      assert.match(retry.behaviour, /502/);
      assert.equal(retry.behaviour, source.onError);
      assert.equal(source.batch, undefined);
    });

    it('reads the http string shorthand "GET /x" as method and path', () => {
      const source = only({ http: 'GET /x' });
      assertClass(source, 'API Gateway REST API', 'push', 'sync');
      const spec = specOf(source, 'http');
      assert.equal(spec.method, 'GET');
      assert.equal(spec.path, '/x');
      assert.equal(spec.integration, 'lambda-proxy');
      assert.equal(spec.async, false);
    });

    it('classifies an http event with async: true as async with a lambda integration by default', () => {
      const source = only({ http: { method: 'post', path: '/jobs', async: true } });
      assertClass(source, 'API Gateway REST API', 'push', 'async');
      assert.equal(source.onError, undefined);
      const spec = specOf(source, 'http');
      assert.equal(spec.async, true);
      assert.equal(spec.integration, 'lambda');
      assertDefaultAsyncRetry(source);
    });

    it('keeps an explicit integration of an async http event and normalises its alias', () => {
      const spec = specOf(
        only({ http: { method: 'post', path: '/jobs', async: true, integration: 'AWS_PROXY' } }),
        'http',
      );
      assert.equal(spec.integration, 'lambda-proxy');
    });

    it('reads cors and private of an http event', () => {
      const spec = specOf(only({ http: { method: 'any', path: '/', cors: true, private: true } }), 'http');
      assert.equal(spec.method, 'ANY');
      assert.equal(spec.cors, true);
      assert.equal(spec.private, true);
    });

    it('classifies an httpApi "*" route as a sync push from the HTTP API with payload 2.0', () => {
      const source = only({ httpApi: '*' });
      assertClass(source, 'API Gateway HTTP API', 'push', 'sync');
      assert.deepEqual(specOf(source, 'httpApi'), {
        type: 'httpApi',
        index: 0,
        method: '*',
        path: '*',
        authorizer: undefined,
        payload: '2.0',
      });
      assert.match(retryOf(source, 'caller').behaviour, /500/);
    });

    it('reads the httpApi string shorthand "GET /x" as method and path', () => {
      const spec = specOf(only({ httpApi: 'GET /x' }), 'httpApi');
      assert.equal(spec.method, 'GET');
      assert.equal(spec.path, '/x');
    });

    it('reads an httpApi object and defaults its method to any', () => {
      const post = specOf(only({ httpApi: { method: 'post', path: 'items' } }), 'httpApi');
      assert.deepEqual([post.method, post.path], ['POST', '/items']);
      const any = specOf(only({ httpApi: { path: '/items' } }), 'httpApi');
      assert.deepEqual([any.method, any.path], ['*', '/items']);
    });

    it('takes the httpApi payload version from provider.httpApi.payload', () => {
      const source = only({ httpApi: 'GET /x' }, { provider: { httpApi: { payload: '1.0' } } });
      assertClass(source, 'API Gateway HTTP API', 'push', 'sync');
      assert.equal(specOf(source, 'httpApi').payload, '1.0');
    });

    it('classifies a websocket route as a sync push with the default route selection expression', () => {
      const source = only({ websocket: '$connect' });
      assertClass(source, 'API Gateway WebSocket API', 'push', 'sync');
      assert.deepEqual(specOf(source, 'websocket'), {
        type: 'websocket',
        index: 0,
        route: '$connect',
        authorizer: undefined,
        routeSelectionExpression: '$request.body.action',
        routeResponseSelectionExpression: undefined,
      });
      assert.match(retryOf(source, 'caller').behaviour, /does not retry/);
    });

    it('reads a websocket object and the provider route selection expression', () => {
      const source = only(
        { websocket: { route: 'send', routeResponseSelectionExpression: '$default' } },
        { provider: { websocketsApiRouteSelectionExpression: '$request.body.type' } },
      );
      const spec = specOf(source, 'websocket');
      assert.equal(spec.route, 'send');
      assert.equal(spec.routeSelectionExpression, '$request.body.type');
      assert.equal(spec.routeResponseSelectionExpression, '$default');
    });

    it('classifies an alb event as a sync push from the load balancer', () => {
      const listenerArn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/lb/1/2`;
      const source = only({
        alb: { listenerArn, priority: 3, conditions: { path: '/hello', method: ['get', 'POST'] } },
      });
      assertClass(source, 'Application Load Balancer', 'push', 'sync');
      const spec = specOf(source, 'alb');
      assert.equal(spec.listenerArn, listenerArn);
      assert.equal(spec.priority, 3);
      assert.deepEqual(spec.conditions.path, ['/hello']);
      assert.deepEqual(spec.conditions.method, ['GET', 'POST']);
      assert.deepEqual(spec.conditions.host, []);
      assert.equal(spec.multiValueHeaders, false);
      assert.match(retryOf(source, 'caller').behaviour, /502/);
    });

    it('lists the function-level url: true as a sync url source after the events', () => {
      const sources = sourcesOf([{ http: 'GET /x' }, { sqs: queueArn('jobs') }], { fn: { url: true } });
      assert.deepEqual(
        sources.map((s) => s.spec.type),
        ['http', 'sqs', 'url'],
      );
      const source = sources[2];
      assertClass(source, 'Lambda function URL', 'push', 'sync');
      assert.deepEqual(specOf(source, 'url'), {
        type: 'url',
        index: 2,
        authorizer: 'none',
        cors: false,
        corsSettings: undefined,
        invokeMode: 'BUFFERED',
      });
      assert.match(retryOf(source, 'caller').behaviour, /429/);
    });

    it('reads a function url object', () => {
      const sources = sourcesOf([], {
        fn: { url: { authorizer: 'aws_iam', cors: true, invokeMode: 'RESPONSE_STREAM' } },
      });
      assert.equal(sources.length, 1);
      assert.deepEqual(specOf(sources[0], 'url'), {
        type: 'url',
        index: 0,
        authorizer: 'aws_iam',
        cors: true,
        corsSettings: true,
        invokeMode: 'RESPONSE_STREAM',
      });
    });

    it('gives no url source for url: false', () => {
      assert.deepEqual(
        sourcesOf([{ http: 'GET /x' }], { fn: { url: false } }).map((s) => s.spec.type),
        ['http'],
      );
    });
  });

  describe('asynchronous push sources', () => {
    it('classifies an s3 bucket name as an async push from S3 with the default event', () => {
      const source = only({ s3: 'photos' });
      assertClass(source, 'Amazon S3', 'push', 'async');
      assert.deepEqual(specOf(source, 's3'), {
        type: 's3',
        index: 0,
        bucket: 'photos',
        event: 's3:ObjectCreated:*',
        rules: [],
        existing: false,
      });
      assertDefaultAsyncRetry(source);
      assert.equal(source.batch, undefined);
    });

    it('reads an s3 object with its event, rules and existing', () => {
      const spec = specOf(
        only({
          s3: {
            bucket: 'photos',
            event: 's3:ObjectRemoved:*',
            rules: [{ prefix: 'uploads/' }, { suffix: '.jpg' }],
            existing: true,
          },
        }),
        's3',
      );
      assert.equal(spec.event, 's3:ObjectRemoved:*');
      assert.deepEqual(spec.rules, [
        { prefix: 'uploads/', suffix: undefined },
        { prefix: undefined, suffix: '.jpg' },
      ]);
      assert.equal(spec.existing, true);
    });

    it('classifies an sns topic name as an async push from SNS creating the topic', () => {
      const source = only({ sns: 'alerts' });
      assertClass(source, 'Amazon SNS', 'push', 'async');
      const spec = specOf(source, 'sns');
      assert.deepEqual(spec.topic, {
        text: 'alerts',
        kind: 'sns',
        name: 'alerts',
        arn: `arn:aws:sns:${REGION}:${ACCOUNT}:alerts`,
        status: 'service',
      });
      assert.equal(spec.filterPolicyScope, 'MessageAttributes');
      assert.equal(spec.redrivePolicy, undefined);
      assertDefaultAsyncRetry(source);
    });

    it('reads an sns topic ARN from another stack as external, with its filter policy', () => {
      const arn = `arn:aws:sns:${REGION}:111111111111:orders`;
      const spec = specOf(
        only({ sns: { arn, filterPolicy: { kind: ['paid'] }, filterPolicyScope: 'MessageBody' } }),
        'sns',
      );
      assert.equal(spec.topic.name, 'orders');
      assert.equal(spec.topic.status, 'external');
      assert.deepEqual(spec.filterPolicy, { kind: ['paid'] });
      assert.equal(spec.filterPolicyScope, 'MessageBody');
    });

    it('classifies an iot rule as an async push from the IoT rules engine', () => {
      const source = only({ iot: { sql: "SELECT * FROM 'sensors'" } });
      assertClass(source, 'AWS IoT rules engine', 'push', 'async');
      assert.deepEqual(specOf(source, 'iot'), {
        type: 'iot',
        index: 0,
        sql: "SELECT * FROM 'sensors'",
        enabled: true,
      });
      assertDefaultAsyncRetry(source);
    });

    it('classifies a schedule rate string as an async push from an EventBridge scheduled rule', () => {
      const source = only({ schedule: 'rate(5 minutes)' });
      assertClass(source, 'EventBridge (scheduled rule)', 'push', 'async');
      const spec = specOf(source, 'schedule');
      assert.deepEqual(spec.expressions, ['rate(5 minutes)']);
      assert.equal(spec.method, 'eventBus');
      assert.equal(spec.enabled, true);
      assertDefaultAsyncRetry(source);
    });

    it('classifies a schedule with method: scheduler as EventBridge Scheduler', () => {
      const source = only({
        schedule: {
          rate: ['cron(0 12 * * ? *)', 'rate(1 hour)'],
          method: 'scheduler',
          timezone: 'Europe/Paris',
          input: { job: 'report' },
          enabled: false,
        },
      });
      assertClass(source, 'EventBridge Scheduler', 'push', 'async');
      assert.deepEqual(specOf(source, 'schedule'), {
        type: 'schedule',
        index: 0,
        expressions: ['cron(0 12 * * ? *)', 'rate(1 hour)'],
        method: 'scheduler',
        input: { job: 'report' },
        inputPath: undefined,
        inputTransformer: undefined,
        timezone: 'Europe/Paris',
        enabled: false,
      });
      assertDefaultAsyncRetry(source);
    });

    it('keeps a schedule object without method on the default event bus', () => {
      const source = only({ schedule: { rate: ['rate(1 day)'] } });
      assertClass(source, 'EventBridge (scheduled rule)', 'push', 'async');
      const spec = specOf(source, 'schedule');
      assert.deepEqual(spec.expressions, ['rate(1 day)']);
      assert.equal(spec.method, 'eventBus');
    });

    it('classifies a cloudwatchEvent as an async push on the default bus with its pattern', () => {
      const pattern = { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] };
      const source = only({ cloudwatchEvent: { event: pattern, inputPath: '$.detail' } });
      assertClass(source, 'EventBridge (CloudWatch Events rule)', 'push', 'async');
      const spec = specOf(source, 'cloudwatchEvent');
      assert.equal(spec.eventBus, 'default');
      assert.deepEqual(spec.pattern, pattern);
      assert.equal(spec.inputPath, '$.detail');
      assert.equal(spec.enabled, true);
      assertDefaultAsyncRetry(source);
    });

    it('classifies an eventBridge pattern as an async push on the default bus', () => {
      const source = only({ eventBridge: { pattern: { source: ['my.app'] } } });
      assertClass(source, 'Amazon EventBridge', 'push', 'async');
      const spec = specOf(source, 'eventBridge');
      assert.equal(spec.eventBus, 'default');
      assert.deepEqual(spec.pattern, { source: ['my.app'] });
      assert.equal(spec.schedule, undefined);
      assert.equal(spec.retryPolicy, undefined);
      assert.equal(spec.deadLetterQueue, undefined);
      assertDefaultAsyncRetry(source);
    });

    it('classifies an eventBridge schedule on a named bus as an async push', () => {
      const source = only({ eventBridge: { eventBus: 'orders', schedule: 'rate(10 minutes)' } });
      assertClass(source, 'Amazon EventBridge', 'push', 'async');
      const spec = specOf(source, 'eventBridge');
      assert.equal(spec.eventBus, 'orders');
      assert.equal(spec.schedule, 'rate(10 minutes)');
      assert.equal(spec.pattern, undefined);
      assertDefaultAsyncRetry(source);
    });

    it('reads an eventBridge bus ARN, retry policy and dead-letter queue', () => {
      const spec = specOf(
        only({
          eventBridge: {
            eventBus: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/orders`,
            pattern: { source: ['shop'] },
            retryPolicy: { maximumEventAge: 3600, maximumRetryAttempts: 5 },
            deadLetterQueueArn: queueArn('rules-dlq'),
          },
        }),
        'eventBridge',
      );
      assert.equal(spec.eventBus, 'orders');
      assert.deepEqual(spec.retryPolicy, { maximumEventAge: 3600, maximumRetryAttempts: 5 });
      assert.equal(spec.deadLetterQueue?.name, 'rules-dlq');
    });

    it('classifies a cloudwatchLog log group as an async push from a subscription filter', () => {
      const source = only({ cloudwatchLog: '/aws/lambda/other' });
      assertClass(source, 'CloudWatch Logs subscription', 'push', 'async');
      assert.deepEqual(specOf(source, 'cloudwatchLog'), {
        type: 'cloudwatchLog',
        index: 0,
        logGroup: '/aws/lambda/other',
        filter: '',
      });
      assertDefaultAsyncRetry(source);
    });

    it('reads a cloudwatchLog object with its filter', () => {
      const spec = specOf(
        only({ cloudwatchLog: { logGroup: '/aws/lambda/other', filter: '{ $.level = "error" }' } }),
        'cloudwatchLog',
      );
      assert.equal(spec.logGroup, '/aws/lambda/other');
      assert.equal(spec.filter, '{ $.level = "error" }');
    });
  });

  describe('sources Lambda polls', () => {
    it('classifies sqs as a sync pull with batch size 10 and no batching window by default', () => {
      const source = only(
        { sqs: { arn: { 'Fn::GetAtt': ['Jobs', 'Arn'] } } },
        { resources: { Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs' } } } },
      );
      assertClass(source, 'Amazon SQS', 'pull', 'sync');
      const spec = specOf(source, 'sqs');
      assert.equal(spec.queue.name, 'jobs');
      assert.equal(spec.queue.status, 'service');
      assert.equal(spec.batchSize, 10);
      assert.equal(spec.maximumBatchingWindow, 0);
      assert.equal(spec.reportBatchItemFailures, false);
      assert.equal(spec.maximumConcurrency, undefined);
      assert.equal(spec.enabled, true);
      assert.deepEqual(source.batch, {
        batchSize: 10,
        maximumBatchingWindow: 0,
        maximumConcurrency: undefined,
        filterPatterns: 0,
        enabled: true,
      });
      assert.equal(retryOf(source, 'queue').reportBatchItemFailures, false);
    });

    it('reads an sqs ARN string and its batching settings', () => {
      const source = only({
        sqs: {
          arn: queueArn('imported'),
          batchSize: 50,
          maximumBatchingWindow: 20,
          functionResponseType: 'ReportBatchItemFailures',
          maximumConcurrency: 5,
          filterPatterns: [{ body: { kind: ['a'] } }],
          enabled: false,
        },
      });
      assertClass(source, 'Amazon SQS', 'pull', 'sync');
      const spec = specOf(source, 'sqs');
      assert.equal(spec.queue.name, 'imported');
      assert.equal(spec.queue.status, 'external');
      assert.deepEqual(source.batch, {
        batchSize: 50,
        maximumBatchingWindow: 20,
        maximumConcurrency: 5,
        filterPatterns: 1,
        enabled: false,
      });
      assert.equal(retryOf(source, 'queue').reportBatchItemFailures, true);
    });

    it('reads the sqs string shorthand as the queue ARN', () => {
      const source = only({ sqs: queueArn('jobs') });
      assertClass(source, 'Amazon SQS', 'pull', 'sync');
      assert.equal(specOf(source, 'sqs').queue.arn, queueArn('jobs'));
    });

    it('classifies a kinesis stream ARN as a sync pull from Kinesis with the stream defaults', () => {
      const arn = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/clicks`;
      const source = only({ stream: { arn } });
      assertClass(source, 'Kinesis Data Streams', 'pull', 'sync');
      const spec = specOf(source, 'stream');
      assert.equal(spec.streamType, 'kinesis');
      assert.equal(spec.stream.name, 'clicks');
      assert.equal(spec.batchSize, 10);
      assert.equal(spec.batchWindow, 0);
      assert.equal(spec.startingPosition, 'TRIM_HORIZON');
      assert.equal(spec.maximumRetryAttempts, -1);
      assert.equal(spec.maximumRecordAgeInSeconds, -1);
      assert.equal(spec.parallelizationFactor, 1);
      assert.equal(spec.bisectBatchOnFunctionError, false);
      assert.equal(spec.consumer, false);
      assert.deepEqual(retryOf(source, 'mapping'), {
        owner: 'mapping',
        maximumRetryAttempts: -1,
        maximumRecordAgeInSeconds: -1,
        bisectBatchOnFunctionError: false,
        reportBatchItemFailures: false,
        onFailure: undefined,
      });
      assert.equal(source.batch?.batchSize, 10);
      assert.equal(source.batch?.startingPosition, 'TRIM_HORIZON');
    });

    it('tells a DynamoDB stream from its ARN string', () => {
      const arn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/T/stream/2024-01-01T00:00:00.000`;
      const source = only({ stream: arn });
      assertClass(source, 'DynamoDB Streams', 'pull', 'sync');
      const spec = specOf(source, 'stream');
      assert.equal(spec.streamType, 'dynamodb');
      assert.equal(spec.stream.name, 'T');
      assert.equal(retryOf(source, 'mapping').maximumRetryAttempts, -1);
    });

    it('tells a kinesis stream from its ARN string shorthand', () => {
      const source = only({ stream: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/clicks` });
      assertClass(source, 'Kinesis Data Streams', 'pull', 'sync');
      assert.equal(specOf(source, 'stream').streamType, 'kinesis');
    });

    it('takes the stream type from type: when the ARN cannot tell', () => {
      const dynamodb = only({ stream: { type: 'dynamodb', arn: { 'Fn::ImportValue': 'orders-stream' } } });
      assertClass(dynamodb, 'DynamoDB Streams', 'pull', 'sync');
      assert.equal(specOf(dynamodb, 'stream').streamType, 'dynamodb');
      const kinesis = only({ stream: { type: 'kinesis', arn: { 'Fn::ImportValue': 'clicks-stream' } } });
      assertClass(kinesis, 'Kinesis Data Streams', 'pull', 'sync');
      assert.equal(specOf(kinesis, 'stream').streamType, 'kinesis');
    });

    it('lets type: win over the service of the ARN', () => {
      const arn = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/clicks`;
      assert.equal(specOf(only({ stream: { type: 'dynamodb', arn } }), 'stream').streamType, 'dynamodb');
    });

    it('tells a DynamoDB stream from Fn::GetAtt StreamArn on a table resource', () => {
      const source = only(
        { stream: { arn: { 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] } } },
        {
          resources: {
            OrdersTable: {
              Type: 'AWS::DynamoDB::Table',
              Properties: { TableName: 'orders', StreamSpecification: { StreamViewType: 'NEW_IMAGE' } },
            },
          },
        },
      );
      assertClass(source, 'DynamoDB Streams', 'pull', 'sync');
      const spec = specOf(source, 'stream');
      assert.equal(spec.streamType, 'dynamodb');
      assert.equal(spec.stream.kind, 'dynamodb');
      assert.equal(spec.stream.name, 'orders');
      assert.equal(spec.stream.status, 'service');
    });

    it('tells a kinesis stream from Fn::GetAtt on a stream resource', () => {
      const source = only(
        { stream: { arn: { 'Fn::GetAtt': ['Clicks', 'Arn'] } } },
        { resources: { Clicks: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 2 } } } },
      );
      assertClass(source, 'Kinesis Data Streams', 'pull', 'sync');
      const spec = specOf(source, 'stream');
      assert.equal(spec.streamType, 'kinesis');
      assert.equal(spec.stream.name, 'Clicks');
      assert.equal(spec.stream.status, 'service');
    });

    it('falls back to the type of the resource a Ref names when it does not evaluate to an ARN', () => {
      const resources = {
        OrdersTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders' } },
        Clicks: { Type: 'AWS::Kinesis::Stream' },
      };
      const dynamodb = only({ stream: { arn: { Ref: 'OrdersTable' } } }, { resources });
      assertClass(dynamodb, 'DynamoDB Streams', 'pull', 'sync');
      assert.equal(specOf(dynamodb, 'stream').streamType, 'dynamodb');
      const kinesis = only({ stream: { arn: { Ref: 'Clicks' } } }, { resources });
      assertClass(kinesis, 'Kinesis Data Streams', 'pull', 'sync');
      assert.equal(specOf(kinesis, 'stream').streamType, 'kinesis');
    });

    it('reads the stream retry settings into the mapping retry policy', () => {
      const source = only({
        stream: {
          arn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/clicks`,
          batchSize: 100,
          startingPosition: 'LATEST',
          maximumRetryAttempts: 3,
          maximumRecordAgeInSeconds: 120,
          bisectBatchOnFunctionError: true,
          functionResponseType: 'ReportBatchItemFailures',
          destinations: { onFailure: { arn: queueArn('stream-failures'), type: 'sqs' } },
        },
      });
      const spec = specOf(source, 'stream');
      assert.equal(spec.batchSize, 100);
      assert.equal(spec.startingPosition, 'LATEST');
      assert.deepEqual(retryOf(source, 'mapping'), {
        owner: 'mapping',
        maximumRetryAttempts: 3,
        maximumRecordAgeInSeconds: 120,
        bisectBatchOnFunctionError: true,
        reportBatchItemFailures: true,
        onFailure: 'stream-failures',
      });
    });

    it('classifies msk as a sync pull with batch size 100, a 0.5 s window and TRIM_HORIZON', () => {
      const arn = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/main/abc`;
      const source = only({ msk: { arn, topic: 'orders' } });
      assertClass(source, 'Amazon MSK', 'pull', 'sync');
      assert.deepEqual(specOf(source, 'msk'), {
        type: 'msk',
        index: 0,
        broker: arn,
        topic: 'orders',
        batchSize: 100,
        maximumBatchingWindow: 0.5,
        startingPosition: 'TRIM_HORIZON',
        filterPatterns: undefined,
        enabled: true,
      });
      assert.match(retryOf(source, 'broker').behaviour, /whole batch/);
      assert.equal(source.batch?.batchSize, 100);
      assert.equal(source.batch?.maximumBatchingWindow, 0.5);
    });

    it('classifies kafka as a sync pull from self-managed Kafka with the broker defaults', () => {
      const source = only({
        kafka: {
          bootstrapServers: ['b1:9092', 'b2:9092'],
          topic: 'orders',
          accessConfigurations: { saslScram512Auth: 'arn:aws:secretsmanager:us-east-1:1:secret:k' },
        },
      });
      assertClass(source, 'Self-managed Apache Kafka', 'pull', 'sync');
      const spec = specOf(source, 'kafka');
      assert.equal(spec.broker, 'b1:9092,b2:9092');
      assert.equal(spec.topic, 'orders');
      assert.equal(spec.batchSize, 100);
      assert.equal(spec.maximumBatchingWindow, 0.5);
      assert.equal(spec.startingPosition, 'TRIM_HORIZON');
      assert.equal(retryOf(source, 'broker').owner, 'broker');
    });

    it('reads the batching settings of a kafka event', () => {
      const spec = specOf(
        only({
          kafka: {
            bootstrapServers: ['b1:9092'],
            topic: 'orders',
            batchSize: 10,
            maximumBatchingWindow: 2,
            startingPosition: 'LATEST',
          },
        }),
        'kafka',
      );
      assert.deepEqual(
        [spec.batchSize, spec.maximumBatchingWindow, spec.startingPosition],
        [10, 2, 'LATEST'],
      );
    });

    it('classifies activemq as a sync pull from Amazon MQ with the broker defaults', () => {
      const arn = `arn:aws:mq:${REGION}:${ACCOUNT}:broker:main:b-1`;
      const source = only({
        activemq: { arn, basicAuthArn: 'arn:aws:secretsmanager:us-east-1:1:secret:mq', queue: 'jobs' },
      });
      assertClass(source, 'Amazon MQ (ActiveMQ)', 'pull', 'sync');
      const spec = specOf(source, 'activemq');
      assert.equal(spec.broker, arn);
      assert.equal(spec.topic, 'jobs');
      assert.equal(spec.batchSize, 100);
      assert.equal(spec.maximumBatchingWindow, 0.5);
      assert.equal(spec.startingPosition, undefined);
      assert.equal(retryOf(source, 'broker').owner, 'broker');
    });

    it('classifies rabbitmq as a sync pull from Amazon MQ with the broker defaults', () => {
      const arn = `arn:aws:mq:${REGION}:${ACCOUNT}:broker:rabbit:b-2`;
      const source = only({
        rabbitmq: {
          arn,
          basicAuthArn: 'arn:aws:secretsmanager:us-east-1:1:secret:mq',
          queue: 'tasks',
          virtualHost: '/',
        },
      });
      assertClass(source, 'Amazon MQ (RabbitMQ)', 'pull', 'sync');
      const spec = specOf(source, 'rabbitmq');
      assert.equal(spec.broker, arn);
      assert.equal(spec.topic, 'tasks');
      assert.equal(spec.batchSize, 100);
      assert.equal(spec.maximumBatchingWindow, 0.5);
      assert.equal(spec.startingPosition, undefined);
      assert.equal(retryOf(source, 'broker').owner, 'broker');
    });
  });

  describe('other synchronous push sources', () => {
    it('classifies alexaSkill as a sync push from the Alexa Skills Kit', () => {
      const source = only({ alexaSkill: 'amzn1.ask.skill.1234' });
      assertClass(source, 'Alexa Skills Kit', 'push', 'sync');
      assert.deepEqual(specOf(source, 'alexaSkill'), {
        type: 'alexaSkill',
        index: 0,
        appId: 'amzn1.ask.skill.1234',
        enabled: true,
      });
      assert.match(retryOf(source, 'caller').behaviour, /Alexa/);
    });

    it('reads an alexaSkill object with appId and enabled', () => {
      const spec = specOf(only({ alexaSkill: { appId: 'amzn1.ask.skill.5', enabled: false } }), 'alexaSkill');
      assert.equal(spec.appId, 'amzn1.ask.skill.5');
      assert.equal(spec.enabled, false);
    });

    it('classifies alexaSmartHome as a sync push from Alexa Smart Home', () => {
      const source = only({ alexaSmartHome: { appId: 'amzn1.ask.skill.home' } });
      assertClass(source, 'Alexa Smart Home', 'push', 'sync');
      assert.equal(specOf(source, 'alexaSmartHome').appId, 'amzn1.ask.skill.home');
      assert.match(retryOf(source, 'caller').behaviour, /unresponsive/);
    });

    it('classifies iotFleetProvisioning as a sync push from the provisioning hook', () => {
      const source = only({
        iotFleetProvisioning: {
          templateBody: { Resources: {} },
          provisioningRoleArn: `arn:aws:iam::${ACCOUNT}:role/provisioning`,
          templateName: 'sensors',
        },
      });
      assertClass(source, 'AWS IoT fleet provisioning hook', 'push', 'sync');
      assert.deepEqual(specOf(source, 'iotFleetProvisioning'), {
        type: 'iotFleetProvisioning',
        index: 0,
        source: 'sensors',
        enabled: true,
      });
      assert.match(retryOf(source, 'caller').behaviour, /ACCESS_DENIED/);
    });

    it('classifies a Cognito PreSignUp trigger as a sync push', () => {
      const source = only({ cognitoUserPool: { pool: 'users', trigger: 'PreSignUp' } });
      assertClass(source, 'Cognito user pool trigger', 'push', 'sync');
      assert.deepEqual(specOf(source, 'cognitoUserPool'), {
        type: 'cognitoUserPool',
        index: 0,
        pool: 'users',
        trigger: 'PreSignUp',
        existing: false,
      });
      assert.match(retryOf(source, 'caller').behaviour, /5 s/);
    });

    for (const trigger of ['CustomSMSSender', 'CustomEmailSender']) {
      it(`classifies the Cognito ${trigger} trigger as an async push`, () => {
        const source = only({ cognitoUserPool: { pool: 'users', trigger, existing: true } });
        assertClass(source, 'Cognito user pool trigger', 'push', 'async');
        assert.equal(source.onError, undefined);
        const spec = specOf(source, 'cognitoUserPool');
        assert.equal(spec.trigger, trigger);
        assert.equal(spec.existing, true);
        assertDefaultAsyncRetry(source);
      });
    }

    it('classifies cloudFront as a sync push from Lambda@Edge', () => {
      const source = only({ cloudFront: { eventType: 'viewer-request', pathPattern: '/img/*' } });
      assertClass(source, 'CloudFront (Lambda@Edge)', 'push', 'sync');
      assert.deepEqual(specOf(source, 'cloudFront'), {
        type: 'cloudFront',
        index: 0,
        source: 'viewer-request /img/*',
        enabled: true,
      });
      assert.match(retryOf(source, 'caller').behaviour, /503/);
    });

    it('defaults the cloudFront path pattern to *', () => {
      assert.equal(
        specOf(only({ cloudFront: { eventType: 'origin-response' } }), 'cloudFront').source,
        'origin-response *',
      );
    });
  });

  describe('the async retry policy', () => {
    it('makes 3 attempts within 21600 s by default', () => {
      const source = only({ sns: 'alerts' });
      const retry = retryOf(source, 'lambda');
      assert.equal(retry.attempts, 3);
      assert.equal(retry.maximumEventAge, 21600);
    });

    it('makes 1 + maximumRetryAttempts attempts when maximumRetryAttempts is set', () => {
      assert.equal(retryOf(only({ s3: 'b' }, { fn: { maximumRetryAttempts: 0 } }), 'lambda').attempts, 1);
      assert.equal(retryOf(only({ s3: 'b' }, { fn: { maximumRetryAttempts: 1 } }), 'lambda').attempts, 2);
      assert.equal(retryOf(only({ s3: 'b' }, { fn: { maximumRetryAttempts: 2 } }), 'lambda').attempts, 3);
    });

    it('makes no attempt when reservedConcurrency is 0', () => {
      const source = only({ schedule: 'rate(1 hour)' }, { fn: { reservedConcurrency: 0 } });
      assert.equal(retryOf(source, 'lambda').attempts, 0);
    });

    it('is not changed by a reservedConcurrency above 0', () => {
      const source = only({ schedule: 'rate(1 hour)' }, { fn: { reservedConcurrency: 5 } });
      assert.equal(retryOf(source, 'lambda').attempts, 3);
    });

    it('takes maximumEventAge from the function', () => {
      const source = only({ iot: { sql: 'SELECT 1' } }, { fn: { maximumEventAge: 3600 } });
      assert.equal(retryOf(source, 'lambda').maximumEventAge, 3600);
    });

    it('names the destinations and the onError dead-letter queue', () => {
      const sources = classified({
        functions: {
          worker: {
            handler: 'handler.main',
            destinations: { onSuccess: 'other', onFailure: { arn: queueArn('failed'), type: 'sqs' } },
            onError: `arn:aws:sns:${REGION}:${ACCOUNT}:errors`,
            events: [{ eventBridge: { pattern: { source: ['shop'] } } }],
          },
          other: { handler: 'handler.other' },
        },
      });
      assert.equal(sources.length, 1);
      assert.deepEqual(retryOf(sources[0], 'lambda'), {
        owner: 'lambda',
        attempts: 3,
        maximumEventAge: 21600,
        onSuccess: 'svc-dev-other',
        onFailure: 'failed',
        deadLetterQueue: 'errors',
      });
    });

    it('is not used by a sync source of an async-configured function', () => {
      const source = only({ http: 'GET /x' }, { fn: { maximumRetryAttempts: 1, maximumEventAge: 60 } });
      assert.match(retryOf(source, 'caller').behaviour, /502/);
    });
  });

  describe('the SQS retry policy', () => {
    it('reads the visibility timeout and the redrive policy of the queue resource', () => {
      const source = only(
        { sqs: { arn: { 'Fn::GetAtt': ['Jobs', 'Arn'] } } },
        {
          resources: {
            Jobs: {
              Type: 'AWS::SQS::Queue',
              Properties: {
                QueueName: 'jobs',
                VisibilityTimeout: 60,
                RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['DLQ', 'Arn'] }, maxReceiveCount: 5 },
              },
            },
            DLQ: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs-dlq' } },
          },
        },
      );
      assert.deepEqual(retryOf(source, 'queue'), {
        owner: 'queue',
        visibilityTimeout: 60,
        maxReceiveCount: 5,
        deadLetterQueue: 'jobs-dlq',
        reportBatchItemFailures: false,
      });
    });

    it('names queues without QueueName by their logical id', () => {
      const source = only(
        { sqs: { arn: { 'Fn::GetAtt': ['Jobs', 'Arn'] } } },
        {
          resources: {
            Jobs: {
              Type: 'AWS::SQS::Queue',
              Properties: {
                VisibilityTimeout: 45,
                RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['DLQ', 'Arn'] }, maxReceiveCount: 3 },
              },
            },
            DLQ: { Type: 'AWS::SQS::Queue' },
          },
        },
      );
      assert.equal(specOf(source, 'sqs').queue.name, 'Jobs');
      const retry = retryOf(source, 'queue');
      assert.equal(retry.visibilityTimeout, 45);
      assert.equal(retry.maxReceiveCount, 3);
      assert.equal(retry.deadLetterQueue, 'DLQ');
    });

    it('reads a redrive policy given as a JSON string', () => {
      const source = only(
        { sqs: queueArn('jobs') },
        {
          resources: {
            Jobs: {
              Type: 'AWS::SQS::Queue',
              Properties: {
                QueueName: 'jobs',
                RedrivePolicy: JSON.stringify({
                  deadLetterTargetArn: queueArn('dead'),
                  maxReceiveCount: '4',
                }),
              },
            },
          },
        },
      );
      const retry = retryOf(source, 'queue');
      assert.equal(retry.visibilityTimeout, 30);
      assert.equal(retry.maxReceiveCount, 4);
      assert.equal(retry.deadLetterQueue, 'dead');
    });

    it("uses SQS's default visibility timeout and no redrive for a queue without them", () => {
      const source = only(
        { sqs: { arn: { 'Fn::GetAtt': ['Jobs', 'Arn'] } } },
        { resources: { Jobs: { Type: 'AWS::SQS::Queue' } } },
      );
      const retry = retryOf(source, 'queue');
      assert.equal(retry.visibilityTimeout, 30);
      assert.equal(retry.maxReceiveCount, undefined);
      assert.equal(retry.deadLetterQueue, undefined);
    });

    it('knows nothing of a queue outside the service', () => {
      const retry = retryOf(only({ sqs: `arn:aws:sqs:${REGION}:111111111111:theirs` }), 'queue');
      assert.equal(retry.visibilityTimeout, undefined);
      assert.equal(retry.maxReceiveCount, undefined);
      assert.equal(retry.deadLetterQueue, undefined);
    });
  });

  describe('unknown event keys', () => {
    it('classifies an event key the AWS provider does not define as unknown without throwing', () => {
      const source = only({ myPluginEvent: {} });
      assertClass(source, 'unknown', 'unknown', 'unknown');
      assert.deepEqual(source.spec, { type: 'unknown', index: 0, key: 'myPluginEvent' });
      assert.deepEqual(source.retry, { owner: 'unknown' });
      assert.equal(source.batch, undefined);
    });

    it('keeps the known events around an unknown one in order', () => {
      const sources = sourcesOf([{ http: 'GET /x' }, { myPluginEvent: { anything: 1 } }, { sns: 'alerts' }]);
      assert.deepEqual(
        sources.map((s) => [s.spec.type, s.spec.index, s.invocation]),
        [
          ['http', 0, 'sync'],
          ['unknown', 1, 'unknown'],
          ['sns', 2, 'async'],
        ],
      );
    });

    it('does not take an inherited property name for an event key', () => {
      const source = only({ toString: {} });
      assert.deepEqual(source.spec, { type: 'unknown', index: 0, key: 'toString' });
    });
  });

  describe('malformed events', () => {
    const fails = (event: unknown, path: string, ...fragments: string[]) =>
      assertConfigError(() => sourcesOf([{ http: 'GET /ok' }, event]), path, ...fragments);

    it('rejects sqs without an arn', () => {
      fails({ sqs: { batchSize: 5 } }, 'functions.worker.events.1.sqs.arn');
    });

    it('rejects an http object without a path', () => {
      fails({ http: { method: 'get' } }, 'functions.worker.events.1.http.path');
    });

    it('rejects stream with an unknown type', () => {
      fails(
        { stream: { type: 'foo', arn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/s` } },
        'functions.worker.events.1.stream.type',
        '"foo"',
      );
    });

    it('rejects a stream whose intrinsic ARN points at no resource', () => {
      fails(
        { stream: { arn: { 'Fn::GetAtt': ['Nothing', 'Arn'] } } },
        'functions.worker.events.1.stream.type',
        '!GetAtt Nothing.Arn',
      );
    });

    it('rejects a stream whose imported ARN does not tell its type', () => {
      fails(
        { stream: { arn: { 'Fn::ImportValue': 'shared-stream' } } },
        'functions.worker.events.1.stream.type',
        'shared-stream',
      );
    });

    it('rejects a stream whose intrinsic points at a resource that is not a stream', () => {
      assertConfigError(
        () =>
          sourcesOf([{ stream: { arn: { 'Fn::GetAtt': ['Jobs', 'Arn'] } } }], {
            resources: { Jobs: { Type: 'AWS::SQS::Queue' } },
          }),
        'functions.worker.events.0.stream.type',
        '!GetAtt Jobs.Arn',
      );
    });

    it('rejects the plural unit in rate(1 minutes)', () => {
      fails({ schedule: 'rate(1 minutes)' }, 'functions.worker.events.1.schedule', 'rate(1 minutes)');
    });

    it('rejects the singular unit in rate(5 minute)', () => {
      fails({ schedule: 'rate(5 minute)' }, 'functions.worker.events.1.schedule', 'rate(5 minute)');
    });

    it('rejects a five-field cron', () => {
      fails({ schedule: 'cron(0 12 * * *)' }, 'functions.worker.events.1.schedule', 'cron(0 12 * * *)');
    });

    it('rejects a five-field cron that is otherwise valid', () => {
      fails({ schedule: 'cron(0 12 ? * MON)' }, 'functions.worker.events.1.schedule', 'cron(0 12 ? * MON)');
    });

    it('rejects a cron with "?" in neither day field', () => {
      fails({ schedule: 'cron(0 12 * * * *)' }, 'functions.worker.events.1.schedule', 'cron(0 12 * * * *)');
    });

    it('rejects a cron with "?" in both day fields', () => {
      fails({ schedule: 'cron(0 12 ? * ? *)' }, 'functions.worker.events.1.schedule', 'cron(0 12 ? * ? *)');
    });

    it('names the rate entry of a schedule object', () => {
      fails(
        { schedule: { rate: ['rate(1 hour)', 'rate(2 hour)'] } },
        'functions.worker.events.1.schedule.rate.1',
        'rate(2 hour)',
      );
    });

    it('rejects an invalid eventBridge schedule', () => {
      fails(
        { eventBridge: { schedule: 'rate(1 minutes)' } },
        'functions.worker.events.1.eventBridge.schedule',
        'rate(1 minutes)',
      );
    });

    it('rejects an eventBridge event with neither pattern nor schedule', () => {
      fails({ eventBridge: { eventBus: 'orders' } }, 'functions.worker.events.1.eventBridge.pattern');
    });

    it('rejects a Cognito trigger it does not know', () => {
      fails(
        { cognitoUserPool: { pool: 'users', trigger: 'PreSignIn' } },
        'functions.worker.events.1.cognitoUserPool.trigger',
        'PreSignIn',
      );
    });

    it('rejects an event entry with more than one key', () => {
      fails({ http: 'GET /a', sns: 'b' }, 'functions.worker.events.1');
    });
  });

  describe('valid schedule expressions', () => {
    it('accepts cron(0 12 * * ? *)', () => {
      const source = only({ schedule: 'cron(0 12 * * ? *)' });
      assert.deepEqual(specOf(source, 'schedule').expressions, ['cron(0 12 * * ? *)']);
    });

    it('accepts rate(1 minute)', () => {
      const source = only({ schedule: 'rate(1 minute)' });
      assert.deepEqual(specOf(source, 'schedule').expressions, ['rate(1 minute)']);
    });

    it('accepts a cron with "?" in day-of-month and a weekday range', () => {
      const source = only({ schedule: { rate: ['cron(0 8 ? * MON-FRI *)'] } });
      assert.deepEqual(specOf(source, 'schedule').expressions, ['cron(0 8 ? * MON-FRI *)']);
    });
  });
});
