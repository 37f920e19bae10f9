import { strict as assert } from 'node:assert';
import type { KinesisStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import sinon from 'sinon';
import { KinesisService } from '../../src/aws/kinesis/kinesis-service';
import { systemClock } from '../../src/lambda/clock';
import { throttled } from '../../src/lambda/errors';
import type { InvokeOutcome, Invoker } from '../../src/lambda/types';
import { Checkpoints } from '../../src/pull/checkpoints';
import { kinesisSource } from '../../src/pull/shard-sources';
import { StreamMapping } from '../../src/pull/stream-mapping';
import { memoryDatabase } from '../../src/state/database';

/*
 * The Kinesis event source mapping as a property: the real StreamMapping reading the real
 * KinesisService (1-2 shards), a scripted handler whose behaviour is what is random (each record fails
 * the first n invocations that contain it; throttles; durations; how a partial failure is reported),
 * random retry policies, all on fake time. Per shard, every record is processed once or given up in
 * exactly one onFailure batch, in order, and a batch is given up after maximumRetryAttempts + 1
 * invocations.
 */

const START = Date.UTC(2026, 0, 1);
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const STREAM = 'events';
const STREAM_ARN = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${STREAM}`;
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:svc-dev-worker`;

interface RecordSpec {
  partitionKey: string;
  /** The handler fails the first `failFirst` invocations that contain the record. */
  failFirst: number;
  /** When it is put, after the mapping starts. */
  putAt: number;
}

interface CallSpec {
  throttle: boolean;
  durationMs: number;
}

/** How the handler answers when a record of its batch fails (with ReportBatchItemFailures). */
type Reporting = 'first' | 'failing' | 'rest' | 'throw';

interface Scenario {
  shardCount: number;
  maximumRetryAttempts: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  reporting: Reporting;
  batchSize: number;
  retryDelayMs: number;
  pollIntervalMs: number;
  records: RecordSpec[];
  /** The invoker's n-th call; calls past the list run at once and are not throttled. */
  calls: CallSpec[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  shardCount: fc.integer({ min: 1, max: 2 }),
  maximumRetryAttempts: fc.integer({ min: 0, max: 3 }),
  bisectBatchOnFunctionError: fc.boolean(),
  reportBatchItemFailures: fc.boolean(),
  reporting: fc.constantFrom<Reporting>('first', 'failing', 'rest', 'throw'),
  batchSize: fc.integer({ min: 1, max: 10 }),
  // 120 s: a batch retried 3 times blocks its shard past the 5 minutes a shard iterator lives.
  retryDelayMs: fc.constantFrom(0, 1000, 10_000, 120_000),
  pollIntervalMs: fc.constantFrom(0, 1000),
  records: fc.array(
    fc.record({
      partitionKey: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
      failFirst: fc.oneof(
        { arbitrary: fc.constant(0), weight: 2 },
        { arbitrary: fc.integer({ min: 0, max: 5 }), weight: 3 },
      ),
      putAt: fc.oneof(
        { arbitrary: fc.constant(0), weight: 3 },
        { arbitrary: fc.integer({ min: 0, max: 30_000 }), weight: 1 },
      ),
    }),
    { minLength: 1, maxLength: 25, size: 'max' },
  ),
  calls: fc.array(
    fc.record({
      throttle: fc.oneof(
        { arbitrary: fc.constant(false), weight: 9 },
        { arbitrary: fc.constant(true), weight: 1 },
      ),
      durationMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 })),
    }),
    { maxLength: 40, size: 'medium' },
  ),
});

interface Invocation {
  records: number[];
  throttled: boolean;
}

interface BatchInfo {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  batchSize: number;
  streamArn: string;
}

interface FailureRecord {
  requestContext: { condition: string; approximateInvokeCount: number; functionArn: string };
  KinesisBatchInfo: BatchInfo;
}

interface Trace {
  /** Per record: its shard and sequence number, from PutRecords. */
  shardOf: string[];
  sequenceOf: bigint[];
  invocations: Invocation[];
  /** Successful processings in the order the handler did them. */
  processed: number[];
  failures: FailureRecord[];
  violations: string[];
}

async function play(s: Scenario): Promise<Trace> {
  const sandbox = sinon.createSandbox();
  const clock = sandbox.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  try {
    return await playOn(s, clock);
  } finally {
    sandbox.restore();
  }
}

async function playOn(s: Scenario, clock: sinon.SinonFakeTimers): Promise<Trace> {
  const db = memoryDatabase();
  const kinesis = new KinesisService({
    db,
    region: REGION,
    accountId: ACCOUNT,
    streams: [{ name: STREAM, arn: STREAM_ARN, shardCount: s.shardCount, mode: 'PROVISIONED' }],
  });
  const trace: Trace = {
    shardOf: [],
    sequenceOf: [],
    invocations: [],
    processed: [],
    failures: [],
    violations: [],
  };
  const invokedWith = s.records.map(() => 0);
  const settled = new Set<number>();
  let running = 0;

  const invoker: Invoker = {
    async invoke(functionName, request): Promise<InvokeOutcome> {
      const call = trace.invocations.length;
      const spec = s.calls[call] ?? { throttle: false, durationMs: 0 };
      if (functionName !== 'worker') trace.violations.push(`invoked ${functionName}`);
      if (request.type !== 'RequestResponse') trace.violations.push(`invoked ${request.type}`);
      const event = JSON.parse(request.payload) as KinesisStreamEvent;
      const batch = event.Records.map((record) => {
        const index = Number(Buffer.from(record.kinesis.data, 'base64').toString('utf8').slice(1));
        if (record.eventSourceARN !== STREAM_ARN)
          trace.violations.push(`eventSourceARN ${record.eventSourceARN}`);
        if (record.kinesis.partitionKey !== s.records[index].partitionKey)
          trace.violations.push('partition key');
        if (settled.has(index)) trace.violations.push(`record ${index} invoked again after it was settled`);
        return { index, sequenceNumber: record.kinesis.sequenceNumber };
      });
      trace.invocations.push({ records: batch.map((r) => r.index), throttled: spec.throttle });
      if (spec.throttle) throw throttled(functionName);
      running++;
      try {
        if (spec.durationMs) await new Promise((resolve) => setTimeout(resolve, spec.durationMs));
      } finally {
        running--;
      }
      const fails = batch.map(({ index }) => ++invokedWith[index] <= s.records[index].failFirst);
      const ok = (payload: unknown): InvokeOutcome => ({
        requestId: `req-${call}`,
        statusCode: 200,
        payload: JSON.stringify(payload),
        durationMs: spec.durationMs,
      });
      const failed = fails.indexOf(true);
      const done = (upTo: number) => {
        for (const { index } of batch.slice(0, upTo)) {
          trace.processed.push(index);
          settled.add(index);
        }
      };
      if (failed === -1) {
        done(batch.length);
        return ok([null, {}, { batchItemFailures: [] }][call % 3]);
      }
      if (!s.reportBatchItemFailures || s.reporting === 'throw') {
        return {
          ...ok({ errorType: 'Error', errorMessage: `record ${batch[failed].index} failed` }),
          functionError: 'Unhandled',
        };
      }
      // Lambda retries from the lowest failed sequence number: what comes before it is processed.
      done(failed);
      const reported =
        s.reporting === 'first'
          ? [batch[failed]]
          : s.reporting === 'rest'
            ? batch.slice(failed)
            : batch.filter((_, n) => fails[n]).reverse();
      return ok({ batchItemFailures: reported.map((r) => ({ itemIdentifier: r.sequenceNumber })) });
    },
  };

  const mapping = new StreamMapping(
    kinesisSource(
      kinesis,
      STREAM_ARN,
      { region: REGION, roleArn: `arn:aws:iam::${ACCOUNT}:role/r` },
      kinesis,
    ),
    {
      id: `worker#0|${STREAM_ARN}`,
      functionKey: 'worker',
      functionArn: FUNCTION_ARN,
      batchSize: s.batchSize,
      batchWindow: 0,
      startingPosition: { type: 'TRIM_HORIZON' },
      retry: {
        maximumRetryAttempts: s.maximumRetryAttempts,
        maximumRecordAgeInSeconds: -1,
        bisectBatchOnFunctionError: s.bisectBatchOnFunctionError,
        reportBatchItemFailures: s.reportBatchItemFailures,
        retryDelayMs: s.retryDelayMs,
      },
      parallelizationFactor: 1,
      tumblingWindowInSeconds: 0,
      pollIntervalMs: s.pollIntervalMs,
      onFailure: async (record) => {
        const failure = record as FailureRecord;
        trace.failures.push(failure);
        // What the batch covers is settled: none of it may be invoked again.
        const { shardId, startSequenceNumber, endSequenceNumber } = failure.KinesisBatchInfo;
        trace.sequenceOf.forEach((seq, i) => {
          if (
            trace.shardOf[i] === shardId &&
            seq >= BigInt(startSequenceNumber) &&
            seq <= BigInt(endSequenceNumber)
          )
            settled.add(i);
        });
      },
    },
    { invoker, clock: systemClock, log: () => undefined },
    new Checkpoints(db),
  );
  await mapping.start();

  // Put in order of putAt (then index), those due at one time in one PutRecords.
  const order = s.records.map((_, i) => i).sort((a, b) => s.records[a].putAt - s.records[b].putAt || a - b);
  let elapsed = 0;
  while (order.length) {
    const at = s.records[order[0]].putAt;
    if (at > elapsed) {
      await clock.tickAsync(at - elapsed);
      elapsed = at;
    }
    const due = order.splice(0, order.findIndex((i) => s.records[i].putAt !== at) + 1 || order.length);
    const { Records = [] } = await kinesis.putRecords({
      StreamName: STREAM,
      Records: due.map((i) => ({ PartitionKey: s.records[i].partitionKey, Data: Buffer.from(`r${i}`) })),
    });
    due.forEach((i, n) => {
      trace.shardOf[i] = Records[n].ShardId ?? '';
      trace.sequenceOf[i] = BigInt(Records[n].SequenceNumber ?? '-1');
    });
  }

  const limit = Date.now() + 6 * 3_600_000;
  while (Date.now() < limit && (settled.size < s.records.length || running > 0)) {
    await clock.tickAsync(10_000);
  }
  const stopped = mapping.stop();
  await clock.tickAsync(60_000);
  await stopped;
  return trace;
}

function check(s: Scenario, trace: Trace): void {
  assert.deepEqual(trace.violations, []);
  const where = (i: number) => `record ${i} (${trace.shardOf[i]} ${trace.sequenceOf[i]})`;
  const shardRecords = (shardId: string) =>
    s.records
      .map((_, i) => i)
      .filter((i) => trace.shardOf[i] === shardId)
      .sort((a, b) => (trace.sequenceOf[a] < trace.sequenceOf[b] ? -1 : 1));
  const covers = (info: BatchInfo, i: number) =>
    info.shardId === trace.shardOf[i] &&
    trace.sequenceOf[i] >= BigInt(info.startSequenceNumber) &&
    trace.sequenceOf[i] <= BigInt(info.endSequenceNumber);

  // Every record ends once: processed, or in one given-up batch.
  s.records.forEach((_, i) => {
    const processed = trace.processed.filter((x) => x === i).length;
    const given = trace.failures.filter((f) => covers(f.KinesisBatchInfo, i)).length;
    assert.equal(processed + given, 1, `${where(i)}: processed ${processed}×, in ${given} onFailure batches`);
  });

  // Per shard, processed in sequence order; every invoked batch a run of consecutive records.
  for (const shardId of new Set(trace.shardOf)) {
    const records = shardRecords(shardId);
    const rank = new Map(records.map((i, n) => [i, n]));
    const processed = trace.processed
      .filter((i) => trace.shardOf[i] === shardId)
      .map((i) => rank.get(i) ?? -1);
    assert.deepEqual(
      processed,
      [...processed].sort((a, b) => a - b),
      `${shardId}: processed in sequence order`,
    );
    for (const { records: batch } of trace.invocations) {
      if (trace.shardOf[batch[0]] !== shardId) continue;
      assert.ok(batch.length <= s.batchSize, `a batch of ${batch.length}`);
      batch.forEach((i, n) => {
        assert.equal(trace.shardOf[i], shardId, 'a batch from one shard');
        assert.equal(
          rank.get(i),
          (rank.get(batch[0]) ?? 0) + n,
          `${shardId}: a batch of consecutive records`,
        );
      });
    }
  }

  // A given-up batch: consecutive records, after maximumRetryAttempts + 1 invocations with all of it.
  for (const failure of trace.failures) {
    const info = failure.KinesisBatchInfo;
    const text = `onFailure ${info.shardId} ${info.startSequenceNumber}-${info.endSequenceNumber}`;
    assert.equal(info.streamArn, STREAM_ARN);
    assert.equal(failure.requestContext.functionArn, FUNCTION_ARN);
    assert.equal(failure.requestContext.condition, 'RetryAttemptsExhausted', text);
    assert.equal(failure.requestContext.approximateInvokeCount, s.maximumRetryAttempts + 1, text);
    const covered = shardRecords(info.shardId).filter((i) => covers(info, i));
    assert.ok(covered.length > 0 && covered.length <= s.batchSize, `${text}: ${covered.length} records`);
    assert.equal(info.batchSize, covered.length, `${text}: batchSize`);
    assert.equal(
      trace.sequenceOf[covered[0]],
      BigInt(info.startSequenceNumber),
      `${text}: starts at a record`,
    );
    assert.equal(
      trace.sequenceOf[covered.at(-1) ?? -1],
      BigInt(info.endSequenceNumber),
      `${text}: ends at one`,
    );
    const withFirst = trace.invocations.filter((x) => !x.throttled && x.records.includes(covered[0]));
    const last = withFirst.slice(-(s.maximumRetryAttempts + 1));
    assert.equal(last.length, s.maximumRetryAttempts + 1, `${text}: invoked ${withFirst.length}×`);
    for (const x of last) {
      assert.ok(
        covered.every((i) => x.records.includes(i)),
        `${text}: its last invocations held all of it`,
      );
    }
  }
}

describe('the Kinesis event source mapping, over random handlers and retry policies (property)', () => {
  it('processes every record once in shard order or gives it up in one onFailure batch after its retries', async function () {
    this.timeout(120_000);
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => check(s, await play(s))),
      { numRuns: 60 },
    );
  });
});
