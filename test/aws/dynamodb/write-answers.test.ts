import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { createTable, startDynamo, type Harness } from './helpers';

const key = { pk: { S: 'a' } };
const item = { ...key, n: { N: '1' } };
const failing = {
  ConditionExpression: 'attribute_not_exists(pk)',
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
};

describe('aws/dynamodb write answers as AWS gives them', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startDynamo();
    await createTable(h.client, 'items');
    await h.client.send(new PutItemCommand({ TableName: 'items', Item: item }));
  });

  afterEach(() => h.stop());

  it('removes list elements by their indexes in the original list', async () => {
    const list = { L: [0, 1, 2, 3, 4, 5].map((n) => ({ N: String(n) })) };
    await h.client.send(
      new PutItemCommand({ TableName: 'items', Item: { ...key, l: list, m: { M: { l: list } } } }),
    );
    await h.client.send(
      new UpdateItemCommand({
        TableName: 'items',
        Key: key,
        UpdateExpression: 'REMOVE l[1], #l[2], m.l[4], m.l[0] SET x = :x',
        ExpressionAttributeNames: { '#l': 'l' },
        ExpressionAttributeValues: { ':x': { S: 'x' } },
      }),
    );
    const { Item } = await h.client.send(new GetItemCommand({ TableName: 'items', Key: key }));
    const numbers = (value: unknown) => (value as { L: Array<{ N: string }> }).L.map((e) => Number(e.N));
    assert.deepEqual(numbers(Item?.l), [0, 3, 4, 5]);
    assert.deepEqual(numbers(Item?.m?.M?.l), [1, 2, 3, 5]);
    assert.deepEqual(Item?.x, { S: 'x' });
  });

  it('leaves Attributes out when UPDATED_OLD selects none', async () => {
    const output = await h.client.send(
      new UpdateItemCommand({
        TableName: 'items',
        Key: key,
        UpdateExpression: 'SET fresh = :v',
        ExpressionAttributeValues: { ':v': { S: 'v' } },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    assert.equal(output.Attributes, undefined);
    const again = await h.client.send(
      new UpdateItemCommand({
        TableName: 'items',
        Key: key,
        UpdateExpression: 'SET fresh = :w',
        ExpressionAttributeValues: { ':w': { S: 'w' } },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    assert.deepEqual(again.Attributes, { fresh: { S: 'v' } });
  });

  for (const [name, command] of [
    [
      'PutItem',
      () => new PutItemCommand({ TableName: 'items', Item: { ...key, n: { N: '2' } }, ...failing }),
    ],
    [
      'UpdateItem',
      () => new UpdateItemCommand({ TableName: 'items', Key: key, UpdateExpression: 'REMOVE n', ...failing }),
    ],
    ['DeleteItem', () => new DeleteItemCommand({ TableName: 'items', Key: key, ...failing })],
  ] as const) {
    it(`${name}: the failed condition's exception carries the item with ALL_OLD`, async () => {
      const error = await h.client.send(command() as never).catch((e: unknown) => e);
      assert.ok(error instanceof ConditionalCheckFailedException);
      assert.deepEqual(error.Item, item);
    });
  }

  it('no Item without ALL_OLD, nor for a missing item', async () => {
    const plain = await h.client
      .send(
        new PutItemCommand({
          TableName: 'items',
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((e: unknown) => e);
    assert.ok(plain instanceof ConditionalCheckFailedException);
    assert.equal(plain.Item, undefined);
    const missing = await h.client
      .send(
        new DeleteItemCommand({
          TableName: 'items',
          Key: { pk: { S: 'b' } },
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .catch((e: unknown) => e);
    assert.ok(missing instanceof ConditionalCheckFailedException);
    assert.equal(missing.Item, undefined);
  });

  it("TransactWriteItems' cancellation reasons carry the item with ALL_OLD", async () => {
    const error = await h.client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'items', Item: { pk: { S: 'b' } } } },
            { Update: { TableName: 'items', Key: key, UpdateExpression: 'REMOVE n', ...failing } },
          ],
        }),
      )
      .catch((e: unknown) => e);
    assert.ok(error instanceof TransactionCanceledException);
    assert.deepEqual(
      error.CancellationReasons?.map((r) => ({ Code: r.Code, Item: r.Item })),
      [
        { Code: 'None', Item: undefined },
        { Code: 'ConditionalCheckFailed', Item: item },
      ],
    );
  });
});
