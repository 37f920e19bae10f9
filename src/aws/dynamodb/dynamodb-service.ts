import type * as DynamoDbStreams from '@aws-sdk/client-dynamodb-streams';
import path from 'node:path';
import { systemClock, type Clock } from '../../clock';
import type { DynamoDbStreamsSourceApi, RecordsNotifier } from '../../pull/source-apis';
import type { TableResource } from '../../service/resources';
import type { Db } from '../../state/database';
import { servingCall } from '../../lambda/write-causes';
import { requestTraceHeader, type AwsRequest, type AwsResponse, type AwsService } from '../endpoint';
import { jsonObject, Rendered, serveJson, targets, type JsonApi } from '../json-protocol';
import { bodyOf, withBody, type Answer } from './answers';
import { Backups, describeEndpoints, describeLimits } from './backups';
import { batchGet } from './batch-get';
import { CapturedWrites } from './captured-writes';
import { Dynalite, type Json } from './dynalite';
import { serialization } from './errors';
import { ensureTables } from './model-tables';
import { sdkDescribeStream, sdkGetRecords } from './sdk-shapes';
import { PartiQL } from './partiql';
import { normalized, type DynamoRequest } from './requests';
import { Streams } from './streams';
import { keyedByArns } from './table-arns';
import { TimeToLive } from './time-to-live';
import { completedWrite } from './write-answers';
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
  tables: Array<Pick<TableResource, 'definition' | 'timeToLiveAttribute'>>;
  /** Time (default: the system clock). */
  clock?: Clock;
  log?: (line: string) => void;
}

const DYNAMODB = 'DynamoDB_20120810.';
const STREAMS = 'DynamoDBStreams_20120810.';
const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'];
const BATCHES = ['BatchGetItem', 'BatchWriteItem'];
const BACKUP_OPERATIONS = [
  'DescribeContinuousBackups',
  'UpdateContinuousBackups',
  'CreateBackup',
  'DescribeBackup',
  'ListBackups',
  'DeleteBackup',
] as const;
const lowerFirst = <T extends string>(name: T) => (name[0].toLowerCase() + name.slice(1)) as Uncapitalize<T>;
const TABLE_OPERATIONS = ['CreateTable', 'UpdateTable', 'DeleteTable', 'DescribeTable'];

interface Parts {
  dynalite: Dynalite;
  tables: Tables;
  writes: CapturedWrites;
  transactions: Transactions;
  ttl: TimeToLive;
  backups: Backups;
  partiql: PartiQL;
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
  private readonly clock: Clock;
  private opening?: Promise<Parts>;
  /** DynamoDB itself is dynalite's: the operations it lacks are built here, the rest forwarded. */
  private readonly dynamoApi: JsonApi<DynamoRequest> = {
    target: DYNAMODB,
    version: '1.0',
    operations: {
      ...eachOf(WRITES, (name, request) => this.write(name, request)),
      ...eachOf(TABLE_OPERATIONS, (name, request) => this.tableOperation(name, request)),
      BatchGetItem: (request) => this.batchGet(request),
      TransactWriteItems: (request) =>
        this.withInput(request, ({ transactions }, input) => transactions.transactWrite(input)),
      TransactGetItems: (request) =>
        this.withInput(request, ({ transactions }, input) => transactions.transactGet(input)),
      ExecuteStatement: (request) =>
        this.withInput(request, ({ partiql }, input) => partiql.executeStatement(input)),
      BatchExecuteStatement: (request) =>
        this.withInput(request, ({ partiql }, input) => partiql.batchExecuteStatement(input)),
      ExecuteTransaction: (request) =>
        this.withInput(request, ({ partiql }, input) => partiql.executeTransaction(input)),
      UpdateTimeToLive: (request) => this.withInput(request, ({ ttl }, input) => ttl.update(input)),
      DescribeTimeToLive: (request) => this.withInput(request, ({ ttl }, input) => ttl.describe(input)),
      ...eachOf(BACKUP_OPERATIONS, (name, request: DynamoRequest) =>
        this.withInput(request, async ({ backups }, input) => backups[lowerFirst(name)](input)),
      ),
      DescribeLimits: async () => describeLimits(),
      DescribeEndpoints: async () => describeEndpoints(this.options.region),
    },
    readInput: (request) => normalized(request),
    otherOperation: (request) => this.forwarded(request),
  };
  private readonly streamsApi: JsonApi<Json> = {
    target: STREAMS,
    version: '1.0',
    operations: {
      ListStreams: (input) => this.streams.listStreams(input),
      DescribeStream: (input) => this.streams.describeStream(input),
      GetShardIterator: (input) => this.streams.getShardIterator(input),
      GetRecords: (input) => this.streams.getRecords(input),
    },
    readInput: ({ body }) => {
      const input = jsonObject(body);
      if (!input) throw serialization('Request body is not a JSON object');
      return input;
    },
  };

  constructor(private readonly options: DynamoDbServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.streams = new Streams({ db: options.db, region: options.region, clock: this.clock });
  }

  /** Opens the tables now when the service defines some; otherwise at the first DynamoDB request. */
  async start(): Promise<void> {
    if (this.options.tables.length) await this.opened();
  }

  async stop(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    if (!opening) return;
    const { ttl, dynalite } = await opening;
    await ttl.stop();
    await dynalite.close();
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
    const tables = new Tables(dynalite, this.streams.store, locks, { region, accountId, clock: this.clock });
    const writes = new CapturedWrites(dynalite, this.streams, locks);
    const transactions = new Transactions(dynalite, this.streams, writes, locks, this.clock);
    const ttl = new TimeToLive({
      db: this.options.db,
      dynalite,
      streams: this.streams,
      writes,
      locks,
      clock: this.clock,
    });
    await ensureTables(
      this.options.tables.map((table) => table.definition),
      { dynalite, tables, streams: this.streams.store, log: this.options.log ?? console.log },
    );
    for (const { definition, timeToLiveAttribute } of this.options.tables) {
      if (timeToLiveAttribute) ttl.ensure(definition.TableName as string, timeToLiveAttribute);
    }
    const backups = new Backups({
      db: this.options.db,
      dynalite,
      clock: this.clock,
      arnOf: (t) => tables.arnOf(t),
    });
    ttl.start();
    const partiql = new PartiQL(dynalite, writes, transactions);
    return { dynalite, tables, writes, transactions, ttl, backups, partiql };
  }

  handles(request: AwsRequest): boolean {
    return targets(request, DYNAMODB) || targets(request, STREAMS);
  }

  handle(request: AwsRequest): Promise<AwsResponse> {
    if (targets(request, STREAMS)) return serveJson(this.streamsApi, request);
    return servingCall(requestTraceHeader(request), () => serveJson(this.dynamoApi, request));
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

  /** An operation dynalite answers alone. */
  private async forwarded({ headers, body }: DynamoRequest): Promise<Rendered> {
    const { dynalite } = await this.opened();
    return new Rendered(await dynalite.forward(headers, body));
  }

  private async write(operation: string, request: DynamoRequest): Promise<Rendered> {
    const { writes, dynalite } = await this.opened();
    const answer = await writes.forward(operation, request.headers, request.body);
    if (BATCHES.includes(operation)) return keyedAnswer(answer, request);
    return new Rendered(await completedWrite(dynalite, operation, request.input, answer));
  }

  private async batchGet(request: DynamoRequest): Promise<Rendered> {
    const { dynalite } = await this.opened();
    return keyedAnswer(await batchGet(dynalite, request), request);
  }

  /** A table operation; a body that is not a JSON object is dynalite's to refuse. */
  private async tableOperation(operation: string, request: DynamoRequest): Promise<Rendered> {
    const { input } = request;
    if (!input) return this.forwarded(request);
    const { tables, ttl, backups } = await this.opened();
    const answer = await tables.handle(operation, request.headers, request.body, input);
    if (operation === 'DeleteTable' && answer.status === 200) {
      ttl.forget(String(input.TableName));
      backups.forget(String(input.TableName));
    }
    return new Rendered(answer);
  }

  /** An operation built here; a body that is not a JSON object is dynalite's to refuse. */
  private async withInput(
    request: DynamoRequest,
    run: (parts: Parts, input: Json) => Json | Promise<Json>,
  ): Promise<Json | Rendered> {
    if (!request.input) return this.forwarded(request);
    return run(await this.opened(), request.input);
  }
}

/** A batch answer keyed by the table ARNs the request used, where it used them. */
function keyedAnswer(answer: Answer, request: DynamoRequest): Rendered {
  if (answer.status !== 200 || !request.arns.size) return new Rendered(answer);
  return new Rendered(withBody(answer, keyedByArns(bodyOf(answer), request.arns)));
}

/** The same operation under each name, told the name it runs as. */
function eachOf<Input, Name extends string>(
  names: readonly Name[],
  run: (name: Name, input: Input) => unknown,
): Record<string, (input: Input) => unknown> {
  return Object.fromEntries(names.map((name) => [name, (input: Input) => run(name, input)]));
}
