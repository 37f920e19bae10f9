import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type StreamViewType,
} from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import assert from 'node:assert/strict';
import { createTable, startDynamo, streamRecords, type Harness } from './helpers';

const key = (pk: string) => ({ pk: { S: pk } });

/** eventName, keys and images of each record, as plain values. */
async function changes(h: Harness, table: string) {
  return (await streamRecords(h, table)).map((r) => ({
    event: r.eventName,
    keys: r.dynamodb?.Keys,
    new: r.dynamodb?.NewImage,
    old: r.dynamodb?.OldImage,
  }));
}

describe('aws/dynamodb stream records of writes', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startDynamo();
  });

  afterEach(() => h.stop());

  /** An insert, a modification by PutItem, one by UpdateItem and a removal. */
  async function writeAll(table: string) {
    await h.client.send(new PutItemCommand({ TableName: table, Item: { ...key('a'), n: { N: '1' } } }));
    await h.client.send(new PutItemCommand({ TableName: table, Item: { ...key('a'), n: { N: '2' } } }));
    await h.client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key('a'),
        UpdateExpression: 'SET n = n + :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    await h.client.send(new DeleteItemCommand({ TableName: table, Key: key('a') }));
  }

  const images = {
    inserted: { ...key('a'), n: { N: '1' } },
    put: { ...key('a'), n: { N: '2' } },
    updated: { ...key('a'), n: { N: '3' } },
  };
  const expected: Record<StreamViewType, Array<Record<string, unknown>>> = {
    NEW_AND_OLD_IMAGES: [
      { event: 'INSERT', keys: key('a'), new: images.inserted, old: undefined },
      { event: 'MODIFY', keys: key('a'), new: images.put, old: images.inserted },
      { event: 'MODIFY', keys: key('a'), new: images.updated, old: images.put },
      { event: 'REMOVE', keys: key('a'), new: undefined, old: images.updated },
    ],
    NEW_IMAGE: [
      { event: 'INSERT', keys: key('a'), new: images.inserted, old: undefined },
      { event: 'MODIFY', keys: key('a'), new: images.put, old: undefined },
      { event: 'MODIFY', keys: key('a'), new: images.updated, old: undefined },
      { event: 'REMOVE', keys: key('a'), new: undefined, old: undefined },
    ],
    OLD_IMAGE: [
      { event: 'INSERT', keys: key('a'), new: undefined, old: undefined },
      { event: 'MODIFY', keys: key('a'), new: undefined, old: images.inserted },
      { event: 'MODIFY', keys: key('a'), new: undefined, old: images.put },
      { event: 'REMOVE', keys: key('a'), new: undefined, old: images.updated },
    ],
    KEYS_ONLY: [
      { event: 'INSERT', keys: key('a'), new: undefined, old: undefined },
      { event: 'MODIFY', keys: key('a'), new: undefined, old: undefined },
      { event: 'MODIFY', keys: key('a'), new: undefined, old: undefined },
      { event: 'REMOVE', keys: key('a'), new: undefined, old: undefined },
    ],
  };

  for (const [viewType, records] of Object.entries(expected)) {
    it(`PutItem, UpdateItem and DeleteItem yield INSERT, MODIFY and REMOVE with ${viewType}`, async () => {
      await createTable(h.client, 'items', { viewType: viewType as StreamViewType });
      await writeAll('items');
      assert.deepEqual(await changes(h, 'items'), records);
    });
  }

  it('fills the record fields AWS sends, with increasing 21-digit sequence numbers', async () => {
    await createTable(h.client, 'items', { viewType: 'NEW_IMAGE' });
    await writeAll('items');
    const records = await streamRecords(h, 'items');
    const first = records[0];
    assert.equal(first.eventVersion, '1.1');
    assert.equal(first.eventSource, 'aws:dynamodb');
    assert.equal(first.awsRegion, 'us-east-1');
    assert.match(first.eventID ?? '', /^[0-9a-f]{32}$/);
    assert.deepEqual(first.dynamodb?.ApproximateCreationDateTime, new Date('2024-05-01T12:00:00Z'));
    assert.equal(first.dynamodb?.StreamViewType, 'NEW_IMAGE');
    assert.ok((first.dynamodb?.SizeBytes ?? 0) > 0);
    const sequence = records.map((r) => BigInt(r.dynamodb?.SequenceNumber ?? '0'));
    assert.ok(records.every((r) => /^\d{21,}$/.test(r.dynamodb?.SequenceNumber ?? '')));
    assert.deepEqual(
      sequence,
      [...sequence].sort((a, b) => (a < b ? -1 : 1)),
    );
    assert.equal(new Set(records.map((r) => r.eventID)).size, records.length);
  });

  it('writes no record for a write that changes nothing or a delete of no item', async () => {
    await createTable(h.client, 'items', { viewType: 'NEW_AND_OLD_IMAGES' });
    const item = { ...key('a'), tags: { SS: ['x', 'y'] }, n: { N: '1.50' } };
    await h.client.send(new PutItemCommand({ TableName: 'items', Item: item }));
    await h.client.send(
      new PutItemCommand({
        TableName: 'items',
        Item: { ...item, tags: { SS: ['y', 'x'] }, n: { N: '1.5' } },
      }),
    );
    await h.client.send(
      new UpdateItemCommand({
        TableName: 'items',
        Key: key('a'),
        UpdateExpression: 'SET n = :n',
        ExpressionAttributeValues: { ':n': { N: '1.5' } },
      }),
    );
    await h.client.send(new DeleteItemCommand({ TableName: 'items', Key: key('nothing') }));
    assert.deepEqual(
      (await changes(h, 'items')).map((c) => c.event),
      ['INSERT'],
    );
  });

  it('writes no record for a failed conditional write, whose error reaches the client unchanged', async () => {
    await createTable(h.client, 'items', { viewType: 'NEW_AND_OLD_IMAGES' });
    await h.client.send(new PutItemCommand({ TableName: 'items', Item: key('a') }));
    await assert.rejects(
      h.client.send(
        new PutItemCommand({
          TableName: 'items',
          Item: key('a'),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
      ConditionalCheckFailedException,
    );
    await assert.rejects(
      h.client.send(
        new DeleteItemCommand({
          TableName: 'items',
          Key: key('a'),
          ConditionExpression: 'attribute_exists(nope)',
        }),
      ),
      ConditionalCheckFailedException,
    );
    assert.deepEqual(
      (await changes(h, 'items')).map((c) => c.event),
      ['INSERT'],
    );
  });

  it("keeps the client's ReturnValues and ReturnConsumedCapacity answers", async () => {
    await createTable(h.client, 'items', { viewType: 'KEYS_ONLY' });
    const first = await h.client.send(
      new PutItemCommand({
        TableName: 'items',
        Item: { ...key('a'), v: { S: '1' } },
        ReturnValues: 'ALL_OLD',
      }),
    );
    assert.equal(first.Attributes, undefined);
    const second = await h.client.send(
      new PutItemCommand({
        TableName: 'items',
        Item: { ...key('a'), v: { S: '2' } },
        ReturnValues: 'ALL_OLD',
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    assert.deepEqual(second.Attributes, { ...key('a'), v: { S: '1' } });
    assert.equal(second.ConsumedCapacity?.TableName, 'items');
    const updated = await h.client.send(
      new UpdateItemCommand({
        TableName: 'items',
        Key: key('a'),
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': { S: '3' } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    assert.deepEqual(updated.Attributes, { ...key('a'), v: { S: '3' } });
    const plain = await h.client.send(new DeleteItemCommand({ TableName: 'items', Key: key('a') }));
    assert.equal(plain.Attributes, undefined);
  });

  it('BatchWriteItem yields one record per changed item, across tables, in request order', async () => {
    await createTable(h.client, 'left', { viewType: 'NEW_AND_OLD_IMAGES' });
    await createTable(h.client, 'right', { viewType: 'KEYS_ONLY', sort: true });
    await createTable(h.client, 'plain');
    await h.client.send(new PutItemCommand({ TableName: 'left', Item: { ...key('old'), v: { S: 'x' } } }));
    const result = await h.client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          left: [
            { PutRequest: { Item: { ...key('new'), v: { S: 'y' } } } },
            { DeleteRequest: { Key: key('old') } },
            { DeleteRequest: { Key: key('missing') } },
          ],
          right: [{ PutRequest: { Item: { ...key('r'), sk: { N: '7' } } } }],
          plain: [{ PutRequest: { Item: key('p') } }],
        },
      }),
    );
    assert.deepEqual(result.UnprocessedItems, {});
    assert.deepEqual(await changes(h, 'left'), [
      { event: 'INSERT', keys: key('old'), new: { ...key('old'), v: { S: 'x' } }, old: undefined },
      { event: 'INSERT', keys: key('new'), new: { ...key('new'), v: { S: 'y' } }, old: undefined },
      { event: 'REMOVE', keys: key('old'), new: undefined, old: { ...key('old'), v: { S: 'x' } } },
    ]);
    assert.deepEqual(await changes(h, 'right'), [
      { event: 'INSERT', keys: { ...key('r'), sk: { N: '7' } }, new: undefined, old: undefined },
    ]);
    assert.equal(h.service.streamArnOf('plain'), undefined);
  });

  it('TransactWriteItems writes all items and their records, or (a condition failing) nothing', async () => {
    await createTable(h.client, 'accounts', { viewType: 'NEW_AND_OLD_IMAGES' });
    await h.client.send(new PutItemCommand({ TableName: 'accounts', Item: { ...key('a'), n: { N: '10' } } }));
    await h.client.send(new PutItemCommand({ TableName: 'accounts', Item: { ...key('b'), n: { N: '0' } } }));
    const transfer = (amount: string) =>
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: 'accounts',
              Key: key('a'),
              UpdateExpression: 'SET n = n - :x',
              ConditionExpression: 'n >= :x',
              ExpressionAttributeValues: { ':x': { N: amount } },
            },
          },
          {
            Update: {
              TableName: 'accounts',
              Key: key('b'),
              UpdateExpression: 'SET n = n + :x',
              ExpressionAttributeValues: { ':x': { N: amount } },
            },
          },
          { Put: { TableName: 'accounts', Item: { ...key('log'), last: { N: amount } } } },
          {
            ConditionCheck: {
              TableName: 'accounts',
              Key: key('c'),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      });
    await h.client.send(transfer('4'));
    const error = await h.client.send(transfer('7')).catch((e: unknown) => e);
    assert.ok(error instanceof TransactionCanceledException);
    assert.deepEqual(
      error.CancellationReasons?.map((r) => r.Code),
      ['ConditionalCheckFailed', 'None', 'None', 'None'],
    );
    const balance = async (pk: string) =>
      (await h.doc.send(new GetCommand({ TableName: 'accounts', Key: { pk } }))).Item;
    assert.deepEqual(await balance('a'), { pk: 'a', n: 6 });
    assert.deepEqual(await balance('b'), { pk: 'b', n: 4 });
    assert.deepEqual(await balance('log'), { pk: 'log', last: 4 });
    assert.equal(await balance('c'), undefined);
    assert.deepEqual(await changes(h, 'accounts').then((list) => list.slice(2)), [
      {
        event: 'MODIFY',
        keys: key('a'),
        new: { ...key('a'), n: { N: '6' } },
        old: { ...key('a'), n: { N: '10' } },
      },
      {
        event: 'MODIFY',
        keys: key('b'),
        new: { ...key('b'), n: { N: '4' } },
        old: { ...key('b'), n: { N: '0' } },
      },
      { event: 'INSERT', keys: key('log'), new: { ...key('log'), last: { N: '4' } }, old: undefined },
    ]);
  });

  it('TransactWriteItems undoes the writes made before a later condition fails', async () => {
    await createTable(h.client, 'items', { viewType: 'NEW_IMAGE' });
    await h.client.send(
      new PutItemCommand({ TableName: 'items', Item: { ...key('kept'), v: { S: 'old' } } }),
    );
    const error = await h.client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'items', Item: { ...key('kept'), v: { S: 'new' } } } },
            { Put: { TableName: 'items', Item: key('fresh') } },
            {
              Delete: { TableName: 'items', Key: key('kept2'), ConditionExpression: 'attribute_exists(pk)' },
            },
          ],
        }),
      )
      .catch((e: unknown) => e);
    assert.ok(error instanceof TransactionCanceledException);
    assert.deepEqual(
      error.CancellationReasons?.map((r) => r.Code),
      ['None', 'None', 'ConditionalCheckFailed'],
    );
    assert.deepEqual((await h.doc.send(new GetCommand({ TableName: 'items', Key: { pk: 'kept' } }))).Item, {
      pk: 'kept',
      v: 'old',
    });
    assert.equal(
      (await h.doc.send(new GetCommand({ TableName: 'items', Key: { pk: 'fresh' } }))).Item,
      undefined,
    );
    assert.equal((await changes(h, 'items')).length, 1);
  });

  it('refuses a transaction that writes one item twice', async () => {
    await createTable(h.client, 'items', { viewType: 'NEW_IMAGE' });
    await assert.rejects(
      h.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'items', Item: key('a') } },
            { Delete: { TableName: 'items', Key: key('a') } },
          ],
        }),
      ),
      {
        name: 'ValidationException',
        message: 'Transaction request cannot include multiple operations on one item',
      },
    );
  });

  it('keeps the order of concurrent writes to one item in its records', async () => {
    await createTable(h.client, 'items', { viewType: 'NEW_AND_OLD_IMAGES' });
    await Promise.all(
      Array.from({ length: 20 }, () =>
        h.client.send(
          new UpdateItemCommand({
            TableName: 'items',
            Key: key('counter'),
            UpdateExpression: 'ADD n :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          }),
        ),
      ),
    );
    const records = await changes(h, 'items');
    assert.equal(records.length, 20);
    records.forEach((record, i) => {
      assert.deepEqual(record.new?.n, { N: String(i + 1) });
      assert.deepEqual(record.old?.n, i === 0 ? undefined : { N: String(i) });
    });
  });
});
