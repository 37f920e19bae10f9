import { DeleteTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  ResourceNotFoundException,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import assert from 'node:assert/strict';
import { ManualClock } from '../../helpers/manual-clock';
import { ACCOUNT, createTable, REGION, startDynamo, type Harness } from './helpers';

describe('aws/dynamodb the DynamoDB Streams API', () => {
  let h: Harness;
  let clock: ManualClock;
  let arn: string;
  let shardId: string;

  const put = (pk: string, extra = {}) =>
    h.client.send(new PutItemCommand({ TableName: 'events', Item: { pk: { S: pk }, ...extra } }));
  const iterator = async (type: ShardIteratorType, sequence?: string) =>
    (
      await h.streams.send(
        new GetShardIteratorCommand({
          StreamArn: arn,
          ShardId: shardId,
          ShardIteratorType: type,
          SequenceNumber: sequence,
        }),
      )
    ).ShardIterator;
  const keysFrom = async (shardIterator: string | undefined, limit?: number) => {
    const page = await h.streams.send(new GetRecordsCommand({ ShardIterator: shardIterator, Limit: limit }));
    return { keys: page.Records?.map((r) => r.dynamodb?.Keys?.pk?.S), page };
  };

  beforeEach(async () => {
    clock = new ManualClock(Date.parse('2024-05-01T12:00:00.000Z'));
    h = await startDynamo({ clock });
    await createTable(h.client, 'events', { viewType: 'NEW_IMAGE' });
    await createTable(h.client, 'other', { viewType: 'KEYS_ONLY' });
    arn = h.service.streamArnOf('events') ?? '';
    const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    shardId = StreamDescription?.Shards?.[0]?.ShardId ?? '';
  });

  afterEach(() => h.stop());

  it('names a stream by its table and a label, as DescribeTable shows it', async () => {
    assert.equal(arn, `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/events/stream/2024-05-01T12:00:00.000`);
    const { Streams } = await h.streams.send(new ListStreamsCommand({ TableName: 'events' }));
    assert.deepEqual(Streams, [
      { StreamArn: arn, TableName: 'events', StreamLabel: '2024-05-01T12:00:00.000' },
    ]);
    const all = await h.streams.send(new ListStreamsCommand({}));
    assert.deepEqual(
      all.Streams?.map((s) => s.TableName),
      ['events', 'other'],
    );
  });

  it('describes the stream with its one shard and its sequence number range', async () => {
    await put('a');
    const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    assert.deepEqual(StreamDescription, {
      StreamArn: arn,
      StreamLabel: '2024-05-01T12:00:00.000',
      StreamStatus: 'ENABLED',
      StreamViewType: 'NEW_IMAGE',
      CreationRequestDateTime: new Date('2024-05-01T12:00:00.000Z'),
      TableName: 'events',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      Shards: [
        { ShardId: shardId, SequenceNumberRange: { StartingSequenceNumber: '100000000000000000001' } },
      ],
    });
  });

  it('a shard without records has a StartingSequenceNumber, that of its first record', async () => {
    const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    const start = StreamDescription?.Shards?.[0]?.SequenceNumberRange?.StartingSequenceNumber;
    assert.equal(start, '100000000000000000001');
    await put('a');
    const { keys } = await keysFrom(await iterator('AT_SEQUENCE_NUMBER', start));
    assert.deepEqual(keys, ['a']);
  });

  it('reads from TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER', async () => {
    await put('a');
    await put('b');
    const latest = await iterator('LATEST');
    await put('c');
    const { keys, page } = await keysFrom(await iterator('TRIM_HORIZON'));
    assert.deepEqual(keys, ['a', 'b', 'c']);
    const second = page.Records?.[1].dynamodb?.SequenceNumber;
    assert.deepEqual((await keysFrom(latest)).keys, ['c']);
    assert.deepEqual((await keysFrom(await iterator('AT_SEQUENCE_NUMBER', second))).keys, ['b', 'c']);
    assert.deepEqual((await keysFrom(await iterator('AFTER_SEQUENCE_NUMBER', second))).keys, ['c']);
  });

  it('pages with Limit and NextShardIterator, which waits at the end for new records', async () => {
    for (const pk of ['a', 'b', 'c']) await put(pk);
    const first = await keysFrom(await iterator('TRIM_HORIZON'), 2);
    assert.deepEqual(first.keys, ['a', 'b']);
    const second = await keysFrom(first.page.NextShardIterator, 2);
    assert.deepEqual(second.keys, ['c']);
    const empty = await keysFrom(second.page.NextShardIterator);
    assert.deepEqual(empty.keys, []);
    await put('d');
    assert.deepEqual((await keysFrom(empty.page.NextShardIterator)).keys, ['d']);
  });

  it('closes the shard when the stream is disabled by deleting the table', async () => {
    await put('a');
    const start = await iterator('TRIM_HORIZON');
    await h.client.send(new DeleteTableCommand({ TableName: 'events' }));
    const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    assert.equal(StreamDescription?.StreamStatus, 'DISABLED');
    assert.equal(
      StreamDescription?.Shards?.[0].SequenceNumberRange?.EndingSequenceNumber,
      '100000000000000000001',
    );
    const { keys, page } = await keysFrom(start);
    assert.deepEqual(keys, ['a']);
    assert.equal(page.NextShardIterator, undefined);
  });

  it('keeps records for 24 hours', async () => {
    await put('old');
    clock.advance(24 * 60 * 60 * 1000 + 1);
    await put('new');
    assert.deepEqual((await keysFrom(await iterator('TRIM_HORIZON'))).keys, ['new']);
    await assert.rejects(iterator('AT_SEQUENCE_NUMBER', '100000000000000000001'), {
      name: 'TrimmedDataAccessException',
    });
  });

  it('answers AWS errors for unknown streams, shards, bad limits and iterators', async () => {
    await assert.rejects(
      h.streams.send(new DescribeStreamCommand({ StreamArn: `${arn}x` })),
      ResourceNotFoundException,
    );
    await assert.rejects(
      h.streams.send(
        new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'shardId-1', ShardIteratorType: 'LATEST' }),
      ),
      ResourceNotFoundException,
    );
    await assert.rejects(iterator('AT_SEQUENCE_NUMBER'), { name: 'ValidationException' });
    await assert.rejects(keysFrom(await iterator('LATEST'), 1001), { name: 'ValidationException' });
    await assert.rejects(keysFrom('not-an-iterator'), { name: 'ValidationException' });
  });

  it('serves the same streams in-process in the SDK shapes, and tells listeners of new records', async () => {
    const told: string[] = [];
    const unsubscribe = h.service.onRecords((streamArn, shard) => told.push(`${streamArn} ${shard}`));
    await put('a', { data: { B: Buffer.from([0, 1, 2]) }, list: { L: [{ BS: [Buffer.from([1])] }] } });
    unsubscribe();
    await put('b');
    assert.deepEqual(told, [`${arn} ${shardId}`]);
    const description = await h.service.describeStream({ StreamArn: arn });
    assert.deepEqual(
      description.StreamDescription?.CreationRequestDateTime,
      new Date('2024-05-01T12:00:00.000Z'),
    );
    const { ShardIterator } = await h.service.getShardIterator({
      StreamArn: arn,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    const { Records, NextShardIterator } = await h.service.getRecords({ ShardIterator, Limit: 1 });
    assert.equal(Records?.length, 1);
    const record = Records?.[0].dynamodb;
    assert.deepEqual(record?.ApproximateCreationDateTime, new Date('2024-05-01T12:00:00.000Z'));
    assert.deepEqual(record?.NewImage?.data, { B: Buffer.from([0, 1, 2]) });
    assert.deepEqual(record?.NewImage?.list, { L: [{ BS: [Buffer.from([1])] }] });
    const next = await h.service.getRecords({ ShardIterator: NextShardIterator });
    assert.deepEqual(
      next.Records?.map((r) => r.dynamodb?.Keys?.pk),
      [{ S: 'b' }],
    );
  });
});
