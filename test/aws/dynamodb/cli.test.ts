import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { awsCli } from '../sns/helpers';
import { createTable, startDynamo, type Harness } from './helpers';

describe('aws/dynamodb with the AWS CLI v1', () => {
  let h: Harness;

  before(async () => {
    h = await startDynamo();
    await createTable(h.client, 'cli-items', { viewType: 'NEW_IMAGE' });
  });

  after(() => h.stop());

  it('puts an item (aws dynamodb put-item) and reads its record (aws dynamodbstreams get-records)', async () => {
    await awsCli(h.url, [
      'dynamodb',
      'put-item',
      '--table-name',
      'cli-items',
      '--item',
      JSON.stringify({ pk: { S: 'from-cli' }, n: { N: '3' } }),
    ]);
    const { Item } = await h.client.send(
      new GetItemCommand({ TableName: 'cli-items', Key: { pk: { S: 'from-cli' } } }),
    );
    assert.deepEqual(Item, { pk: { S: 'from-cli' }, n: { N: '3' } });

    const streamArn = h.service.streamArnOf('cli-items') ?? '';
    const described = JSON.parse(
      await awsCli(h.url, ['dynamodbstreams', 'describe-stream', '--stream-arn', streamArn]),
    );
    const shardId = described.StreamDescription.Shards[0].ShardId as string;
    const { ShardIterator } = JSON.parse(
      await awsCli(h.url, [
        'dynamodbstreams',
        'get-shard-iterator',
        '--stream-arn',
        streamArn,
        '--shard-id',
        shardId,
        '--shard-iterator-type',
        'TRIM_HORIZON',
      ]),
    );
    const { Records } = JSON.parse(
      await awsCli(h.url, ['dynamodbstreams', 'get-records', '--shard-iterator', ShardIterator]),
    );
    assert.equal(Records.length, 1);
    assert.equal(Records[0].eventName, 'INSERT');
    assert.deepEqual(Records[0].dynamodb.NewImage, { pk: { S: 'from-cli' }, n: { N: '3' } });
  });
});
