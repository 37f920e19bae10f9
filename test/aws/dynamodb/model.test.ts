import { DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { tablesFromModel } from '../../../src/aws/dynamodb/from-model';
import { modelOf } from '../../helpers/service';
import { restartableDynamo } from './helpers';

/** A service with a table keyed as given, with a stream unless `stream` is false. */
function service(keySchema: unknown[], attributes: unknown[], stream = true) {
  return modelOf({
    functions: {},
    resources: {
      Orders: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: { 'Fn::Sub': '${AWS::StackName}-orders' },
          KeySchema: keySchema,
          AttributeDefinitions: [...attributes, { AttributeName: 'status', AttributeType: 'S' }],
          ProvisionedThroughput: { ReadCapacityUnits: '5', WriteCapacityUnits: 5 },
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byStatus',
              KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
              ProvisionedThroughput: { ReadCapacityUnits: '1', WriteCapacityUnits: '1' },
            },
          ],
          StreamSpecification: stream ? { StreamViewType: 'NEW_AND_OLD_IMAGES' } : undefined,
          TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
        },
      },
      Bucket: { Type: 'AWS::S3::Bucket' },
    },
  });
}

const byId = [{ AttributeName: 'id', KeyType: 'HASH' }];
const idAttribute = [{ AttributeName: 'id', AttributeType: 'S' }];

describe('aws/dynamodb tables from the service', () => {
  const dynamo = restartableDynamo('dynamodb-model-');
  const stop = dynamo.stop;
  const start = (model: ReturnType<typeof service>) => dynamo.start(tablesFromModel(model));

  it('reads each AWS::DynamoDB::Table into the CreateTable input of its Properties', () => {
    const [table, ...others] = tablesFromModel(service(byId, idAttribute));
    assert.equal(others.length, 0);
    assert.deepEqual(table.definition, {
      TableName: 'svc-dev-orders',
      KeySchema: byId,
      AttributeDefinitions: [...idAttribute, { AttributeName: 'status', AttributeType: 'S' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('creates the tables at start with their indexes and streams, and keeps them across restarts', async () => {
    const first = await start(service(byId, idAttribute));
    const { Table } = await first.client.send(new DescribeTableCommand({ TableName: 'svc-dev-orders' }));
    assert.equal(Table?.TableStatus, 'ACTIVE');
    assert.deepEqual(
      Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName),
      ['byStatus'],
    );
    assert.equal(Table?.StreamSpecification?.StreamViewType, 'NEW_AND_OLD_IMAGES');
    const arn = first.service.streamArnOf('svc-dev-orders');
    assert.ok(arn);
    await first.client.send(
      new PutItemCommand({ TableName: 'svc-dev-orders', Item: { id: { S: '1' }, status: { S: 'new' } } }),
    );
    await stop();

    const second = await start(service(byId, idAttribute));
    assert.equal(second.service.streamArnOf('svc-dev-orders'), arn);
    const { Item } = await second.client.send(
      new GetItemCommand({ TableName: 'svc-dev-orders', Key: { id: { S: '1' } } }),
    );
    assert.deepEqual(Item, { id: { S: '1' }, status: { S: 'new' } });
    assert.deepEqual(second.logs, []);
  });

  it('says so when a kept table has another key schema, and follows the stream the service defines', async () => {
    await start(service(byId, idAttribute));
    await stop();
    const changed = await start(
      service(
        [...byId, { AttributeName: 'at', KeyType: 'RANGE' }],
        [...idAttribute, { AttributeName: 'at', AttributeType: 'N' }],
        false,
      ),
    );
    assert.deepEqual(changed.logs, [
      "DynamoDB table svc-dev-orders: its key schema (id HASH S) is not the service's (id HASH S, at RANGE N); " +
        'the existing table is kept: remove the state folder (or start with --reset) to recreate it',
    ]);
    assert.equal(changed.service.streamArnOf('svc-dev-orders'), undefined);
  });

  it('logs a table definition dynalite refuses and starts without it', async () => {
    const model = modelOf({
      functions: {},
      resources: { Broken: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'broken' } } },
    });
    const started = await start(model);
    assert.equal(started.logs.length, 1);
    assert.match(started.logs[0], /^DynamoDB table broken not created: ValidationException: /);
  });
});
