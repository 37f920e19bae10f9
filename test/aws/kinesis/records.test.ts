import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type GetShardIteratorCommandInput,
} from '@aws-sdk/client-kinesis';
import { strict as assert } from 'node:assert';
import { failure, startKinesis, streamArn, T0, type RunningKinesis } from './helpers';

const text = (data: Uint8Array | undefined) => Buffer.from(data ?? []).toString('utf8');
const bigint = (sequence: string | undefined) => BigInt(sequence ?? -1);

describe('aws/kinesis records', () => {
  let kinesis: RunningKinesis;

  beforeEach(async () => {
    kinesis = await startKinesis();
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 4 }));
  });

  afterEach(() => kinesis.stop());

  const put = (PartitionKey: string, data: string, more: { ExplicitHashKey?: string } = {}) =>
    kinesis.client.send(
      new PutRecordCommand({ StreamName: 'orders', PartitionKey, Data: Buffer.from(data), ...more }),
    );

  const iterator = async (input: Omit<GetShardIteratorCommandInput, 'StreamName'>) =>
    (await kinesis.client.send(new GetShardIteratorCommand({ StreamName: 'orders', ...input })))
      .ShardIterator;

  const read = (ShardIterator: string | undefined, Limit?: number) =>
    kinesis.client.send(new GetRecordsCommand({ ShardIterator, Limit }));

  it("puts a record in the shard holding the MD5 of its partition key, or its ExplicitHashKey's", async () => {
    // md5('a') = 0cc1..., md5('b') = 92eb...: the first and the third quarter of the key space.
    assert.equal((await put('a', 'x')).ShardId, 'shardId-000000000000');
    assert.equal((await put('b', 'x')).ShardId, 'shardId-000000000002');
    const explicit = await put('a', 'x', { ExplicitHashKey: '255211775190703847597530955573826158592' });
    assert.equal(explicit.ShardId, 'shardId-000000000003');
    const bad = await failure(put('a', 'x', { ExplicitHashKey: '340282366920938463463374607431768211456' }));
    assert.equal(bad.name, 'InvalidArgumentException');
  });

  it('numbers records with 56-digit sequence numbers, strictly increasing in each shard', async () => {
    const sequences = [];
    for (let i = 0; i < 5; i++) sequences.push((await put('a', `r${i}`)).SequenceNumber ?? '');
    const batch = await kinesis.client.send(
      new PutRecordsCommand({
        StreamName: 'orders',
        Records: ['a', 'a', 'b'].map((key) => ({ PartitionKey: key, Data: Buffer.from(key) })),
      }),
    );
    sequences.push(batch.Records?.[0].SequenceNumber ?? '', batch.Records?.[1].SequenceNumber ?? '');
    for (const sequence of sequences) assert.match(sequence, /^\d{56}$/);
    for (let i = 1; i < sequences.length; i++) {
      assert.ok(sequences[i] > sequences[i - 1]);
      assert.ok(bigint(sequences[i]) > bigint(sequences[i - 1]));
    }
  });

  it('answers PutRecords with one result per record, in order, and no failures', async () => {
    const result = await kinesis.client.send(
      new PutRecordsCommand({
        StreamARN: streamArn('orders'),
        Records: [
          { PartitionKey: 'a', Data: Buffer.from('1') },
          { PartitionKey: 'b', Data: Buffer.from('2') },
          { PartitionKey: 'z', ExplicitHashKey: '0', Data: Buffer.from('3') },
        ],
      }),
    );
    assert.equal(result.FailedRecordCount, 0);
    assert.deepEqual(
      result.Records?.map((r) => r.ShardId),
      ['shardId-000000000000', 'shardId-000000000002', 'shardId-000000000000'],
    );
    assert.ok(
      result.Records?.every((r) => r.ErrorCode === undefined && /^\d{56}$/.test(r.SequenceNumber ?? '')),
    );
    assert.equal(result.EncryptionType, undefined);
  });

  it('refuses records AWS refuses: too many, too large, without a partition key', async () => {
    const records = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from('x') }));
    const many = await failure(
      kinesis.client.send(new PutRecordsCommand({ StreamName: 'orders', Records: records(501) })),
    );
    assert.equal(many.name, 'ValidationException');
    assert.match(
      many.message,
      /at 'records' failed to satisfy constraint: Member must have length less than or equal to 500/,
    );
    const none = await failure(
      kinesis.client.send(new PutRecordsCommand({ StreamName: 'orders', Records: [] })),
    );
    assert.equal(none.name, 'ValidationException');
    const large = await failure(put('a', 'x'.repeat(1024 * 1024 + 1)));
    assert.equal(large.name, 'ValidationException');
    assert.match(large.message, /at 'data' failed to satisfy constraint/);
    // The partition key counts with the data towards the record's 1 MiB.
    const withKey = await failure(put('a', 'x'.repeat(1024 * 1024)));
    assert.equal(withKey.name, 'ValidationException');
    const entries = [{ PartitionKey: 'ab', Data: Buffer.alloc(1024 * 1024 - 1) }];
    const inBatch = await failure(
      kinesis.client.send(new PutRecordsCommand({ StreamName: 'orders', Records: entries })),
    );
    assert.equal(inBatch.name, 'ValidationException');
    await put('a', 'x'.repeat(1024 * 1024 - 1));
    const total = Array.from({ length: 6 }, (_, i) => ({
      PartitionKey: `k${i}`,
      Data: Buffer.alloc(1000 * 1000),
    }));
    const tooMuch = await failure(
      kinesis.client.send(new PutRecordsCommand({ StreamName: 'orders', Records: total })),
    );
    assert.equal(tooMuch.name, 'InvalidArgumentException');
    const noKey = await failure(
      kinesis.client.send(new PutRecordCommand({ StreamName: 'orders', Data: Buffer.from('x') })),
    );
    assert.equal(noKey.name, 'ValidationException');
    const longKey = await failure(put('k'.repeat(257), 'x'));
    assert.equal(longKey.name, 'ValidationException');
    const missing = await failure(
      kinesis.client.send(
        new PutRecordCommand({ StreamName: 'nope', PartitionKey: 'a', Data: Buffer.from('x') }),
      ),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  it('reads a shard from TRIM_HORIZON in order, with each record as AWS returns it', async () => {
    kinesis.clock.time = T0 + 1500;
    const first = await put('a', 'one');
    kinesis.clock.time = T0 + 2750;
    const second = await put('a', 'two');
    await put('b', 'elsewhere');
    const result = await read(
      await iterator({ ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    );
    assert.deepEqual(result.Records, [
      {
        SequenceNumber: first.SequenceNumber,
        ApproximateArrivalTimestamp: new Date(T0 + 1500),
        Data: new Uint8Array(Buffer.from('one')),
        PartitionKey: 'a',
      },
      {
        SequenceNumber: second.SequenceNumber,
        ApproximateArrivalTimestamp: new Date(T0 + 2750),
        Data: new Uint8Array(Buffer.from('two')),
        PartitionKey: 'a',
      },
    ]);
    assert.equal(result.MillisBehindLatest, 0);
    assert.ok(result.NextShardIterator);
    assert.equal(result.ChildShards, undefined);
  });

  it('continues with NextShardIterator, Limit records at a time, and reports how far behind it is', async () => {
    for (let i = 0; i < 5; i++) await put('a', `r${i}`);
    kinesis.clock.advance(4000);
    let next = await iterator({ ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' });
    const seen: string[] = [];
    const behind: Array<number | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const result = await read(next, 2);
      seen.push(...(result.Records ?? []).map((r) => text(r.Data)));
      behind.push(result.MillisBehindLatest);
      next = result.NextShardIterator;
    }
    assert.deepEqual(seen, ['r0', 'r1', 'r2', 'r3', 'r4']);
    assert.deepEqual(behind, [4000, 4000, 0]);
    const empty = await read(next);
    assert.deepEqual(empty.Records, []);
    await put('a', 'later');
    assert.deepEqual(
      (await read(empty.NextShardIterator)).Records?.map((r) => text(r.Data)),
      ['later'],
    );
  });

  it('starts at LATEST, AT_ and AFTER_SEQUENCE_NUMBER, and AT_TIMESTAMP', async () => {
    const shard = 'shardId-000000000000';
    const r0 = await put('a', 'r0');
    kinesis.clock.advance(1000);
    const r1 = await put('a', 'r1');
    kinesis.clock.advance(1000);
    await put('a', 'r2');
    const latest = await iterator({ ShardId: shard, ShardIteratorType: 'LATEST' });
    await put('a', 'r3');
    const data = async (it: string | undefined) => ((await read(it)).Records ?? []).map((r) => text(r.Data));
    assert.deepEqual(await data(latest), ['r3']);
    assert.deepEqual(
      await data(
        await iterator({
          ShardId: shard,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          StartingSequenceNumber: r1.SequenceNumber,
        }),
      ),
      ['r1', 'r2', 'r3'],
    );
    assert.deepEqual(
      await data(
        await iterator({
          ShardId: shard,
          ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
          StartingSequenceNumber: r0.SequenceNumber,
        }),
      ),
      ['r1', 'r2', 'r3'],
    );
    assert.deepEqual(
      await data(
        await iterator({ ShardId: shard, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(T0 + 500) }),
      ),
      ['r1', 'r2', 'r3'],
    );
    assert.deepEqual(
      await data(
        await iterator({ ShardId: shard, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(T0 + 2000) }),
      ),
      ['r2', 'r3'],
    );
  });

  it('refuses iterators AWS refuses', async () => {
    const r0 = await put('a', 'r0');
    const refused = async (input: Omit<GetShardIteratorCommandInput, 'StreamName'>) =>
      failure(kinesis.client.send(new GetShardIteratorCommand({ StreamName: 'orders', ...input })));
    const otherShard = await refused({
      ShardId: 'shardId-000000000001',
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: r0.SequenceNumber,
    });
    assert.deepEqual(otherShard, {
      name: 'InvalidArgumentException',
      message:
        'Invalid StartingSequenceNumber. It encodes shardId-000000000000, while it was used in a call to a shard with shardId-000000000001',
      status: 400,
    });
    const foreign = await refused({
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: '12345',
    });
    assert.deepEqual(foreign, {
      name: 'InvalidArgumentException',
      message:
        'StartingSequenceNumber 12345 used in GetShardIterator on shard shardId-000000000000 in stream orders under account 123456789012 is invalid.',
      status: 400,
    });
    const noSequence = await refused({
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
    });
    assert.equal(noSequence.name, 'InvalidArgumentException');
    const noTime = await refused({ ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP' });
    assert.equal(noTime.name, 'InvalidArgumentException');
    const future = await refused({
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'AT_TIMESTAMP',
      Timestamp: new Date(T0 + 60_000),
    });
    assert.equal(future.name, 'InvalidArgumentException');
    const noShard = await refused({ ShardId: 'shardId-000000000004', ShardIteratorType: 'LATEST' });
    assert.deepEqual(noShard, {
      name: 'ResourceNotFoundException',
      message: 'Shard shardId-000000000004 in stream orders under account 123456789012 does not exist',
      status: 400,
    });
    const badType = await refused({
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'OLDEST' as 'LATEST',
    });
    assert.equal(badType.name, 'ValidationException');
  });

  it('expires an iterator after five minutes and refuses one it did not hand out', async () => {
    const it = await iterator({ ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' });
    kinesis.clock.advance(300_000);
    const fresh = await read(it);
    kinesis.clock.advance(300_000);
    assert.ok((await read(fresh.NextShardIterator)).NextShardIterator);
    kinesis.clock.advance(1);
    const expired = await failure(read(it));
    assert.equal(expired.name, 'ExpiredIteratorException');
    assert.equal((await failure(read('bm90IGFuIGl0ZXJhdG9y'))).name, 'InvalidArgumentException');
    const limit = await failure(read(fresh.NextShardIterator, 10_001));
    assert.equal(limit.name, 'ValidationException');
  });

  it('leaves out records older than the 24 hour retention', async () => {
    await put('a', 'old');
    kinesis.clock.advance(12 * 3_600_000);
    await put('a', 'new');
    kinesis.clock.advance(12 * 3_600_000 + 1);
    const result = await read(
      await iterator({ ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    );
    assert.deepEqual(
      result.Records?.map((r) => text(r.Data)),
      ['new'],
    );
  });

  it('is a ResourceNotFoundException to read a deleted stream, even when created again', async () => {
    const it = await iterator({ ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' });
    await kinesis.service.deleteStream({ StreamName: 'orders' });
    await kinesis.service.createStream({ StreamName: 'orders', ShardCount: 4 });
    assert.equal((await failure(read(it))).name, 'ResourceNotFoundException');
  });
});
