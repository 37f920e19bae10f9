import {
  DescribeTableCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  TagResourceCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { createTable, startDynamo, streamRecords, type Harness } from './helpers';

describe('aws/dynamodb global secondary indexes created by UpdateTable', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startDynamo();
    await createTable(h.client, 'items', { viewType: 'KEYS_ONLY' });
    await h.client.send(
      new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'a' }, colour: { S: 'red' } } }),
    );
  });

  afterEach(() => h.stop());

  const queryByColour = () =>
    h.client.send(
      new QueryCommand({
        TableName: 'items',
        IndexName: 'by-colour',
        KeyConditionExpression: 'colour = :c',
        ExpressionAttributeValues: { ':c': { S: 'red' } },
      }),
    );

  it('a created index holds the items already there and those written after; Delete removes it', async () => {
    const { Table } = await h.client.send(new DescribeTableCommand({ TableName: 'items' }));
    await h.client.send(
      new TagResourceCommand({ ResourceArn: Table?.TableArn, Tags: [{ Key: 'team', Value: 'x' }] }),
    );
    const { TableDescription } = await h.client.send(
      new UpdateTableCommand({
        TableName: 'items',
        AttributeDefinitions: [{ AttributeName: 'colour', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'by-colour',
              KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
    assert.deepEqual(
      TableDescription?.GlobalSecondaryIndexes?.map((i) => i.IndexName),
      ['by-colour'],
    );
    assert.equal(TableDescription?.LatestStreamArn, Table?.LatestStreamArn);
    await h.client.send(
      new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'b' }, colour: { S: 'red' } } }),
    );
    const { Items } = await queryByColour();
    assert.deepEqual(Items?.map((i) => i.pk.S).sort(), ['a', 'b']);
    const { Tags } = await h.client.send(new ListTagsOfResourceCommand({ ResourceArn: Table?.TableArn }));
    assert.deepEqual(Tags, [{ Key: 'team', Value: 'x' }]);
    // The copy writes no stream records: the stream has the two puts only.
    assert.deepEqual(
      (await streamRecords(h, 'items')).map((r) => r.eventName),
      ['INSERT', 'INSERT'],
    );

    await h.client.send(
      new UpdateTableCommand({
        TableName: 'items',
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-colour' } }],
      }),
    );
    await assert.rejects(queryByColour(), { name: 'ValidationException' });
  });

  it('refuses an index that exists, a missing one to delete, two at once', async () => {
    const create = (IndexName: string) => ({
      Create: {
        IndexName,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
        Projection: { ProjectionType: 'KEYS_ONLY' as const },
      },
    });
    await h.client.send(
      new UpdateTableCommand({ TableName: 'items', GlobalSecondaryIndexUpdates: [create('one')] }),
    );
    await assert.rejects(
      h.client.send(
        new UpdateTableCommand({ TableName: 'items', GlobalSecondaryIndexUpdates: [create('one')] }),
      ),
      { name: 'ValidationException' },
    );
    await assert.rejects(
      h.client.send(
        new UpdateTableCommand({
          TableName: 'items',
          GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'none' } }],
        }),
      ),
      { name: 'ResourceNotFoundException' },
    );
    await assert.rejects(
      h.client.send(
        new UpdateTableCommand({
          TableName: 'items',
          GlobalSecondaryIndexUpdates: [create('two'), create('three')],
        }),
      ),
      { name: 'LimitExceededException' },
    );
  });
});
