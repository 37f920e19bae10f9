import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { ACCOUNT, createTable, REGION, startDynamo, type Harness } from './helpers';

const arn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/items`;
const key = (pk: string) => ({ pk: { S: pk } });

describe('aws/dynamodb tables named by ARN', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startDynamo();
    await createTable(h.client, 'items');
  });

  afterEach(() => h.stop());

  it('single-item operations, queries and DescribeTable take the ARN', async () => {
    await h.client.send(new PutItemCommand({ TableName: arn, Item: key('a') }));
    const { Item } = await h.client.send(new GetItemCommand({ TableName: arn, Key: key('a') }));
    assert.deepEqual(Item, key('a'));
    const { Items } = await h.client.send(
      new QueryCommand({
        TableName: arn,
        KeyConditionExpression: 'pk = :a',
        ExpressionAttributeValues: { ':a': { S: 'a' } },
      }),
    );
    assert.equal(Items?.length, 1);
    const { Table } = await h.client.send(new DescribeTableCommand({ TableName: arn }));
    assert.equal(Table?.TableArn, arn);
  });

  it('batch request maps keyed by ARN, answered by ARN', async () => {
    const written = await h.client.send(
      new BatchWriteItemCommand({ RequestItems: { [arn]: [{ PutRequest: { Item: key('b') } }] } }),
    );
    assert.deepEqual(written.UnprocessedItems, {});
    const read = await h.client.send(
      new BatchGetItemCommand({ RequestItems: { [arn]: { Keys: [key('b')] } } }),
    );
    assert.deepEqual(read.Responses, { [arn]: [key('b')] });
  });

  it('transactions take the ARN', async () => {
    await h.client.send(
      new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: arn, Item: key('c') } }] }),
    );
    const { Responses } = await h.client.send(
      new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: arn, Key: key('c') } }] }),
    );
    assert.deepEqual(Responses, [{ Item: key('c') }]);
  });
});
