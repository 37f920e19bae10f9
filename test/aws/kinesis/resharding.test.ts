import {
  CreateStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordCommand,
  SplitShardCommand,
  UpdateShardCountCommand,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KinesisService } from '../../../src/aws/kinesis/kinesis-service';
import { openStateDatabase, type Db } from '../../../src/state/database';
import {
  ACCOUNT,
  awsCli,
  failure,
  ManualClock,
  REGION,
  startKinesis,
  streamArn,
  T0,
  type RunningKinesis,
} from './helpers';

const MAX = (1n << 128n) - 1n;
const HALF = 1n << 127n;

const ids = (shards: Shard[] | undefined) => (shards ?? []).map((s) => s.ShardId);

describe('aws/kinesis resharding (SplitShard, MergeShards, UpdateShardCount) and ListShards filters', () => {
  let kinesis: RunningKinesis;

  beforeEach(async () => {
    kinesis = await startKinesis();
  });

  afterEach(() => kinesis.stop());

  const send = <T>(command: { input: unknown }) =>
    kinesis.client.send(command as Parameters<typeof kinesis.client.send>[0]) as Promise<T>;
  const listShards = async (input: Record<string, unknown> = {}) =>
    (await kinesis.client.send(new ListShardsCommand({ StreamName: 's', ...input }))).Shards ?? [];
  const put = (PartitionKey: string, data: string, ExplicitHashKey?: string) =>
    kinesis.client.send(
      new PutRecordCommand({ StreamName: 's', PartitionKey, Data: Buffer.from(data), ExplicitHashKey }),
    );
  const readAll = async (ShardId: string) => {
    let { ShardIterator } = await kinesis.client.send(
      new GetShardIteratorCommand({ StreamName: 's', ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const data: string[] = [];
    for (let i = 0; i < 10 && ShardIterator; i++) {
      const page = await kinesis.client.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
      data.push(...(page.Records ?? []).map((r) => Buffer.from(r.Data ?? []).toString()));
      if (!page.NextShardIterator) return { data, children: page.ChildShards };
      ShardIterator = page.NextShardIterator;
    }
    return { data, children: undefined };
  };

  it('splits a shard: the parent closes with an ending sequence number, two children share its range, puts go to them', async () => {
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 's', ShardCount: 1 }));
    const before = await put('k', 'one', '5');
    await kinesis.client.send(
      new SplitShardCommand({
        StreamName: 's',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: HALF.toString(),
      }),
    );
    const shards = await listShards();
    assert.deepEqual(ids(shards), ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    const [parent, low, high] = shards;
    assert.equal(parent.SequenceNumberRange?.EndingSequenceNumber, before.SequenceNumber);
    assert.deepEqual(
      [low, high].map((s) => [
        s.ParentShardId,
        s.AdjacentParentShardId,
        s.HashKeyRange?.StartingHashKey,
        s.HashKeyRange?.EndingHashKey,
      ]),
      [
        ['shardId-000000000000', undefined, '0', (HALF - 1n).toString()],
        ['shardId-000000000000', undefined, HALF.toString(), MAX.toString()],
      ],
    );
    assert.equal(low.SequenceNumberRange?.EndingSequenceNumber, undefined);
    assert.equal((await put('k', 'two', '5')).ShardId, 'shardId-000000000001');
    assert.equal((await put('k', 'three', HALF.toString())).ShardId, 'shardId-000000000002');
    // Sequence numbers grow from parent to child.
    const first = (await readAll('shardId-000000000001')).data;
    assert.deepEqual(first, ['two']);

    const { StreamDescription: d } = await kinesis.client.send(
      new DescribeStreamCommand({ StreamName: 's' }),
    );
    assert.equal(d?.StreamStatus, 'ACTIVE');
    assert.deepEqual(ids(d?.Shards), ids(shards));
    assert.equal(d?.Shards?.[0].SequenceNumberRange?.EndingSequenceNumber, before.SequenceNumber);
    const { StreamDescriptionSummary: summary } = await kinesis.client.send(
      new DescribeStreamSummaryCommand({ StreamName: 's' }),
    );
    assert.equal(summary?.OpenShardCount, 2);
  });

  it('GetRecords on a closed parent returns its remaining records, then no iterator and the child shards', async () => {
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 's', ShardCount: 1 }));
    await put('a', 'one');
    await put('a', 'two');
    await kinesis.client.send(
      new SplitShardCommand({
        StreamName: 's',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: HALF.toString(),
      }),
    );
    const { data, children } = await readAll('shardId-000000000000');
    assert.deepEqual(data, ['one', 'two']);
    assert.deepEqual(children, [
      {
        ShardId: 'shardId-000000000001',
        ParentShards: ['shardId-000000000000'],
        HashKeyRange: { StartingHashKey: '0', EndingHashKey: (HALF - 1n).toString() },
      },
      {
        ShardId: 'shardId-000000000002',
        ParentShards: ['shardId-000000000000'],
        HashKeyRange: { StartingHashKey: HALF.toString(), EndingHashKey: MAX.toString() },
      },
    ]);
    // LATEST on a closed shard: at its end at once.
    const { ShardIterator } = await kinesis.client.send(
      new GetShardIteratorCommand({
        StreamName: 's',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'LATEST',
      }),
    );
    const end = await kinesis.client.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(end.Records, []);
    assert.equal(end.NextShardIterator, undefined);
    assert.equal(end.ChildShards?.length, 2);
  });

  it('refuses a split outside the range or of a closed shard, with AWS messages', async () => {
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 's', ShardCount: 1 }));
    const split = (ShardToSplit: string, NewStartingHashKey: string) =>
      failure(
        kinesis.client.send(new SplitShardCommand({ StreamName: 's', ShardToSplit, NewStartingHashKey })),
      );
    assert.deepEqual(await split('shardId-000000000000', '1'), {
      name: 'InvalidArgumentException',
      message: `NewStartingHashKey 1 used in SplitShard() on shard shardId-000000000000 in stream s under account 123456789012 is not both greater than one plus the shard's StartingHashKey 0 and less than the shard's EndingHashKey ${MAX}.`,
      status: 400,
    });
    assert.equal((await split('shardId-000000000000', 'x')).name, 'ValidationException');
    assert.equal((await split('shardId-000000000009', '100')).name, 'ResourceNotFoundException');
    await kinesis.client.send(
      new SplitShardCommand({
        StreamName: 's',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: '100',
      }),
    );
    assert.deepEqual(await split('shardId-000000000000', '1000'), {
      name: 'ResourceInUseException',
      message:
        'Shard shardId-000000000000 in stream s under account 123456789012 has already been merged or split, and thus is not eligible for merging or splitting.',
      status: 400,
    });
  });

  it('merges adjacent shards only; the child names both parents and covers both ranges', async () => {
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 's', ShardCount: 3 }));
    const notAdjacent = await failure(
      kinesis.client.send(
        new MergeShardsCommand({
          StreamName: 's',
          ShardToMerge: 'shardId-000000000000',
          AdjacentShardToMerge: 'shardId-000000000002',
        }),
      ),
    );
    assert.deepEqual(notAdjacent, {
      name: 'InvalidArgumentException',
      message:
        'Shards shardId-000000000000 and shardId-000000000002 in stream s under account 123456789012 are not an adjacent pair of shards eligible for merging',
      status: 400,
    });
    await put('x', 'before', '0');
    await kinesis.client.send(
      new MergeShardsCommand({
        StreamName: 's',
        ShardToMerge: 'shardId-000000000001',
        AdjacentShardToMerge: 'shardId-000000000000',
      }),
    );
    const shards = await listShards();
    const child = shards.find((s) => s.ShardId === 'shardId-000000000003');
    assert.equal(child?.ParentShardId, 'shardId-000000000001');
    assert.equal(child?.AdjacentParentShardId, 'shardId-000000000000');
    assert.equal(child?.HashKeyRange?.StartingHashKey, '0');
    assert.equal(child?.HashKeyRange?.EndingHashKey, shards[1].HashKeyRange?.EndingHashKey);
    assert.equal((await put('x', 'after', '0')).ShardId, 'shardId-000000000003');
    const { children } = await readAll('shardId-000000000000');
    assert.deepEqual(children?.[0].ParentShards, ['shardId-000000000001', 'shardId-000000000000']);
  });

  it('UpdateShardCount scales uniformly through splits and merges, within double and half', async () => {
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 's', ShardCount: 2 }));
    const update = (TargetShardCount: number) =>
      kinesis.client.send(
        new UpdateShardCountCommand({ StreamName: 's', TargetShardCount, ScalingType: 'UNIFORM_SCALING' }),
      );
    assert.deepEqual(await failure(update(5)), {
      name: 'LimitExceededException',
      message:
        'UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 2, Target shard count: 5',
      status: 400,
    });
    const out = await update(3);
    assert.equal(out.CurrentShardCount, 2);
    assert.equal(out.TargetShardCount, 3);
    assert.equal(out.StreamARN, streamArn('s'));
    const open = (await listShards({ ShardFilter: { Type: 'AT_LATEST' } })).sort((a, b) =>
      BigInt(a.HashKeyRange?.StartingHashKey ?? 0) < BigInt(b.HashKeyRange?.StartingHashKey ?? 0) ? -1 : 1,
    );
    assert.equal(open.length, 3);
    const third = (1n << 128n) / 3n;
    assert.deepEqual(
      open.map((s) => [s.HashKeyRange?.StartingHashKey, s.HashKeyRange?.EndingHashKey]),
      [
        ['0', (third - 1n).toString()],
        [third.toString(), (2n * third - 1n).toString()],
        [(2n * third).toString(), MAX.toString()],
      ],
    );
    // Every shard has at most two parents, and every parent is listed.
    const all = await listShards();
    const listed = new Set(ids(all));
    for (const shard of all) {
      for (const parent of [shard.ParentShardId, shard.AdjacentParentShardId]) {
        if (parent) assert.ok(listed.has(parent), parent);
      }
    }
    const { StreamDescriptionSummary: s } = await kinesis.client.send(
      new DescribeStreamSummaryCommand({ StreamName: 's' }),
    );
    assert.equal(s?.OpenShardCount, 3);
    assert.equal(s?.StreamStatus, 'ACTIVE');
    assert.deepEqual(await failure(update(1)), {
      name: 'LimitExceededException',
      message:
        'UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: 3, Target shard count: 1',
      status: 400,
    });
    await update(2);
    assert.equal((await listShards({ ShardFilter: { Type: 'AT_LATEST' } })).length, 2);
    const bad = await failure(
      send(
        new UpdateShardCountCommand({ StreamName: 's', TargetShardCount: 2, ScalingType: 'OTHER' as never }),
      ),
    );
    assert.equal(bad.name, 'ValidationException');
  });

  it('ListShards pages with MaxResults and NextToken, keeping the filter, and filters by time', async () => {
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 's', ShardCount: 2 }));
    kinesis.clock.advance(60_000);
    const splitAt = kinesis.clock.now();
    await kinesis.client.send(
      new SplitShardCommand({
        StreamName: 's',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: '1000',
      }),
    );
    kinesis.clock.advance(60_000);
    const first = await kinesis.client.send(
      new ListShardsCommand({ StreamName: 's', MaxResults: 1, ShardFilter: { Type: 'AT_LATEST' } }),
    );
    assert.deepEqual(ids(first.Shards), ['shardId-000000000001']);
    const second = await kinesis.client.send(
      new ListShardsCommand({ NextToken: first.NextToken, MaxResults: 1 }),
    );
    assert.deepEqual(ids(second.Shards), ['shardId-000000000002']);
    const third = await kinesis.client.send(new ListShardsCommand({ NextToken: second.NextToken }));
    assert.deepEqual(ids(third.Shards), ['shardId-000000000003']);
    assert.equal(third.NextToken, undefined);
    assert.equal(
      (
        await failure(
          kinesis.client.send(new ListShardsCommand({ StreamName: 's', NextToken: first.NextToken })),
        )
      ).name,
      'InvalidArgumentException',
    );

    assert.deepEqual(ids(await listShards()), [
      'shardId-000000000000',
      'shardId-000000000001',
      'shardId-000000000002',
      'shardId-000000000003',
    ]);
    assert.deepEqual(ids(await listShards({ ShardFilter: { Type: 'FROM_TRIM_HORIZON' } })).length, 4);
    assert.deepEqual(ids(await listShards({ ShardFilter: { Type: 'AT_TRIM_HORIZON' } })), [
      'shardId-000000000000',
      'shardId-000000000001',
    ]);
    assert.deepEqual(
      ids(await listShards({ ShardFilter: { Type: 'AT_TIMESTAMP', Timestamp: new Date(splitAt - 1000) } })),
      ['shardId-000000000000', 'shardId-000000000001'],
    );
    assert.deepEqual(
      ids(await listShards({ ShardFilter: { Type: 'FROM_TIMESTAMP', Timestamp: new Date(splitAt + 1000) } })),
      ['shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003'],
    );
    assert.deepEqual(
      ids(await listShards({ ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000001' } })),
      ['shardId-000000000002', 'shardId-000000000003'],
    );
    assert.deepEqual(ids(await listShards({ ExclusiveStartShardId: 'shardId-000000000002' })), [
      'shardId-000000000003',
    ]);
    assert.equal(
      (
        await failure(
          kinesis.client.send(
            new ListShardsCommand({ StreamName: 's', ShardFilter: { Type: 'AT_TIMESTAMP' } }),
          ),
        )
      ).name,
      'InvalidArgumentException',
    );

    // A closed shard past the retention period is no longer listed.
    kinesis.clock.advance(25 * 3_600_000);
    assert.deepEqual(ids(await listShards()), [
      'shardId-000000000001',
      'shardId-000000000002',
      'shardId-000000000003',
    ]);
  });

  it('reshards through the AWS CLI v1 (boto3 shapes)', async () => {
    const cli = async (...args: string[]) =>
      JSON.parse((await awsCli(kinesis.url, ['kinesis', ...args])) || '{}');
    await cli('create-stream', '--stream-name', 's', '--shard-count', '1');
    await cli(
      'split-shard',
      '--stream-name',
      's',
      '--shard-to-split',
      'shardId-000000000000',
      '--new-starting-hash-key',
      HALF.toString(),
    );
    await cli(
      'merge-shards',
      '--stream-name',
      's',
      '--shard-to-merge',
      'shardId-000000000001',
      '--adjacent-shard-to-merge',
      'shardId-000000000002',
    );
    const updated = await cli(
      'update-shard-count',
      '--stream-name',
      's',
      '--target-shard-count',
      '2',
      '--scaling-type',
      'UNIFORM_SCALING',
    );
    assert.equal(updated.CurrentShardCount, 1);
    assert.equal(updated.TargetShardCount, 2);
    const listed = await cli('list-shards', '--stream-name', 's', '--shard-filter', 'Type=AT_LATEST');
    assert.deepEqual(
      listed.Shards.map((s: Shard) => [s.ShardId, s.ParentShardId]),
      [
        ['shardId-000000000004', 'shardId-000000000003'],
        ['shardId-000000000005', 'shardId-000000000003'],
      ],
    );
    const all = await cli('list-shards', '--stream-name', 's', '--max-results', '2', '--no-paginate');
    assert.equal(all.Shards.length, 2);
    assert.equal(typeof all.NextToken, 'string');
    assert.ok(all.Shards[0].SequenceNumberRange.EndingSequenceNumber);
    const error = await awsCli(kinesis.url, [
      'kinesis',
      'update-shard-count',
      '--stream-name',
      's',
      '--target-shard-count',
      '5',
      '--scaling-type',
      'UNIFORM_SCALING',
    ]).catch((e: Error) => e.message);
    assert.match(String(error), /LimitExceededException.*cannot scale up over double/s);
  });
});

describe('aws/kinesis resharding across a restart on the same database file', () => {
  let dir: string;
  let db: Db;
  const clock = new ManualClock(T0);
  const open = () => {
    db = openStateDatabase(dir, { reset: false });
    return new KinesisService({ db, region: REGION, accountId: ACCOUNT, clock });
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kinesis-reshard-'));
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps closed parents, children, their ranges and records', async () => {
    const first = open();
    await first.createStream({ StreamName: 's', ShardCount: 2 });
    await first.putRecord({
      StreamName: 's',
      PartitionKey: 'a',
      Data: Buffer.from('old'),
      ExplicitHashKey: '7',
    });
    await first.splitShard({
      StreamName: 's',
      ShardToSplit: 'shardId-000000000000',
      NewStartingHashKey: '1000',
    });
    await first.mergeShards({
      StreamName: 's',
      ShardToMerge: 'shardId-000000000003',
      AdjacentShardToMerge: 'shardId-000000000001',
    });
    const put = await first.putRecord({
      StreamName: 's',
      PartitionKey: 'a',
      Data: Buffer.from('new'),
      ExplicitHashKey: '1000',
    });
    const before = (await first.listShards({ StreamName: 's' })).Shards;
    db.close();

    const second = open();
    assert.deepEqual((await second.listShards({ StreamName: 's' })).Shards, before);
    assert.equal(
      (await second.describeStreamSummary({ StreamName: 's' })).StreamDescriptionSummary?.OpenShardCount,
      2,
    );
    // Puts still go by the children's ranges, after what the first run wrote.
    const again = await second.putRecord({
      StreamName: 's',
      PartitionKey: 'a',
      Data: Buffer.from('newer'),
      ExplicitHashKey: '1000',
    });
    assert.equal(again.ShardId, put.ShardId);
    assert.ok((again.SequenceNumber ?? '') > (put.SequenceNumber ?? ''));
    const { ShardIterator } = await second.getShardIterator({
      StreamName: 's',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'TRIM_HORIZON',
    });
    const parent = await second.getRecords({ ShardIterator });
    assert.deepEqual(
      parent.Records?.map((r) => Buffer.from(r.Data ?? []).toString()),
      ['old'],
    );
    assert.equal(parent.NextShardIterator, undefined);
    assert.deepEqual(
      parent.ChildShards?.map((c) => c.ShardId),
      ['shardId-000000000002', 'shardId-000000000003'],
    );
  });
});
