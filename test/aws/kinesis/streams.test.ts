import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-kinesis';
import { strict as assert } from 'node:assert';
import { failure, startKinesis, streamArn, T0, type RunningKinesis } from './helpers';

describe('aws/kinesis streams', () => {
  let kinesis: RunningKinesis;

  beforeEach(async () => {
    kinesis = await startKinesis();
  });

  afterEach(() => kinesis.stop());

  it('creates a provisioned stream ACTIVE at once, with its shards, hash key and sequence ranges', async () => {
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 2 }));
    const { StreamDescription: d } = await kinesis.client.send(
      new DescribeStreamCommand({ StreamName: 'orders' }),
    );
    assert.equal(d?.StreamName, 'orders');
    assert.equal(d?.StreamARN, streamArn('orders'));
    assert.equal(d?.StreamStatus, 'ACTIVE');
    assert.deepEqual(d?.StreamModeDetails, { StreamMode: 'PROVISIONED' });
    assert.equal(d?.RetentionPeriodHours, 24);
    assert.equal(d?.StreamCreationTimestamp?.getTime(), T0);
    assert.equal(d?.EncryptionType, 'NONE');
    assert.equal(d?.HasMoreShards, false);
    assert.deepEqual(
      d?.Shards?.map((s) => [s.ShardId, s.HashKeyRange?.StartingHashKey, s.HashKeyRange?.EndingHashKey]),
      [
        ['shardId-000000000000', '0', '170141183460469231731687303715884105727'],
        [
          'shardId-000000000001',
          '170141183460469231731687303715884105728',
          '340282366920938463463374607431768211455',
        ],
      ],
    );
    for (const shard of d?.Shards ?? []) {
      assert.match(shard.SequenceNumberRange?.StartingSequenceNumber ?? '', /^\d{56}$/);
      assert.equal(shard.SequenceNumberRange?.EndingSequenceNumber, undefined);
      assert.equal(shard.ParentShardId, undefined);
    }
  });

  it('gives an ON_DEMAND stream 4 shards', async () => {
    await kinesis.client.send(
      new CreateStreamCommand({ StreamName: 'clicks', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }),
    );
    const { StreamDescriptionSummary: s } = await kinesis.client.send(
      new DescribeStreamSummaryCommand({ StreamARN: streamArn('clicks') }),
    );
    assert.equal(s?.OpenShardCount, 4);
    assert.equal(s?.ConsumerCount, 0);
    assert.deepEqual(s?.StreamModeDetails, { StreamMode: 'ON_DEMAND' });
    assert.equal(s?.StreamARN, streamArn('clicks'));
  });

  it('answers CreateStream with the errors AWS gives', async () => {
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 1 }));
    const inUse = await failure(
      kinesis.client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 1 })),
    );
    assert.deepEqual(inUse, {
      name: 'ResourceInUseException',
      message: 'Stream orders under account 123456789012 already exists.',
      status: 400,
    });
    const badName = await failure(
      kinesis.client.send(new CreateStreamCommand({ StreamName: 'a/b', ShardCount: 1 })),
    );
    assert.equal(badName.name, 'ValidationException');
    assert.match(badName.message, /at 'streamName' failed to satisfy constraint/);
    const zero = await failure(
      kinesis.client.send(new CreateStreamCommand({ StreamName: 'z', ShardCount: 0 })),
    );
    assert.equal(zero.name, 'ValidationException');
    const none = await failure(kinesis.client.send(new CreateStreamCommand({ StreamName: 'z' })));
    assert.equal(none.name, 'InvalidArgumentException');
    const tooMany = await failure(
      kinesis.client.send(new CreateStreamCommand({ StreamName: 'z', ShardCount: 500 })),
    );
    assert.equal(tooMany.name, 'LimitExceededException');
  });

  it('deletes a stream; then it is not found', async () => {
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 1 }));
    await kinesis.client.send(new DeleteStreamCommand({ StreamARN: streamArn('orders') }));
    const gone = await failure(kinesis.client.send(new DescribeStreamCommand({ StreamName: 'orders' })));
    assert.deepEqual(gone, {
      name: 'ResourceNotFoundException',
      message: 'Stream orders under account 123456789012 not found.',
      status: 400,
    });
    assert.equal(
      (await failure(kinesis.client.send(new DeleteStreamCommand({ StreamName: 'orders' })))).name,
      'ResourceNotFoundException',
    );
  });

  it('finds a stream by StreamARN, and refuses an ARN and a name that disagree or neither', async () => {
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 1 }));
    const other = streamArn('other');
    assert.equal(
      (await failure(kinesis.client.send(new DescribeStreamCommand({ StreamARN: other })))).name,
      'ResourceNotFoundException',
    );
    const both = await failure(
      kinesis.client.send(
        new DescribeStreamSummaryCommand({ StreamARN: streamArn('orders'), StreamName: 'x' }),
      ),
    );
    assert.equal(both.name, 'InvalidArgumentException');
    assert.equal(
      (await failure(kinesis.client.send(new DescribeStreamSummaryCommand({})))).name,
      'InvalidArgumentException',
    );
    const badArn = await failure(
      kinesis.client.send(new DescribeStreamSummaryCommand({ StreamARN: 'arn:aws:sqs:x' })),
    );
    assert.equal(badArn.name, 'ValidationException');
  });

  it('pages DescribeStream shards with Limit and ExclusiveStartShardId', async () => {
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 5 }));
    const first = await kinesis.client.send(new DescribeStreamCommand({ StreamName: 'orders', Limit: 2 }));
    assert.deepEqual(
      first.StreamDescription?.Shards?.map((s) => s.ShardId),
      ['shardId-000000000000', 'shardId-000000000001'],
    );
    assert.equal(first.StreamDescription?.HasMoreShards, true);
    const rest = await kinesis.client.send(
      new DescribeStreamCommand({ StreamName: 'orders', ExclusiveStartShardId: 'shardId-000000000001' }),
    );
    assert.deepEqual(
      rest.StreamDescription?.Shards?.map((s) => s.ShardId),
      ['shardId-000000000002', 'shardId-000000000003', 'shardId-000000000004'],
    );
    assert.equal(rest.StreamDescription?.HasMoreShards, false);
  });

  it('lists streams by name with summaries, a page at a time', async () => {
    for (const name of ['c', 'a', 'b']) {
      await kinesis.client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    }
    const first = await kinesis.client.send(new ListStreamsCommand({ Limit: 2 }));
    assert.deepEqual(first.StreamNames, ['a', 'b']);
    assert.equal(first.HasMoreStreams, true);
    assert.deepEqual(first.StreamSummaries?.[0], {
      StreamName: 'a',
      StreamARN: streamArn('a'),
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      StreamCreationTimestamp: new Date(T0),
    });
    const second = await kinesis.client.send(new ListStreamsCommand({ NextToken: first.NextToken }));
    assert.deepEqual(second.StreamNames, ['c']);
    assert.equal(second.HasMoreStreams, false);
    assert.equal(second.NextToken, undefined);
    const after = await kinesis.client.send(new ListStreamsCommand({ ExclusiveStartStreamName: 'a' }));
    assert.deepEqual(after.StreamNames, ['b', 'c']);
  });

  it('lists shards by name or ARN, with MaxResults and a NextToken that lives five minutes', async () => {
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 3 }));
    const first = await kinesis.client.send(
      new ListShardsCommand({ StreamARN: streamArn('orders'), MaxResults: 2 }),
    );
    assert.deepEqual(
      first.Shards?.map((s) => s.ShardId),
      ['shardId-000000000000', 'shardId-000000000001'],
    );
    assert.ok(first.NextToken);
    const rest = await kinesis.client.send(new ListShardsCommand({ NextToken: first.NextToken }));
    assert.deepEqual(
      rest.Shards?.map((s) => s.ShardId),
      ['shardId-000000000002'],
    );
    assert.equal(rest.NextToken, undefined);

    const together = await failure(
      kinesis.client.send(new ListShardsCommand({ StreamName: 'orders', NextToken: first.NextToken })),
    );
    assert.equal(together.name, 'InvalidArgumentException');
    assert.equal(
      (await failure(kinesis.client.send(new ListShardsCommand({ NextToken: 'garbage' })))).name,
      'InvalidArgumentException',
    );
    kinesis.clock.advance(300_001);
    assert.equal(
      (await failure(kinesis.client.send(new ListShardsCommand({ NextToken: first.NextToken })))).name,
      'ExpiredNextTokenException',
    );
  });

  it('filters ListShards with ExclusiveStartShardId and an AFTER_SHARD_ID ShardFilter', async () => {
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 3 }));
    const after = await kinesis.client.send(
      new ListShardsCommand({ StreamName: 'orders', ExclusiveStartShardId: 'shardId-000000000000' }),
    );
    assert.deepEqual(
      after.Shards?.map((s) => s.ShardId),
      ['shardId-000000000001', 'shardId-000000000002'],
    );
    const filtered = await kinesis.client.send(
      new ListShardsCommand({
        StreamName: 'orders',
        ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000001' },
      }),
    );
    assert.deepEqual(
      filtered.Shards?.map((s) => s.ShardId),
      ['shardId-000000000002'],
    );
    const horizon = await kinesis.client.send(
      new ListShardsCommand({ StreamName: 'orders', ShardFilter: { Type: 'AT_TRIM_HORIZON' } }),
    );
    assert.equal(horizon.Shards?.length, 3);
  });

  it('answers an unknown operation and a body that is not JSON as AWS does', async () => {
    const post = (target: string, body: string) =>
      fetch(kinesis.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
        body,
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { __type: string } }));
    assert.deepEqual(
      (await post('Kinesis_20131202.UpdateStreamMode', '{}')).body.__type,
      'UnknownOperationException',
    );
    const bad = await post('Kinesis_20131202.ListStreams', '{nope');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.__type, 'SerializationException');
    const wrongType = await post('Kinesis_20131202.DescribeStream', '{"StreamName": 5}');
    assert.equal(wrongType.body.__type, 'SerializationException');
    const notRecords = await post('Kinesis_20131202.PutRecords', '{"StreamName": "s", "Records": [null]}');
    assert.equal(notRecords.body.__type, 'SerializationException');
    const notBase64 = await post(
      'Kinesis_20131202.PutRecord',
      '{"StreamName": "s", "PartitionKey": "a", "Data": "!"}',
    );
    assert.equal(notBase64.body.__type, 'SerializationException');
    const cbor = await fetch(kinesis.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-cbor-1.1',
        'x-amz-target': 'Kinesis_20131202.ListStreams',
      },
      body: new Uint8Array([0xa0]),
    });
    assert.equal(cbor.status, 400);
  });
});
