import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { clientConfig, emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';
import { recorded, type Recorded } from '../helpers/records';

describe('sls emulate: a Kinesis mapping follows a SplitShard in order', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-reshard-'));
  const recordFile = path.join(dir, 'records.jsonl');
  const { records, waitUntil } = recorded(recordFile);
  let emulator: EmulatorUnderTest;
  let kinesis: KinesisClient;
  const start = async () => {
    emulator = await emulateInProcess(fixture('kinesis-reshard'), {
      stateDir: path.join(dir, 'state'),
      env: {
        RECORD_FILE: recordFile,
      },
    });
    kinesis = new KinesisClient(clientConfig(emulator.aws));
  };
  const delivered = (all: Recorded[]) =>
    all.flatMap((r) =>
      r.event.Records.map((k: { eventID: string; kinesis: { data: string; partitionKey: string } }) => [
        k.eventID.split(':')[0],
        Buffer.from(k.kinesis.data, 'base64').toString('utf8'),
      ]),
    );
  const put = (data: string) =>
    kinesis.send(
      new PutRecordCommand({ StreamName: 'orders', PartitionKey: 'customer-1', Data: Buffer.from(data) }),
    );

  before(start);
  after(async () => {
    kinesis?.destroy();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the records put before the split, then those put after, for one partition key', async () => {
    for (const n of [1, 2, 3]) await put(`before-${n}`);
    await kinesis.send(
      new SplitShardCommand({
        StreamName: 'orders',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (1n << 127n).toString(),
      }),
    );
    const after = await Promise.all([4, 5, 6].map((n) => put(`after-${n}`)));
    const child = after[0].ShardId;
    assert.ok(child === 'shardId-000000000001' || child === 'shardId-000000000002');
    const all = await waitUntil((rs) => delivered(rs).length >= 6, 20_000);
    assert.deepEqual(
      delivered(all)
        .map(([, data]) => data)
        .slice(0, 3),
      ['before-1', 'before-2', 'before-3'],
    );
    assert.deepEqual(
      delivered(all)
        .slice(3)
        .map(([, data]) => data)
        .sort(),
      ['after-4', 'after-5', 'after-6'],
    );
    assert.ok(
      delivered(all)
        .slice(3)
        .every(([shard]) => shard === child),
    );
    assert.match(
      emulator.output(),
      /shard closed, read to its end → children shardId-000000000001, shardId-000000000002/,
    );
  });

  it('after a restart with a backlog, finishes the parent before the children it lists with it', async () => {
    // The child that holds the key is split too, while its records wait behind the slow handler.
    const listed = (await kinesis.send(new ListShardsCommand({ StreamName: 'orders' }))).Shards ?? [];
    const before = records().length;
    for (const n of [1, 2, 3]) await put(`parent-${n}`);
    const shardId = (await put('parent-4')).ShardId;
    const parent = listed.find((s) => s.ShardId === shardId);
    const start_ = BigInt(parent?.HashKeyRange?.StartingHashKey ?? 0);
    const end = BigInt(parent?.HashKeyRange?.EndingHashKey ?? 0);
    await kinesis.send(
      new SplitShardCommand({
        StreamName: 'orders',
        ShardToSplit: shardId,
        NewStartingHashKey: ((start_ + end) / 2n).toString(),
      }),
    );
    for (const n of [5, 6]) await put(`child-${n}`);
    // Stopped with the parent's records not all processed: at the next start the parent and its
    // children are all listed, and the children wait for it.
    await emulator.stop();
    kinesis.destroy();
    await start();
    await put('child-7');
    const all = await waitUntil((rs) => delivered(rs.slice(before)).length >= 7, 20_000);
    const data = delivered(all.slice(before)).map(([, d]) => d);
    const lastParent = Math.max(
      ...['parent-1', 'parent-2', 'parent-3', 'parent-4'].map((d) => data.lastIndexOf(d)),
    );
    const firstChild = Math.min(...['child-5', 'child-6', 'child-7'].map((d) => data.indexOf(d)));
    assert.ok(lastParent < firstChild, JSON.stringify(data));
    assert.deepEqual(
      data.filter((d) => d.startsWith('child')),
      ['child-5', 'child-6', 'child-7'],
    );
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: 'orders' }))).Shards ?? [];
    assert.deepEqual(
      shards.map((s) => [s.ShardId, s.ParentShardId, !!s.SequenceNumberRange?.EndingSequenceNumber]),
      [
        ['shardId-000000000000', undefined, true],
        ['shardId-000000000001', 'shardId-000000000000', shardId === 'shardId-000000000001'],
        ['shardId-000000000002', 'shardId-000000000000', shardId === 'shardId-000000000002'],
        ['shardId-000000000003', shardId, false],
        ['shardId-000000000004', shardId, false],
      ],
    );
    const { StreamDescriptionSummary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: 'orders' }),
    );
    assert.equal(StreamDescriptionSummary?.OpenShardCount, 3);
  });
});
