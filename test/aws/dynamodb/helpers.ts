import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  waitUntilTableExists,
  type StreamViewType,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AwsEndpoint } from '../../../src/aws/endpoint';
import { DynamoDbService } from '../../../src/aws/dynamodb/dynamodb-service';
import type { Clock } from '../../../src/clock';
import type { TableResource } from '../../../src/service/resources';
import { memoryDatabase, openStateDatabase, type Db } from '../../../src/state/database';
import { ManualClock } from '../../helpers/manual-clock';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const NOW = Date.parse('2024-05-01T12:00:00.123Z');
export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface Harness {
  url: string;
  service: DynamoDbService;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  streams: DynamoDBStreamsClient;
  logs: string[];
  stop(): Promise<void>;
}

/** A started DynamoDbService on a real AwsEndpoint (port 0), with the SDK v3 clients pointed at it. */
export async function startDynamo(
  options: {
    db?: Db;
    stateDir?: string;
    tables?: Array<Pick<TableResource, 'definition'>>;
    clock?: Clock;
  } = {},
): Promise<Harness> {
  const logs: string[] = [];
  const service = new DynamoDbService({
    db: options.db ?? memoryDatabase(),
    stateDir: options.stateDir,
    region: REGION,
    accountId: ACCOUNT,
    tables: options.tables ?? [],
    clock: options.clock ?? new ManualClock(NOW),
    log: (line) => logs.push(line),
  });
  await service.start();
  const endpoint = new AwsEndpoint([service]);
  const url = await endpoint.start('127.0.0.1', 0);
  const config = { endpoint: url, region: REGION, credentials };
  const client = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  return {
    url,
    service,
    client,
    doc: DynamoDBDocumentClient.from(client),
    streams,
    logs,
    stop: async () => {
      client.destroy();
      streams.destroy();
      await endpoint.stop();
      await service.stop();
    },
  };
}

/** Creates a table keyed by `pk` (S), and `sk` (N) when asked, with a stream of the view type. */
export async function createTable(
  client: DynamoDBClient,
  name: string,
  options: { viewType?: StreamViewType; sort?: boolean } = {},
): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        ...(options.sort ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : []),
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        ...(options.sort ? [{ AttributeName: 'sk', AttributeType: 'N' as const }] : []),
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: options.viewType
        ? { StreamEnabled: true, StreamViewType: options.viewType }
        : undefined,
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 5, minDelay: 1 }, { TableName: name });
}

/** Every record of the table's stream from TRIM_HORIZON, through the DynamoDB Streams API. */
export async function streamRecords(harness: Harness, table: string): Promise<_Record[]> {
  const streamArn = harness.service.streamArnOf(table);
  if (!streamArn) throw new Error(`${table} has no stream`);
  const { StreamDescription } = await harness.streams.send(
    new DescribeStreamCommand({ StreamArn: streamArn }),
  );
  const shardId = StreamDescription?.Shards?.[0]?.ShardId;
  let { ShardIterator: iterator } = await harness.streams.send(
    new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  const records: _Record[] = [];
  while (iterator) {
    const page = await harness.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    records.push(...(page.Records ?? []));
    if (!page.Records?.length) break;
    iterator = page.NextShardIterator;
  }
  return records;
}

/**
 * A DynamoDbService over a state folder of its own per test, which the test can stop and start again
 * (the folder is made before and removed after each test of the enclosing `describe`).
 */
export function restartableDynamo(folderPrefix: string) {
  let dir = '';
  let db: Db | undefined;
  let h: Harness | undefined;
  const start = async (tables?: Array<Pick<TableResource, 'definition'>>) => {
    db = openStateDatabase(dir, { reset: false });
    h = await startDynamo({ db, stateDir: dir, tables });
    return h;
  };
  const stop = async () => {
    await h?.stop();
    db?.close();
    h = undefined;
    db = undefined;
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), folderPrefix));
  });
  afterEach(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { start, stop };
}
