import { PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { strict as assert } from 'node:assert';
import type { KinesisSourceApi, RecordsNotifier } from '../../../src/pull/source-apis';
import { KinesisService } from '../../../src/aws/kinesis/kinesis-service';
import { memoryDatabase } from '../../../src/state/database';
import { ACCOUNT, failure, ManualClock, REGION, startKinesis, streamArn, T0 } from './helpers';

describe('aws/kinesis in process (KinesisSourceApi, RecordsNotifier)', () => {
  const clock = new ManualClock(T0);
  let service: KinesisService;
  let api: KinesisSourceApi & RecordsNotifier;

  beforeEach(async () => {
    service = new KinesisService({
      db: memoryDatabase(),
      region: REGION,
      accountId: ACCOUNT,
      clock,
    });
    api = service;
    await service.createStream({ StreamName: 'orders', ShardCount: 2 });
  });

  it('lists shards and reads records with the SDK types: Uint8Array data, Date timestamps', async () => {
    const { Shards } = await api.listShards({ StreamARN: streamArn('orders') });
    assert.deepEqual(
      Shards?.map((s) => s.ShardId),
      ['shardId-000000000000', 'shardId-000000000001'],
    );
    const put = await service.putRecords({
      StreamName: 'orders',
      Records: [{ PartitionKey: 'a', Data: new TextEncoder().encode('{"n":1}') }],
    });
    const { ShardIterator } = await api.getShardIterator({
      StreamARN: streamArn('orders'),
      ShardId: put.Records?.[0].ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    const { Records } = await api.getRecords({ ShardIterator, StreamARN: streamArn('orders') });
    assert.equal(Records?.length, 1);
    const [record] = Records ?? [];
    assert.ok(record.Data instanceof Uint8Array);
    assert.equal(new TextDecoder().decode(record.Data), '{"n":1}');
    assert.ok(record.ApproximateArrivalTimestamp instanceof Date);
    assert.equal(record.ApproximateArrivalTimestamp.getTime(), T0);
    assert.equal(record.SequenceNumber, put.Records?.[0].SequenceNumber);
    assert.equal('EncryptionType' in record, false);
  });

  it("throws errors named by their AWS code, as the SDK's exceptions are", async () => {
    await assert.rejects(api.listShards({ StreamName: 'nope' }), {
      name: 'ResourceNotFoundException',
      message: `Stream nope under account ${ACCOUNT} not found.`,
    });
    await assert.rejects(api.getRecords({ ShardIterator: 'AAAA' }), { name: 'InvalidArgumentException' });
    const { ShardIterator } = await api.getShardIterator({
      StreamName: 'orders',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'LATEST',
    });
    await assert.rejects(api.getRecords({ ShardIterator, StreamARN: streamArn('other') }), {
      name: 'InvalidArgumentException',
    });
  });

  it('tells listeners of the shards that got records, once per put, until they unsubscribe', async () => {
    const heard: Array<[string, string]> = [];
    const unsubscribe = api.onRecords((arn, shardId) => heard.push([arn, shardId]));
    // md5('a') is in the first half of the key space, md5('b') in the second.
    await service.putRecords({
      StreamName: 'orders',
      Records: ['a', 'b', 'a', 'b'].map((key) => ({ PartitionKey: key, Data: new Uint8Array([1]) })),
    });
    await service.putRecord({ StreamName: 'orders', PartitionKey: 'a', Data: new Uint8Array([2]) });
    assert.deepEqual(heard, [
      [streamArn('orders'), 'shardId-000000000000'],
      [streamArn('orders'), 'shardId-000000000001'],
      [streamArn('orders'), 'shardId-000000000000'],
    ]);
    await assert.rejects(service.putRecord({ StreamName: 'orders', Data: new Uint8Array([3]) }));
    unsubscribe();
    await service.putRecord({ StreamName: 'orders', PartitionKey: 'a', Data: new Uint8Array([4]) });
    assert.equal(heard.length, 3);
  });

  it('notifies for records put over the wire too', async () => {
    const kinesis = await startKinesis({ db: memoryDatabase() });
    try {
      const heard: string[] = [];
      kinesis.service.onRecords((_arn, shardId) => heard.push(shardId));
      await kinesis.service.createStream({ StreamName: 'wire', ShardCount: 4 });
      await kinesis.client.send(
        new PutRecordCommand({ StreamName: 'wire', PartitionKey: 'b', Data: Buffer.from('x') }),
      );
      await kinesis.client.send(
        new PutRecordsCommand({
          StreamName: 'wire',
          Records: [{ PartitionKey: 'a', Data: Buffer.from('y') }],
        }),
      );
      assert.deepEqual(heard, ['shardId-000000000002', 'shardId-000000000000']);
      assert.equal(
        (await failure(kinesis.service.getRecords({ ShardIterator: undefined }))).name,
        'ValidationException',
      );
    } finally {
      await kinesis.stop();
    }
  });
});
