import { BatchGetItemCommand, BatchWriteItemCommand, type KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { createTable, startDynamo, type Harness } from './helpers';

const key = (n: number) => ({ pk: { S: `item-${String(n).padStart(2, '0')}` } });

describe('aws/dynamodb BatchGetItem answers at most 16 MB', () => {
  let h: Harness;

  before(async () => {
    h = await startDynamo();
    await createTable(h.client, 'big');
    const data = { S: 'x'.repeat(390_000) };
    for (let n = 0; n < 48; n += 12) {
      const requests = Array.from({ length: 12 }, (_, i) => ({
        PutRequest: { Item: { ...key(n + i), data } },
      }));
      // Four puts a batch keep the request under BatchWriteItem's 16 MB.
      for (let i = 0; i < requests.length; i += 4)
        await h.client.send(new BatchWriteItemCommand({ RequestItems: { big: requests.slice(i, i + 4) } }));
    }
  });

  after(() => h.stop());

  it('leaves the keys past 16 MB in UnprocessedKeys, which a second call reads', async () => {
    const keys = Array.from({ length: 48 }, (_, n) => key(n));
    const first = await h.client.send(
      new BatchGetItemCommand({
        RequestItems: {
          big: { Keys: keys, ProjectionExpression: 'pk, #d', ExpressionAttributeNames: { '#d': 'data' } },
        },
      }),
    );
    const read = first.Responses?.big ?? [];
    // 16 MB of items of about 390 KB: 43 of them.
    assert.equal(read.length, 43);
    assert.deepEqual(
      read.map((item) => item.pk.S),
      keys.slice(0, 43).map((k) => k.pk.S),
    );
    const left = first.UnprocessedKeys?.big as KeysAndAttributes;
    assert.equal(read.length + (left.Keys?.length ?? 0), 48);
    assert.equal(left.ProjectionExpression, 'pk, #d');
    const second = await h.client.send(new BatchGetItemCommand({ RequestItems: { big: left } }));
    assert.deepEqual(second.UnprocessedKeys, {});
    const all = [...read, ...(second.Responses?.big ?? [])].map((item) => item.pk.S).sort();
    assert.deepEqual(
      all,
      keys.map((k) => k.pk.S),
    );
  });

  it('a small batch is answered whole', async () => {
    const { Responses, UnprocessedKeys } = await h.client.send(
      new BatchGetItemCommand({
        RequestItems: { big: { Keys: [key(1), key(2)], ProjectionExpression: 'pk' } },
      }),
    );
    assert.equal(Responses?.big?.length, 2);
    assert.deepEqual(UnprocessedKeys, {});
  });
});
