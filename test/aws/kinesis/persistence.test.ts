import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KinesisService, type KinesisStreamSpec } from '../../../src/aws/kinesis/kinesis-service';
import { openStateDatabase, type Db } from '../../../src/state/database';
import { ACCOUNT, ManualClock, REGION, streamArn, T0 } from './helpers';

const MODEL: KinesisStreamSpec[] = [
  { name: 'clicks', arn: streamArn('clicks'), mode: 'PROVISIONED', shardCount: 2 },
];

describe('aws/kinesis state across restarts on the same database file', () => {
  let dir: string;
  let db: Db;
  const clock = new ManualClock(T0);

  const open = (streams: KinesisStreamSpec[] = MODEL) => {
    db = openStateDatabase(dir, { reset: false });
    return new KinesisService({ db, region: REGION, accountId: ACCOUNT, streams, clock });
  };

  const readAll = async (service: KinesisService, StreamName: string, ShardId: string) => {
    const { ShardIterator } = await service.getShardIterator({
      StreamName,
      ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    const { Records = [] } = await service.getRecords({ ShardIterator });
    return Records.map((r) => [r.SequenceNumber, Buffer.from(r.Data ?? []).toString()]);
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kinesis-state-'));
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the service's streams once and keeps their records and sequence numbers", async () => {
    const first = open();
    const a = await first.putRecord({ StreamName: 'clicks', PartitionKey: 'a', Data: Buffer.from('one') });
    await first.createStream({ StreamName: 'made-by-api', ShardCount: 1 });
    await first.putRecord({ StreamName: 'made-by-api', PartitionKey: 'k', Data: Buffer.from('kept') });
    const iterator = await first.getShardIterator({
      StreamName: 'clicks',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'LATEST',
    });
    db.close();

    const second = open([{ ...MODEL[0], shardCount: 4 }]);
    const b = await second.putRecord({ StreamName: 'clicks', PartitionKey: 'a', Data: Buffer.from('two') });
    assert.ok(BigInt(b.SequenceNumber ?? 0) > BigInt(a.SequenceNumber ?? 0));
    assert.deepEqual(await readAll(second, 'clicks', 'shardId-000000000000'), [
      [a.SequenceNumber, 'one'],
      [b.SequenceNumber, 'two'],
    ]);
    // The stream as it was: a changed ShardCount does not reshard an existing stream.
    assert.equal((await second.listShards({ StreamName: 'clicks' })).Shards?.length, 2);
    assert.deepEqual(
      (await readAll(second, 'made-by-api', 'shardId-000000000000')).map(([, d]) => d),
      ['kept'],
    );
    const after = await second.getRecords({ ShardIterator: iterator.ShardIterator });
    assert.deepEqual(
      after.Records?.map((r) => Buffer.from(r.Data ?? []).toString()),
      ['two'],
    );
  });

  it('keeps sequence numbers increasing after the records before them expired', async () => {
    const first = open();
    const old = await first.putRecord({ StreamName: 'clicks', PartitionKey: 'a', Data: Buffer.from('old') });
    db.close();
    clock.advance(25 * 3_600_000);
    const second = open();
    const count = db.prepare(`SELECT count(*) AS n FROM kinesis_records`).get() as { n: number };
    assert.equal(count.n, 0);
    const fresh = await second.putRecord({
      StreamName: 'clicks',
      PartitionKey: 'a',
      Data: Buffer.from('new'),
    });
    assert.ok(BigInt(fresh.SequenceNumber ?? 0) > BigInt(old.SequenceNumber ?? 0));
    assert.deepEqual(
      (await readAll(second, 'clicks', 'shardId-000000000000')).map(([, d]) => d),
      ['new'],
    );
  });

  it('deletes expired records while running too', async () => {
    const service = open();
    const count = () => (db.prepare(`SELECT count(*) AS n FROM kinesis_records`).get() as { n: number }).n;
    await service.putRecord({ StreamName: 'clicks', PartitionKey: 'a', Data: Buffer.from('old') });
    clock.advance(24 * 3_600_000 + 1);
    await service.putRecord({ StreamName: 'clicks', PartitionKey: 'a', Data: Buffer.from('new') });
    assert.equal(count(), 1);
    clock.advance(24 * 3_600_000 + 1);
    await service.putRecord({ StreamName: 'clicks', PartitionKey: 'a', Data: Buffer.from('newer') });
    assert.equal(count(), 1);
  });
});
