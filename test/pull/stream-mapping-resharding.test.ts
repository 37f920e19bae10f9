import type { KinesisStreamEvent } from 'aws-lambda';
import { strict as assert } from 'node:assert';
import { KinesisService } from '../../src/aws/kinesis/kinesis-service';
import { sourceInvocationOfType } from '../../src/classify/origin';
import { systemClock } from '../../src/clock';
import type { InvokeOutcome, Invoker } from '../../src/lambda/types';
import { Checkpoints } from '../../src/pull/checkpoints';
import { kinesisSource } from '../../src/pull/shard-sources';
import { StreamMapping } from '../../src/pull/stream-mapping';
import { memoryDatabase, type Db } from '../../src/state/database';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const STREAM_ARN = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/s`;
const HALF = (1n << 127n).toString();

interface Invocation {
  shardId: string;
  data: string[];
  /** With a tumbling window: isFinalInvokeForWindow, and the count the state carried in. */
  final?: boolean;
  state?: number;
}

/**
 * The Kinesis mapping follows resharding as Lambda does: a child shard is read only after its
 * parents are read to their end and processed, so one partition key's records keep their order
 * even when the handler is slow on the parent's.
 */
describe('pull/stream-mapping across Kinesis resharding', () => {
  let db: Db;
  let kinesis: KinesisService;
  let mapping: StreamMapping | undefined;
  let invocations: Invocation[];

  const start = async (
    startingPosition: { type: 'TRIM_HORIZON' | 'LATEST' },
    delayMs = 0,
    windowSeconds = 0,
  ) => {
    const invoker: Invoker = {
      async invoke(_fn, request): Promise<InvokeOutcome> {
        const event = JSON.parse(request.payload) as KinesisStreamEvent;
        const shardId = event.Records[0]?.eventID.split(':')[0] ?? '';
        // Slow on the parent's records: a child read at once would overtake them.
        if (shardId === 'shardId-000000000000' && delayMs) await new Promise((r) => setTimeout(r, delayMs));
        const windowed = event as KinesisStreamEvent & {
          shardId?: string;
          isFinalInvokeForWindow?: boolean;
          state?: { n?: number };
        };
        invocations.push({
          shardId: windowed.shardId ?? shardId,
          data: event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString()),
          ...(windowed.isFinalInvokeForWindow !== undefined && {
            final: windowed.isFinalInvokeForWindow,
            state: windowed.state?.n ?? 0,
          }),
        });
        const state = { n: (windowed.state?.n ?? 0) + event.Records.length };
        return { requestId: 'r', statusCode: 200, payload: JSON.stringify({ state }), durationMs: 1 };
      },
    };
    mapping = new StreamMapping(
      kinesisSource(
        kinesis,
        STREAM_ARN,
        { region: REGION, roleArn: `arn:aws:iam::${ACCOUNT}:role/r` },
        kinesis,
      ),
      {
        id: `worker#0|${STREAM_ARN}`,
        functionKey: 'worker',
        invocation: sourceInvocationOfType('stream'),
        functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:worker`,
        batchSize: 1,
        batchWindow: 0,
        startingPosition,
        retry: {
          maximumRetryAttempts: -1,
          maximumRecordAgeInSeconds: -1,
          bisectBatchOnFunctionError: false,
          reportBatchItemFailures: false,
          retryDelayMs: 0,
        },
        parallelizationFactor: 1,
        tumblingWindowInSeconds: windowSeconds,
        pollIntervalMs: 0,
      },
      { invoker, clock: systemClock, log: () => undefined, outcome: () => undefined },
      new Checkpoints(db),
    );
    await mapping.start();
  };

  const put = (data: string, ExplicitHashKey?: string) =>
    kinesis.putRecord({ StreamName: 's', PartitionKey: 'k', Data: Buffer.from(data), ExplicitHashKey });

  const until = async (done: () => boolean) => {
    for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(done(), `timed out: ${JSON.stringify(invocations)}`);
  };

  beforeEach(() => {
    db = memoryDatabase();
    kinesis = new KinesisService({ db, region: REGION, accountId: ACCOUNT });
    invocations = [];
  });

  afterEach(async () => {
    await mapping?.stop();
    mapping = undefined;
    db.close();
  });

  it('reads a split shard to its end before its children (listed at start), keeping a partition key in order', async () => {
    await kinesis.createStream({ StreamName: 's', ShardCount: 1 });
    for (const n of [1, 2, 3]) await put(`p${n}`, '5');
    await kinesis.splitShard({
      StreamName: 's',
      ShardToSplit: 'shardId-000000000000',
      NewStartingHashKey: HALF,
    });
    for (const n of [4, 5]) await put(`c${n}`, '5');
    // The mapping starts with both the parent and its children listed.
    await start({ type: 'TRIM_HORIZON' }, 100);
    await put('c6', '5');
    await until(() => invocations.length >= 6);
    assert.deepEqual(
      invocations.map((i) => [i.shardId, ...i.data]),
      [
        ['shardId-000000000000', 'p1'],
        ['shardId-000000000000', 'p2'],
        ['shardId-000000000000', 'p3'],
        ['shardId-000000000001', 'c4'],
        ['shardId-000000000001', 'c5'],
        ['shardId-000000000001', 'c6'],
      ],
    );
  });

  it('waits for both parents of a merged shard, through UpdateShardCount', async () => {
    await kinesis.createStream({ StreamName: 's', ShardCount: 2 });
    await start({ type: 'TRIM_HORIZON' }, 100);
    await put('a1', '5');
    await put('b1', HALF);
    await kinesis.updateShardCount({ StreamName: 's', TargetShardCount: 1, ScalingType: 'UNIFORM_SCALING' });
    await put('a2', '5');
    await put('b2', HALF);
    await until(() => invocations.length >= 4);
    const order = invocations.map((i) => i.data[0]);
    assert.deepEqual(order.slice(2), ['a2', 'b2']);
    assert.deepEqual(new Set(order.slice(0, 2)), new Set(['a1', 'b1']));
  });

  it('resumes after a restart: a parent with a checkpoint is finished before its child; a new LATEST mapping reads only the open shards', async () => {
    await kinesis.createStream({ StreamName: 's', ShardCount: 1 });
    await start({ type: 'TRIM_HORIZON' });
    await put('p1', '5');
    await until(() => invocations.length >= 1);
    await mapping?.stop();
    // While it is stopped: one more for the parent, then a split and one for the child.
    await put('p2', '5');
    await kinesis.splitShard({
      StreamName: 's',
      ShardToSplit: 'shardId-000000000000',
      NewStartingHashKey: HALF,
    });
    await put('c3', '5');
    await start({ type: 'TRIM_HORIZON' }, 100);
    await until(() => invocations.length >= 3);
    assert.deepEqual(
      invocations.map((i) => i.data[0]),
      ['p1', 'p2', 'c3'],
    );
    await mapping?.stop();

    // Another mapping (no checkpoints) at LATEST: closed shards have nothing new.
    db.prepare('DELETE FROM pull_checkpoints').run();
    invocations = [];
    await start({ type: 'LATEST' });
    await put('c4', '5');
    await until(() => invocations.length >= 1);
    assert.deepEqual(invocations, [{ shardId: 'shardId-000000000001', data: ['c4'] }]);
  });

  it("ends the parent's tumbling window with it; the child starts a window of its own", async () => {
    await kinesis.createStream({ StreamName: 's', ShardCount: 1 });
    await start({ type: 'TRIM_HORIZON' }, 0, 3600);
    await put('p1', '5');
    await put('p2', '5');
    await until(() => invocations.length >= 2);
    await kinesis.splitShard({
      StreamName: 's',
      ShardToSplit: 'shardId-000000000000',
      NewStartingHashKey: HALF,
    });
    await put('c3', '5');
    await until(() => invocations.length >= 4);
    assert.deepEqual(invocations, [
      { shardId: 'shardId-000000000000', data: ['p1'], final: false, state: 0 },
      { shardId: 'shardId-000000000000', data: ['p2'], final: false, state: 1 },
      { shardId: 'shardId-000000000000', data: [], final: true, state: 2 },
      { shardId: 'shardId-000000000001', data: ['c3'], final: false, state: 0 },
    ]);
  });
});
