import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { createTable, restartableDynamo, streamRecords } from './helpers';

describe('aws/dynamodb state across restarts on the same state folder', () => {
  const dynamo = restartableDynamo('dynamodb-state-');
  const stop = dynamo.stop;
  const start = () => dynamo.start();

  it('keeps tables, items, the stream (its ARN) and its records; sequence numbers keep increasing', async () => {
    const first = await start();
    await createTable(first.client, 'orders', { viewType: 'NEW_IMAGE' });
    await first.client.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'o1' } } }));
    const arn = first.service.streamArnOf('orders');
    await stop();

    const second = await start();
    const { Item } = await second.client.send(
      new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o1' } } }),
    );
    assert.deepEqual(Item, { pk: { S: 'o1' } });
    assert.equal(second.service.streamArnOf('orders'), arn);
    await second.client.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'o2' } } }));
    const records = await streamRecords(second, 'orders');
    assert.deepEqual(
      records.map((r) => r.dynamodb?.Keys?.pk?.S),
      ['o1', 'o2'],
    );
    assert.ok(
      BigInt(records[1].dynamodb?.SequenceNumber ?? 0) > BigInt(records[0].dynamodb?.SequenceNumber ?? 0),
    );
  });
});
