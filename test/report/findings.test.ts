import { strict as assert } from 'node:assert';
import { buildReport, hasFindingsAtOrAbove, type Report } from '../../src/report/build';
import type { Finding } from '../../src/report/findings';
import { modelOf, type ServiceConfig } from '../helpers/service';

const getAtt = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** A standard queue the SQS rules are happy with (for a 6 s function): visibility 60 s and a DLQ. */
const queue = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::SQS::Queue',
  Properties: {
    QueueName: 'q',
    VisibilityTimeout: 60,
    RedrivePolicy: { deadLetterTargetArn: getAtt('Dlq'), maxReceiveCount: 5 },
    ...properties,
  },
});
const plainQueue = (name: string, properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::SQS::Queue',
  Properties: { QueueName: name, ...properties },
});
const kinesisStream = { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'clicks', ShardCount: 1 } };
/** A stream event's destinations.onFailure on a queue resource, as the framework's schema wants it. */
const failureTo = (logicalId: string) => ({
  destinations: { onFailure: { type: 'sqs', arn: getAtt(logicalId) } },
});
const mskArn = 'arn:aws:kafka:us-east-1:123456789012:cluster/orders/0123abcd';

/** `worker`: an httpApi route (event 0) and an SQS queue (event 1), with `sqs` and `fn` merged in. */
function sqsService(
  sqs: Record<string, unknown> = {},
  fn: Record<string, unknown> = {},
  queueProperties: Record<string, unknown> = {},
): ServiceConfig {
  return {
    functions: {
      worker: {
        handler: 'worker.handler',
        ...fn,
        events: [{ httpApi: 'GET /health' }, { sqs: { arn: getAtt('Queue'), ...sqs } }],
      },
    },
    resources: { Queue: queue(queueProperties), Dlq: plainQueue('dlq') },
  };
}

/** `reader`: an httpApi route (event 0) and a Kinesis stream (event 1), with `stream` merged in. */
function streamService(stream: Record<string, unknown>): ServiceConfig {
  return {
    functions: {
      reader: {
        handler: 'reader.handler',
        events: [
          { httpApi: 'GET /health' },
          { stream: { type: 'kinesis', arn: getAtt('Stream'), ...stream } },
        ],
      },
    },
    resources: { Stream: kinesisStream, Failed: plainQueue('failed') },
  };
}

/** `jobs`: an s3 bucket (event 0, async) with `fn` merged in, and a second function `other`. */
function asyncService(fn: Record<string, unknown>, resources: Record<string, unknown> = {}): ServiceConfig {
  return {
    functions: {
      jobs: { handler: 'jobs.handler', events: [{ s3: 'uploads' }], ...fn },
      other: { handler: 'other.handler' },
    },
    resources: { Failed: plainQueue('failed'), ...resources },
  };
}

/** `api`: API routes only, with `fn` merged in. */
function apiService(events: unknown[], fn: Record<string, unknown> = {}): ServiceConfig {
  return { functions: { api: { handler: 'api.handler', events, ...fn } } };
}

const reportOf = (config: ServiceConfig): Report => buildReport(modelOf(config));

/** The findings with `code`, reduced to what locates them. */
function located(config: ServiceConfig, code: string): Array<Omit<Finding, 'message'>> {
  return reportOf(config)
    .findings.filter((f) => f.code === code)
    .map((f) => ({ level: f.level, code: f.code, function: f.function, event: f.event }));
}

const messageOf = (config: ServiceConfig, code: string): string => {
  const found = reportOf(config).findings.find((f) => f.code === code);
  assert.ok(found, `no ${code} finding`);
  return found.message;
};

const onFailureQueue = { destinations: { onFailure: { type: 'sqs', arn: getAtt('Failed') } } };

describe('report findings', () => {
  describe('the baselines', () => {
    it('reports nothing for an SQS consumer with a long enough visibility timeout and a DLQ', () => {
      assert.deepEqual(reportOf(sqsService()).findings, []);
    });

    it('reports nothing for a stream consumer with bounded retries and a failure destination', () => {
      const config = streamService({ maximumRetryAttempts: 3, ...failureTo('Failed') });
      assert.deepEqual(reportOf(config).findings, []);
    });
  });

  describe('SOURCE_NOT_FOUND', () => {
    it('is an error on the event whose queue names no resource', () => {
      assert.deepEqual(located(sqsService({ arn: getAtt('Nope') }), 'SOURCE_NOT_FOUND'), [
        { level: 'error', code: 'SOURCE_NOT_FOUND', function: 'worker', event: 1 },
      ]);
    });

    it('is an error for a bare queue name that is no resource', () => {
      assert.deepEqual(located(sqsService({ arn: 'notAQueue' }), 'SOURCE_NOT_FOUND'), [
        { level: 'error', code: 'SOURCE_NOT_FOUND', function: 'worker', event: 1 },
      ]);
    });

    it('is absent when the queue is a resource of the service', () => {
      assert.deepEqual(located(sqsService({ arn: getAtt('Queue') }), 'SOURCE_NOT_FOUND'), []);
    });
  });

  describe('DESTINATION_NOT_FOUND', () => {
    it('is a function-wide error when destinations.onFailure names no function', () => {
      const config = asyncService({ destinations: { onFailure: 'notAFunction' } });
      assert.deepEqual(located(config, 'DESTINATION_NOT_FOUND'), [
        { level: 'error', code: 'DESTINATION_NOT_FOUND', function: 'jobs', event: undefined },
      ]);
      assert.match(messageOf(config, 'DESTINATION_NOT_FOUND'), /destinations\.onFailure \(notAFunction\)/);
    });

    it('is absent when destinations.onFailure names a function of the service', () => {
      const config = asyncService({ destinations: { onFailure: 'other' } });
      assert.deepEqual(located(config, 'DESTINATION_NOT_FOUND'), []);
    });

    it('is an error on the event whose stream destinations.onFailure names no resource', () => {
      const config = streamService({ maximumRetryAttempts: 3, ...failureTo('Nope') });
      assert.deepEqual(located(config, 'DESTINATION_NOT_FOUND'), [
        { level: 'error', code: 'DESTINATION_NOT_FOUND', function: 'reader', event: 1 },
      ]);
    });

    it("is absent when the stream's destinations.onFailure is a queue of the service", () => {
      const config = streamService({ maximumRetryAttempts: 3, ...failureTo('Failed') });
      assert.deepEqual(located(config, 'DESTINATION_NOT_FOUND'), []);
    });
  });

  describe('BATCH_WINDOW_REQUIRED', () => {
    it('is an error for an SQS batchSize over 10 without maximumBatchingWindow', () => {
      assert.deepEqual(located(sqsService({ batchSize: 50 }), 'BATCH_WINDOW_REQUIRED'), [
        { level: 'error', code: 'BATCH_WINDOW_REQUIRED', function: 'worker', event: 1 },
      ]);
    });

    it('is absent for the same batchSize with a maximumBatchingWindow of 1 s', () => {
      const config = sqsService({ batchSize: 50, maximumBatchingWindow: 1 });
      assert.deepEqual(located(config, 'BATCH_WINDOW_REQUIRED'), []);
    });

    it('is absent for an SQS batchSize of exactly 10', () => {
      assert.deepEqual(located(sqsService({ batchSize: 10 }), 'BATCH_WINDOW_REQUIRED'), []);
    });

    it('is absent for a stream batchSize over 10 without batchWindow (AWS defaults streams to 100, no window)', () => {
      assert.deepEqual(located(streamService({ batchSize: 100 }), 'BATCH_WINDOW_REQUIRED'), []);
    });
  });

  describe('FIFO_BATCH_SIZE_TOO_LARGE', () => {
    const fifo = { QueueName: 'q.fifo', FifoQueue: true };

    it('is an error for a batchSize over 10 on a FIFO queue', () => {
      const config = sqsService({ batchSize: 20 }, {}, fifo);
      assert.deepEqual(located(config, 'FIFO_BATCH_SIZE_TOO_LARGE'), [
        { level: 'error', code: 'FIFO_BATCH_SIZE_TOO_LARGE', function: 'worker', event: 1 },
      ]);
    });

    it('is absent for a batchSize of 10 on the same FIFO queue', () => {
      assert.deepEqual(located(sqsService({ batchSize: 10 }, {}, fifo), 'FIFO_BATCH_SIZE_TOO_LARGE'), []);
    });

    it('is an error for a batchSize over 10 on a queue outside the service whose name ends in .fifo', () => {
      const config = sqsService({ arn: 'arn:aws:sqs:us-east-1:123456789012:orders.fifo', batchSize: 20 });
      assert.deepEqual(located(config, 'FIFO_BATCH_SIZE_TOO_LARGE'), [
        { level: 'error', code: 'FIFO_BATCH_SIZE_TOO_LARGE', function: 'worker', event: 1 },
      ]);
    });

    it('is absent for a batchSize over 10 on a standard queue', () => {
      const config = sqsService({ batchSize: 20, maximumBatchingWindow: 1 });
      assert.deepEqual(located(config, 'FIFO_BATCH_SIZE_TOO_LARGE'), []);
    });
  });

  describe('FIFO_BATCHING_WINDOW', () => {
    const fifo = { QueueName: 'q.fifo', FifoQueue: true };

    it('is an error for a maximumBatchingWindow on a FIFO queue', () => {
      const config = sqsService({ maximumBatchingWindow: 5 }, {}, fifo);
      assert.deepEqual(located(config, 'FIFO_BATCHING_WINDOW'), [
        { level: 'error', code: 'FIFO_BATCHING_WINDOW', function: 'worker', event: 1 },
      ]);
    });

    it('is absent for the same FIFO queue without a batching window', () => {
      assert.deepEqual(located(sqsService({}, {}, fifo), 'FIFO_BATCHING_WINDOW'), []);
    });

    it('is absent for a batching window on a standard queue', () => {
      assert.deepEqual(located(sqsService({ maximumBatchingWindow: 5 }), 'FIFO_BATCHING_WINDOW'), []);
    });
  });

  describe('SQS_VISIBILITY_TIMEOUT_BELOW_FUNCTION_TIMEOUT', () => {
    it('is an error when the queue visibility timeout is under the function timeout', () => {
      const config = sqsService({}, { timeout: 120 });
      assert.deepEqual(located(config, 'SQS_VISIBILITY_TIMEOUT_BELOW_FUNCTION_TIMEOUT'), [
        {
          level: 'error',
          code: 'SQS_VISIBILITY_TIMEOUT_BELOW_FUNCTION_TIMEOUT',
          function: 'worker',
          event: 1,
        },
      ]);
    });

    it('replaces the low-timeout warning rather than adding to it', () => {
      assert.deepEqual(located(sqsService({}, { timeout: 120 }), 'SQS_VISIBILITY_TIMEOUT_LOW'), []);
    });

    it('is absent when the visibility timeout covers six function timeouts', () => {
      const config = sqsService({}, { timeout: 120 }, { VisibilityTimeout: 720 });
      assert.deepEqual(located(config, 'SQS_VISIBILITY_TIMEOUT_BELOW_FUNCTION_TIMEOUT'), []);
    });
  });

  describe('SQS_VISIBILITY_TIMEOUT_LOW', () => {
    it("is a warning when the visibility timeout (SQS's default 30 s) is under 6x the timeout", () => {
      const config = sqsService({}, {}, { VisibilityTimeout: undefined });
      assert.deepEqual(located(config, 'SQS_VISIBILITY_TIMEOUT_LOW'), [
        { level: 'warning', code: 'SQS_VISIBILITY_TIMEOUT_LOW', function: 'worker', event: 1 },
      ]);
      assert.match(messageOf(config, 'SQS_VISIBILITY_TIMEOUT_LOW'), /visibility timeout of 30 s.*\(36 s\)/);
    });

    it('counts the batching window into the advised timeout', () => {
      const config = sqsService({ maximumBatchingWindow: 5 }, {}, { VisibilityTimeout: 40 });
      assert.deepEqual(located(config, 'SQS_VISIBILITY_TIMEOUT_LOW'), [
        { level: 'warning', code: 'SQS_VISIBILITY_TIMEOUT_LOW', function: 'worker', event: 1 },
      ]);
      assert.match(messageOf(config, 'SQS_VISIBILITY_TIMEOUT_LOW'), /\(41 s\)/);
    });

    it('is absent at exactly 6x the function timeout', () => {
      assert.deepEqual(
        located(sqsService({}, {}, { VisibilityTimeout: 36 }), 'SQS_VISIBILITY_TIMEOUT_LOW'),
        [],
      );
    });
  });

  describe('SQS_NO_REDRIVE_POLICY', () => {
    it('is a warning when the queue has no RedrivePolicy', () => {
      const config = sqsService({}, {}, { RedrivePolicy: undefined });
      assert.deepEqual(located(config, 'SQS_NO_REDRIVE_POLICY'), [
        { level: 'warning', code: 'SQS_NO_REDRIVE_POLICY', function: 'worker', event: 1 },
      ]);
      assert.match(messageOf(config, 'SQS_NO_REDRIVE_POLICY'), /queue q .*\(4 days\)/);
    });

    it('counts a retention period of one day in the singular', () => {
      const config = sqsService({}, {}, { RedrivePolicy: undefined, MessageRetentionPeriod: 86400 });
      assert.match(messageOf(config, 'SQS_NO_REDRIVE_POLICY'), /\(1 day\) ends/);
    });

    it('is absent when the queue has a RedrivePolicy', () => {
      assert.deepEqual(located(sqsService(), 'SQS_NO_REDRIVE_POLICY'), []);
    });

    it('is absent for a queue defined outside the service', () => {
      const config = sqsService({ arn: 'arn:aws:sqs:us-east-1:123456789012:elsewhere' });
      assert.deepEqual(located(config, 'SQS_NO_REDRIVE_POLICY'), []);
    });
  });

  describe('STREAM_POISON_RECORD_BLOCKS_SHARD', () => {
    it('is a warning for unlimited retries and record age (the defaults)', () => {
      const config = streamService({ ...failureTo('Failed') });
      assert.deepEqual(located(config, 'STREAM_POISON_RECORD_BLOCKS_SHARD'), [
        { level: 'warning', code: 'STREAM_POISON_RECORD_BLOCKS_SHARD', function: 'reader', event: 1 },
      ]);
      assert.doesNotMatch(messageOf(config, 'STREAM_POISON_RECORD_BLOCKS_SHARD'), /lost/);
    });

    it('says the record is then lost when there is no destinations.onFailure', () => {
      assert.match(messageOf(streamService({}), 'STREAM_POISON_RECORD_BLOCKS_SHARD'), /lost/);
    });

    it('is absent once maximumRetryAttempts is bounded', () => {
      const config = streamService({ maximumRetryAttempts: 3, ...failureTo('Failed') });
      assert.deepEqual(located(config, 'STREAM_POISON_RECORD_BLOCKS_SHARD'), []);
    });

    it('is absent once maximumRecordAgeInSeconds is bounded', () => {
      const config = streamService({
        maximumRecordAgeInSeconds: 3600,
        ...failureTo('Failed'),
      });
      assert.deepEqual(located(config, 'STREAM_POISON_RECORD_BLOCKS_SHARD'), []);
    });
  });

  describe('STREAM_FAILED_BATCH_DISCARDED', () => {
    it('is a warning for bounded retries with no destinations.onFailure', () => {
      assert.deepEqual(located(streamService({ maximumRetryAttempts: 3 }), 'STREAM_FAILED_BATCH_DISCARDED'), [
        { level: 'warning', code: 'STREAM_FAILED_BATCH_DISCARDED', function: 'reader', event: 1 },
      ]);
    });

    it('is absent with a destinations.onFailure', () => {
      const config = streamService({ maximumRetryAttempts: 3, ...failureTo('Failed') });
      assert.deepEqual(located(config, 'STREAM_FAILED_BATCH_DISCARDED'), []);
    });

    it('is not added to the poison-record warning', () => {
      assert.deepEqual(located(streamService({}), 'STREAM_FAILED_BATCH_DISCARDED'), []);
    });
  });

  describe('BROKER_FUNCTION_TIMEOUT_TOO_LONG', () => {
    const brokerService = (timeout: number): ServiceConfig => ({
      functions: {
        consumer: {
          handler: 'consumer.handler',
          timeout,
          events: [{ httpApi: 'GET /health' }, { msk: { arn: mskArn, topic: 'orders' } }],
        },
      },
    });

    it('is an error for a broker source on a function with a timeout over 14 minutes', () => {
      assert.deepEqual(located(brokerService(900), 'BROKER_FUNCTION_TIMEOUT_TOO_LONG'), [
        { level: 'error', code: 'BROKER_FUNCTION_TIMEOUT_TOO_LONG', function: 'consumer', event: 1 },
      ]);
    });

    it('is absent at a timeout of exactly 14 minutes', () => {
      assert.deepEqual(located(brokerService(840), 'BROKER_FUNCTION_TIMEOUT_TOO_LONG'), []);
    });
  });

  describe('API_TIMEOUT_EXCEEDS_GATEWAY', () => {
    it('is a warning on every http event of a function with a 29 s timeout', () => {
      const config = apiService([{ http: 'GET /slow' }, { http: 'POST /slower' }], { timeout: 29 });
      assert.deepEqual(located(config, 'API_TIMEOUT_EXCEEDS_GATEWAY'), [
        { level: 'warning', code: 'API_TIMEOUT_EXCEEDS_GATEWAY', function: 'api', event: 0 },
        { level: 'warning', code: 'API_TIMEOUT_EXCEEDS_GATEWAY', function: 'api', event: 1 },
      ]);
      assert.match(messageOf(config, 'API_TIMEOUT_EXCEEDS_GATEWAY'), /29 s limit.*504/);
    });

    it('is absent for http at a 28 s timeout', () => {
      const config = apiService([{ http: 'GET /slow' }, { http: 'POST /slower' }], { timeout: 28 });
      assert.deepEqual(located(config, 'API_TIMEOUT_EXCEEDS_GATEWAY'), []);
    });

    it('is absent for an http event with async: true at a 29 s timeout', () => {
      const config = apiService([{ http: { method: 'post', path: 'jobs', async: true } }], { timeout: 29 });
      assert.deepEqual(located(config, 'API_TIMEOUT_EXCEEDS_GATEWAY'), []);
    });

    it('is a warning for httpApi at a 30 s timeout', () => {
      const config = apiService([{ httpApi: 'GET /slow' }], { timeout: 30 });
      assert.deepEqual(located(config, 'API_TIMEOUT_EXCEEDS_GATEWAY'), [
        { level: 'warning', code: 'API_TIMEOUT_EXCEEDS_GATEWAY', function: 'api', event: 0 },
      ]);
      assert.match(messageOf(config, 'API_TIMEOUT_EXCEEDS_GATEWAY'), /30 s limit.*503/);
    });

    it('is absent for httpApi at a 29 s timeout', () => {
      const config = apiService([{ httpApi: 'GET /slow' }], { timeout: 29 });
      assert.deepEqual(located(config, 'API_TIMEOUT_EXCEEDS_GATEWAY'), []);
    });
  });

  describe('ASYNC_NO_FAILURE_DESTINATION', () => {
    it('is a function-wide warning for async sources without onFailure or onError', () => {
      const config = asyncService({ events: [{ httpApi: 'GET /' }, { s3: 'uploads' }, { sns: 'alerts' }] });
      assert.deepEqual(located(config, 'ASYNC_NO_FAILURE_DESTINATION'), [
        { level: 'warning', code: 'ASYNC_NO_FAILURE_DESTINATION', function: 'jobs', event: undefined },
      ]);
      assert.match(messageOf(config, 'ASYNC_NO_FAILURE_DESTINATION'), /\(s3, sns\).*all 3 attempts/);
    });

    it('says "its one attempt" when the function retries none', () => {
      const config = asyncService({ maximumRetryAttempts: 0 });
      assert.match(
        messageOf(config, 'ASYNC_NO_FAILURE_DESTINATION'),
        /an event that fails its one attempt or/,
      );
    });

    it('is absent with a destinations.onFailure', () => {
      assert.deepEqual(located(asyncService(onFailureQueue), 'ASYNC_NO_FAILURE_DESTINATION'), []);
    });

    it('is absent with an onError DLQ', () => {
      const config = asyncService({ onError: 'arn:aws:sns:us-east-1:123456789012:errors' });
      assert.deepEqual(located(config, 'ASYNC_NO_FAILURE_DESTINATION'), []);
    });

    it('is absent when reservedConcurrency is 0 (that has its own finding)', () => {
      assert.deepEqual(located(asyncService({ reservedConcurrency: 0 }), 'ASYNC_NO_FAILURE_DESTINATION'), []);
    });

    it('is absent for a function with sync sources only', () => {
      assert.deepEqual(located(apiService([{ httpApi: 'GET /' }]), 'ASYNC_NO_FAILURE_DESTINATION'), []);
    });
  });

  describe('ASYNC_SETTINGS_UNUSED', () => {
    const syncOnly = (destinations: Record<string, unknown>): ServiceConfig =>
      asyncService(
        { events: [{ httpApi: 'GET /' }, { sqs: { arn: getAtt('Queue') } }], ...destinations },
        {
          Queue: queue(),
          Dlq: plainQueue('dlq'),
        },
      );

    it('is a function-wide warning for destinations on a function with sync sources only', () => {
      const config = syncOnly({ destinations: { onFailure: 'other' } });
      assert.deepEqual(located(config, 'ASYNC_SETTINGS_UNUSED'), [
        { level: 'warning', code: 'ASYNC_SETTINGS_UNUSED', function: 'jobs', event: undefined },
      ]);
      assert.match(messageOf(config, 'ASYNC_SETTINGS_UNUSED'), /destinations\.onFailure.*\(httpApi, sqs\)/);
    });

    it('names onError too', () => {
      const config = syncOnly({ onError: 'arn:aws:sns:us-east-1:123456789012:errors' });
      assert.match(messageOf(config, 'ASYNC_SETTINGS_UNUSED'), /^onError apply only/);
    });

    it('is absent once the function also has an async source', () => {
      const config = asyncService({
        events: [{ httpApi: 'GET /' }, { s3: 'uploads' }],
        destinations: { onFailure: 'other' },
      });
      assert.deepEqual(located(config, 'ASYNC_SETTINGS_UNUSED'), []);
    });

    it('is absent for a function with no events (invoked directly, possibly asynchronously)', () => {
      const config = asyncService({ events: [], destinations: { onFailure: 'other' } });
      assert.deepEqual(located(config, 'ASYNC_SETTINGS_UNUSED'), []);
    });
  });

  describe('DESTINATION_FIFO_UNSUPPORTED', () => {
    it('is a function-wide error for a FIFO queue as destination', () => {
      const config = asyncService(onFailureQueue, { Failed: plainQueue('failed.fifo', { FifoQueue: true }) });
      assert.deepEqual(located(config, 'DESTINATION_FIFO_UNSUPPORTED'), [
        { level: 'error', code: 'DESTINATION_FIFO_UNSUPPORTED', function: 'jobs', event: undefined },
      ]);
      assert.match(
        messageOf(config, 'DESTINATION_FIFO_UNSUPPORTED'),
        /destinations\.onFailure \(failed\.fifo\)/,
      );
    });

    it('is absent for a standard queue as destination', () => {
      assert.deepEqual(located(asyncService(onFailureQueue), 'DESTINATION_FIFO_UNSUPPORTED'), []);
    });
  });

  describe('RECURSIVE_LOOP_CONFIGURED', () => {
    it("is a warning on the source event when the on-failure queue is one of the function's queues", () => {
      const config = sqsService({}, failureTo('Queue'));
      assert.deepEqual(located(config, 'RECURSIVE_LOOP_CONFIGURED'), [
        { level: 'warning', code: 'RECURSIVE_LOOP_CONFIGURED', function: 'worker', event: 1 },
      ]);
      assert.match(
        messageOf(config, 'RECURSIVE_LOOP_CONFIGURED'),
        /^destinations\.onFailure \(.*q.*\) feeds its sqs source: .*Lambda stops the loop after 16 invocations/,
      );
    });

    it('names a DLQ topic that is its SNS source, and says Allow lets the loop run', () => {
      const topic = 'arn:aws:sns:us-east-1:000000000000:alerts';
      const config = asyncService({ events: [{ sns: topic }], onError: topic, recursiveLoop: 'Allow' });
      assert.match(
        messageOf(config, 'RECURSIVE_LOOP_CONFIGURED'),
        /^onError \(.*alerts.*\) feeds its sns source: .*with RecursiveLoop: Allow nothing stops it/,
      );
    });

    it('names an on-success destination that is the function itself', () => {
      const config = asyncService({ destinations: { onSuccess: 'jobs' } });
      assert.match(
        messageOf(config, 'RECURSIVE_LOOP_CONFIGURED'),
        /^destinations\.onSuccess \(.*\) feeds itself/,
      );
    });

    it('is absent when the destination is another queue', () => {
      assert.deepEqual(located(asyncService(onFailureQueue), 'RECURSIVE_LOOP_CONFIGURED'), []);
      assert.deepEqual(located(sqsService({}, failureTo('Dlq')), 'RECURSIVE_LOOP_CONFIGURED'), []);
    });
  });

  describe('RESERVED_CONCURRENCY_ZERO', () => {
    it('is a function-wide warning for reservedConcurrency 0', () => {
      const config = apiService([{ httpApi: 'GET /' }], { reservedConcurrency: 0 });
      assert.deepEqual(located(config, 'RESERVED_CONCURRENCY_ZERO'), [
        { level: 'warning', code: 'RESERVED_CONCURRENCY_ZERO', function: 'api', event: undefined },
      ]);
    });

    it('is absent for reservedConcurrency 1', () => {
      const config = apiService([{ httpApi: 'GET /' }], { reservedConcurrency: 1 });
      assert.deepEqual(located(config, 'RESERVED_CONCURRENCY_ZERO'), []);
    });
  });

  describe('UNKNOWN_EVENT_TYPE', () => {
    const typo = (key: string): ServiceConfig => ({
      ...sqsService(),
      functions: {
        worker: {
          handler: 'worker.handler',
          events: [{ httpApi: 'GET /' }, { [key]: { arn: getAtt('Queue') } }],
        },
      },
    });

    it('is a warning on an event key Serverless v3 does not define', () => {
      assert.deepEqual(located(typo('sqss'), 'UNKNOWN_EVENT_TYPE'), [
        { level: 'warning', code: 'UNKNOWN_EVENT_TYPE', function: 'worker', event: 1 },
      ]);
      assert.match(messageOf(typo('sqss'), 'UNKNOWN_EVENT_TYPE'), /event "sqss"/);
    });

    it('is absent once the key is spelled right', () => {
      assert.deepEqual(located(typo('sqs'), 'UNKNOWN_EVENT_TYPE'), []);
    });
  });

  describe('EVENT_SOURCE_DISABLED', () => {
    it('is info on an event with enabled: false', () => {
      assert.deepEqual(located(sqsService({ enabled: false }), 'EVENT_SOURCE_DISABLED'), [
        { level: 'info', code: 'EVENT_SOURCE_DISABLED', function: 'worker', event: 1 },
      ]);
    });

    it('is absent with enabled: true', () => {
      assert.deepEqual(located(sqsService({ enabled: true }), 'EVENT_SOURCE_DISABLED'), []);
    });
  });

  describe('hasFindingsAtOrAbove', () => {
    const levelsOf = (report: Report) => [...new Set(report.findings.map((f) => f.level))];

    it('ignores warnings at the error threshold but counts them at the warning threshold', () => {
      const report = reportOf(apiService([{ httpApi: 'GET /' }], { reservedConcurrency: 0 }));
      assert.deepEqual(levelsOf(report), ['warning']);
      assert.equal(hasFindingsAtOrAbove(report, 'error'), false);
      assert.equal(hasFindingsAtOrAbove(report, 'warning'), true);
      assert.equal(hasFindingsAtOrAbove(report, 'info'), true);
    });

    it('counts errors at the warning threshold', () => {
      const report = reportOf(sqsService({ arn: getAtt('Nope') }));
      assert.deepEqual(levelsOf(report), ['error']);
      assert.equal(hasFindingsAtOrAbove(report, 'error'), true);
      assert.equal(hasFindingsAtOrAbove(report, 'warning'), true);
    });

    it('counts info only at the info threshold', () => {
      const report = reportOf(sqsService({ enabled: false }));
      assert.deepEqual(levelsOf(report), ['info']);
      assert.equal(hasFindingsAtOrAbove(report, 'error'), false);
      assert.equal(hasFindingsAtOrAbove(report, 'warning'), false);
      assert.equal(hasFindingsAtOrAbove(report, 'info'), true);
    });

    it('is false at every threshold without findings', () => {
      const report = reportOf(sqsService());
      assert.deepEqual(
        (['error', 'warning', 'info'] as const).map((level) => hasFindingsAtOrAbove(report, level)),
        [false, false, false],
      );
    });
  });

  describe('ALEXA_SKILL_WITHOUT_APP_ID', () => {
    it('is a warning on a bare alexaSkill event, which the framework grants no permission', () => {
      const config: ServiceConfig = { functions: { skill: { handler: 'h.h', events: ['alexaSkill'] } } };
      assert.deepEqual(located(config, 'ALEXA_SKILL_WITHOUT_APP_ID'), [
        { level: 'warning', code: 'ALEXA_SKILL_WITHOUT_APP_ID', function: 'skill', event: 0 },
      ]);
    });

    it('is absent when the event names its skill id', () => {
      const config: ServiceConfig = {
        functions: { skill: { handler: 'h.h', events: [{ alexaSkill: 'amzn1.ask.skill.1' }] } },
      };
      assert.deepEqual(located(config, 'ALEXA_SKILL_WITHOUT_APP_ID'), []);
    });
  });

  describe('COGNITO_TIMEOUT_EXCEEDS_LIMIT', () => {
    const trigger = (timeout?: number): ServiceConfig => ({
      functions: {
        signUp: {
          handler: 'h.h',
          timeout,
          events: [{ cognitoUserPool: { pool: 'users', trigger: 'PreSignUp' } }],
        },
      },
    });

    it('is info when the function may run past the 5 s Cognito waits (the default 6 s does)', () => {
      assert.deepEqual(located(trigger(), 'COGNITO_TIMEOUT_EXCEEDS_LIMIT'), [
        { level: 'info', code: 'COGNITO_TIMEOUT_EXCEEDS_LIMIT', function: 'signUp', event: 0 },
      ]);
    });

    it('is absent with a timeout of 5 s', () => {
      assert.deepEqual(located(trigger(5), 'COGNITO_TIMEOUT_EXCEEDS_LIMIT'), []);
    });
  });

  describe('NODEJS_CALLBACK_HANDLER_UNSUPPORTED', () => {
    const onRuntime = (runtime: string): ServiceConfig => ({
      functions: { api: { handler: 'api.handler', runtime, events: [{ httpApi: 'GET /' }] } },
    });

    it('is function-wide info on nodejs24.x, naming the error the runtime gives a callback handler', () => {
      assert.deepEqual(located(onRuntime('nodejs24.x'), 'NODEJS_CALLBACK_HANDLER_UNSUPPORTED'), [
        { level: 'info', code: 'NODEJS_CALLBACK_HANDLER_UNSUPPORTED', function: 'api', event: undefined },
      ]);
      assert.match(
        messageOf(onRuntime('nodejs24.x'), 'NODEJS_CALLBACK_HANDLER_UNSUPPORTED'),
        /^nodejs24\.x runs no callback handlers: .*Runtime\.CallbackHandlerDeprecated/,
      );
    });

    it('is absent on nodejs22.x, which still runs callback handlers', () => {
      assert.deepEqual(located(onRuntime('nodejs22.x'), 'NODEJS_CALLBACK_HANDLER_UNSUPPORTED'), []);
    });
  });
});
