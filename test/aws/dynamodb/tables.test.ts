import {
  DescribeTableCommand,
  ListTablesCommand,
  ResourceNotFoundException,
  TransactGetItemsCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import DynamoDB from 'aws-sdk/clients/dynamodb';
import assert from 'node:assert/strict';
import { ManualClock } from '../../helpers/manual-clock';
import { ACCOUNT, createTable, credentials, REGION, startDynamo, type Harness } from './helpers';

describe('aws/dynamodb tables and items through dynalite', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startDynamo();
  });

  afterEach(() => h.stop());

  it('passes item operations through (the document client: put, get, update, query, scan, delete)', async () => {
    await createTable(h.client, 'notes', { sort: true });
    await h.doc.send(
      new PutCommand({ TableName: 'notes', Item: { pk: 'u1', sk: 1, text: 'hello', tags: ['a'] } }),
    );
    await h.doc.send(new PutCommand({ TableName: 'notes', Item: { pk: 'u1', sk: 2, text: 'world' } }));
    await h.doc.send(
      new UpdateCommand({
        TableName: 'notes',
        Key: { pk: 'u1', sk: 1 },
        UpdateExpression: 'SET #t = :t',
        ExpressionAttributeNames: { '#t': 'text' },
        ExpressionAttributeValues: { ':t': 'hi' },
      }),
    );
    const got = await h.doc.send(new GetCommand({ TableName: 'notes', Key: { pk: 'u1', sk: 1 } }));
    assert.deepEqual(got.Item, { pk: 'u1', sk: 1, text: 'hi', tags: ['a'] });
    const query = await h.doc.send(
      new QueryCommand({
        TableName: 'notes',
        KeyConditionExpression: 'pk = :pk AND sk > :from',
        ExpressionAttributeValues: { ':pk': 'u1', ':from': 1 },
      }),
    );
    assert.deepEqual(query.Items, [{ pk: 'u1', sk: 2, text: 'world' }]);
    await h.doc.send(new DeleteCommand({ TableName: 'notes', Key: { pk: 'u1', sk: 2 } }));
    assert.equal((await h.doc.send(new ScanCommand({ TableName: 'notes' }))).Count, 1);
    const { Responses } = await h.client.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: 'notes', Key: { pk: { S: 'u1' }, sk: { N: '1' } } } },
          { Get: { TableName: 'notes', Key: { pk: { S: 'u1' }, sk: { N: '2' } } } },
        ],
      }),
    );
    assert.deepEqual(
      Responses?.map((r) => r.Item?.text),
      [{ S: 'hi' }, undefined],
    );
    assert.deepEqual((await h.client.send(new ListTablesCommand({}))).TableNames, ['notes']);
  });

  it("answers dynalite's errors as AWS does", async () => {
    await assert.rejects(
      h.doc.send(new GetCommand({ TableName: 'missing', Key: { pk: 'x' } })),
      ResourceNotFoundException,
    );
    await createTable(h.client, 'notes');
    await assert.rejects(h.doc.send(new PutCommand({ TableName: 'notes', Item: { other: 'x' } })), {
      name: 'ValidationException',
    });
  });

  it("describes tables with the emulator's ARNs and their stream", async () => {
    await createTable(h.client, 'plain');
    await createTable(h.client, 'streamed', { viewType: 'NEW_AND_OLD_IMAGES' });
    const plain = (await h.client.send(new DescribeTableCommand({ TableName: 'plain' }))).Table;
    assert.equal(plain?.TableArn, `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/plain`);
    assert.equal(plain?.LatestStreamArn, undefined);
    assert.equal(plain?.StreamSpecification, undefined);
    const streamed = (await h.client.send(new DescribeTableCommand({ TableName: 'streamed' }))).Table;
    assert.equal(streamed?.LatestStreamArn, h.service.streamArnOf('streamed'));
    assert.equal(streamed?.LatestStreamLabel, '2024-05-01T12:00:00.123');
    assert.deepEqual(streamed?.StreamSpecification, {
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
  });

  it('enables and disables a stream with UpdateTable; a new stream gets a new label', async () => {
    const clock = new ManualClock(Date.parse('2024-05-01T12:00:00.000Z'));
    await h.stop();
    h = await startDynamo({ clock });
    await createTable(h.client, 'notes');
    const enabled = await h.client.send(
      new UpdateTableCommand({
        TableName: 'notes',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    assert.equal(enabled.TableDescription?.LatestStreamLabel, '2024-05-01T12:00:00.000');
    await assert.rejects(
      h.client.send(
        new UpdateTableCommand({
          TableName: 'notes',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        }),
      ),
      { name: 'ValidationException' },
    );
    const first = h.service.streamArnOf('notes');
    const disabled = await h.client.send(
      new UpdateTableCommand({ TableName: 'notes', StreamSpecification: { StreamEnabled: false } }),
    );
    assert.equal(disabled.TableDescription?.StreamSpecification, undefined);
    assert.equal(disabled.TableDescription?.LatestStreamArn, first);
    assert.equal(h.service.streamArnOf('notes'), undefined);
    clock.advance(1000);
    await h.client.send(
      new UpdateTableCommand({
        TableName: 'notes',
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    assert.match(h.service.streamArnOf('notes') ?? '', /table\/notes\/stream\/2024-05-01T12:00:01.000$/);
  });

  it('serves aws-sdk v2, which checks the x-amz-crc32 of each answer', async () => {
    const v2 = new DynamoDB({ endpoint: h.url, region: REGION, credentials, maxRetries: 0 });
    await createTable(h.client, 'notes', { viewType: 'NEW_IMAGE' });
    const documents = new DynamoDB.DocumentClient({ service: v2 });
    await documents.put({ TableName: 'notes', Item: { pk: 'a', n: 1 } }).promise();
    assert.deepEqual((await documents.get({ TableName: 'notes', Key: { pk: 'a' } }).promise()).Item, {
      pk: 'a',
      n: 1,
    });
    const { Table } = await v2.describeTable({ TableName: 'notes' }).promise();
    assert.equal(Table?.StreamSpecification?.StreamViewType, 'NEW_IMAGE');
  });
});
