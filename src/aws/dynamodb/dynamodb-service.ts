import type * as DynamoDbStreams from '@aws-sdk/client-dynamodb-streams';
import path from 'node:path';
import type { DynamoDbStreamsSourceApi, RecordsNotifier } from '../../pull/source-apis';
import type { TableResource } from '../../service/resources';
import type { Db } from '../../state/database';
import {
  jsonError,
  jsonSuccess,
  operationOf,
  targets,
  type AwsRequest,
  type AwsResponse,
  type AwsService,
} from '../endpoint';
import { CapturedWrites } from './captured-writes';
import { Dynalite, type Json } from './dynalite';
import { DynamoError } from './errors';
import { ensureTables } from './model-tables';
import { sdkDescribeStream, sdkGetRecords } from './sdk-shapes';
import { Streams } from './streams';
import { TableLocks } from './table-locks';
import { Tables } from './tables';
import { Transactions } from './transactions';

export interface DynamoDbServiceOptions {
  db: Db;
  /** The state folder: tables are kept in `<stateDir>/dynamodb`; in memory without one. */
  stateDir?: string;
  region: string;
  accountId: string;
  /** The service's tables (`tablesFromModel`), created at start when missing. */
  tables: Array<Pick<TableResource, 'definition'>>;
  /** Epoch ms. */
  now?: () => number;
  log?: (line: string) => void;
}

const DYNAMODB = 'DynamoDB_20120810.';
const STREAMS = 'DynamoDBStreams_20120810.';
const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'];
const TABLE_OPERATIONS = ['CreateTable', 'UpdateTable', 'DeleteTable', 'DescribeTable'];

interface Parts {
  dynalite: Dynalite;
  tables: Tables;
  writes: CapturedWrites;
  transactions: Transactions;
}

/**
 * The embedded DynamoDB (AWS JSON 1.0, `X-Amz-Target: DynamoDB_20120810.*`), served by dynalite, and
 * DynamoDB Streams (`DynamoDBStreams_20120810.*`), built here: every write on a table with a stream
 * yields its records. The streams are also read in-process by the event source mappings, in the SDK's
 * shapes. dynalite is opened (and the service's tables created) at `start()` when the service defines
 * tables, else at the first DynamoDB request; `stop()` closes it.
 */
export class DynamoDbService implements AwsService, DynamoDbStreamsSourceApi, RecordsNotifier {
  private readonly streams: Streams;
  private readonly now: () => number;
  private opening?: Promise<Parts>;

  constructor(private readonly options: DynamoDbServiceOptions) {
    this.now = options.now ?? Date.now;
    this.streams = new Streams({ db: options.db, region: options.region, now: this.now });
  }

  /** Opens the tables now when the service defines some; otherwise at the first DynamoDB request. */
  async start(): Promise<void> {
    if (this.options.tables.length) await this.opened();
  }

  async stop(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    if (opening) await (await opening).dynalite.close();
  }

  private opened(): Promise<Parts> {
    this.opening ??= this.open();
    return this.opening;
  }

  private async open(): Promise<Parts> {
    const { stateDir, region, accountId } = this.options;
    const dynalite = await Dynalite.open(
      stateDir === undefined ? undefined : path.join(stateDir, 'dynamodb'),
    );
    const locks = new TableLocks();
    const tables = new Tables(dynalite, this.streams.store, { region, accountId, now: this.now });
    const writes = new CapturedWrites(dynalite, this.streams, locks);
    const transactions = new Transactions(dynalite, this.streams, writes, locks);
    await ensureTables(
      this.options.tables.map((table) => table.definition),
      { dynalite, tables, streams: this.streams.store, log: this.options.log ?? console.log },
    );
    return { dynalite, tables, writes, transactions };
  }

  handles(request: AwsRequest): boolean {
    return targets(request, DYNAMODB) || targets(request, STREAMS);
  }

  async handle(request: AwsRequest): Promise<AwsResponse> {
    try {
      if (targets(request, STREAMS))
        return this.streamsOperation(operationOf(request, STREAMS), request.body);
      return await this.dynamoOperation(operationOf(request, DYNAMODB), request);
    } catch (error) {
      if (error instanceof DynamoError) return error.toResponse();
      throw error;
    }
  }

  /** The ARN of the table's enabled stream. */
  streamArnOf(tableName: string): string | undefined {
    return this.streams.store.enabled(tableName)?.arn;
  }

  onRecords(listener: (streamArn: string, shardId: string) => void): () => void {
    return this.streams.onRecords(listener);
  }

  async describeStream(
    input: DynamoDbStreams.DescribeStreamInput,
  ): Promise<DynamoDbStreams.DescribeStreamOutput> {
    return sdkDescribeStream(this.streams.describeStream({ ...input }));
  }

  async getShardIterator(
    input: DynamoDbStreams.GetShardIteratorInput,
  ): Promise<DynamoDbStreams.GetShardIteratorOutput> {
    return this.streams.getShardIterator({ ...input });
  }

  async getRecords(input: DynamoDbStreams.GetRecordsInput): Promise<DynamoDbStreams.GetRecordsOutput> {
    return sdkGetRecords(this.streams.getRecords({ ...input }));
  }

  private async dynamoOperation(operation: string, request: AwsRequest): Promise<AwsResponse> {
    const parts = await this.opened();
    const { headers, body } = request;
    if (WRITES.includes(operation)) return parts.writes.forward(operation, headers, body);
    const input =
      TABLE_OPERATIONS.includes(operation) || operation.startsWith('Transact') ? parseJson(body) : undefined;
    if (!input) return parts.dynalite.forward(headers, body);
    if (operation === 'TransactWriteItems') return answer(await parts.transactions.transactWrite(input));
    if (operation === 'TransactGetItems') return answer(await parts.transactions.transactGet(input));
    return parts.tables.handle(operation, headers, body, input);
  }

  private streamsOperation(operation: string, body: Buffer): AwsResponse {
    const input = parseJson(body);
    if (!input) return jsonError(400, 'SerializationException', 'Request body is not a JSON object');
    switch (operation) {
      case 'ListStreams':
        return answer(this.streams.listStreams(input));
      case 'DescribeStream':
        return answer(this.streams.describeStream(input));
      case 'GetShardIterator':
        return answer(this.streams.getShardIterator(input));
      case 'GetRecords':
        return answer(this.streams.getRecords(input));
      default:
        return jsonError(400, 'UnknownOperationException', `Unknown operation ${STREAMS}${operation}`);
    }
  }
}

function answer(output: Json): AwsResponse {
  return jsonSuccess('1.0', JSON.stringify(output));
}

function parseJson(body: Buffer): Json | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}
