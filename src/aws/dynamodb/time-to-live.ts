import type { Clock } from '../../clock';
import { isObject } from '../../service/values';
import type { Db } from '../../state/database';
import type { CapturedWrites } from './captured-writes';
import type { Dynalite, Json } from './dynalite';
import { DynamoError, validation } from './errors';
import { keyOf, type Item, type KeyElement } from './items';
import type { Streams } from './streams';
import type { TableLocks } from './table-locks';

/** How often expired items are looked for (AWS deletes them "within a few days", usually minutes). */
export const TTL_SWEEP_MS = 10_000;
/** AWS leaves items alone whose TTL is more than five years in the past (a value in milliseconds, say). */
const FIVE_YEARS_S = 5 * 365 * 24 * 3600;
const TTL_IDENTITY = { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' };

export interface TimeToLiveParts {
  db: Db;
  dynalite: Dynalite;
  streams: Streams;
  writes: CapturedWrites;
  locks: TableLocks;
  clock: Clock;
}

/**
 * UpdateTimeToLive and DescribeTimeToLive (the settings in the state database, `dynamodb_ttl`), and
 * the deletion of expired items on the emulator's clock: every TTL_SWEEP_MS, the items of a table
 * with TTL whose attribute is a number of epoch seconds before now are deleted, each unless it changed
 * meanwhile; on a table with a stream each deletion is a REMOVE record by the DynamoDB service.
 */
export class TimeToLive {
  private timer?: unknown;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(private readonly parts: TimeToLiveParts) {
    parts.db.exec(
      'CREATE TABLE IF NOT EXISTS dynamodb_ttl (table_name TEXT PRIMARY KEY, attribute TEXT NOT NULL)',
    );
  }

  async update(input: Json): Promise<Json> {
    const table = await this.existing(input.TableName);
    const spec = input.TimeToLiveSpecification;
    if (!isObject(spec) || typeof spec.Enabled !== 'boolean' || typeof spec.AttributeName !== 'string') {
      throw validation(
        "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
      );
    }
    const current = this.attributeOf(table);
    if (spec.Enabled && current !== undefined) throw validation('TimeToLive is already enabled');
    if (!spec.Enabled && current === undefined) throw validation('TimeToLive is already disabled');
    if (!spec.Enabled && current !== spec.AttributeName) {
      throw validation(
        `TimeToLive is active on a different AttributeName: current AttributeName is ${String(current)}`,
      );
    }
    if (spec.Enabled) {
      this.parts.db
        .prepare('INSERT INTO dynamodb_ttl (table_name, attribute) VALUES (?, ?)')
        .run(table, spec.AttributeName);
    } else this.forget(table);
    return { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } };
  }

  async describe(input: Json): Promise<Json> {
    const attribute = this.attributeOf(await this.existing(input.TableName));
    return {
      TimeToLiveDescription:
        attribute === undefined
          ? { TimeToLiveStatus: 'DISABLED' }
          : { TimeToLiveStatus: 'ENABLED', AttributeName: attribute },
    };
  }

  /** A table's TimeToLiveSpecification from the service: enabled unless the table has a setting. */
  ensure(table: string, attribute: string): void {
    this.parts.db
      .prepare('INSERT OR IGNORE INTO dynamodb_ttl (table_name, attribute) VALUES (?, ?)')
      .run(table, attribute);
  }

  /** The table is gone: its setting with it. */
  forget(table: string): void {
    this.parts.db.prepare('DELETE FROM dynamodb_ttl WHERE table_name = ?').run(table);
  }

  start(): void {
    this.timer = this.parts.clock.setTimeout(() => {
      this.sweeping = this.sweep().finally(() => this.timer !== undefined && this.start());
      return this.sweeping;
    }, TTL_SWEEP_MS);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) this.parts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  /** Deletes the expired items of every table with TTL. */
  async sweep(): Promise<void> {
    const rows = this.parts.db.prepare('SELECT table_name, attribute FROM dynamodb_ttl').all() as Array<{
      table_name: string;
      attribute: string;
    }>;
    for (const { table_name: table, attribute } of rows) {
      try {
        await this.sweepTable(table, attribute);
      } catch (error) {
        if (!(error instanceof DynamoError) || error.code !== 'ResourceNotFoundException') throw error;
        this.forget(table);
      }
    }
  }

  private async sweepTable(table: string, attribute: string): Promise<void> {
    const { dynalite } = this.parts;
    const { Table } = await dynalite.call('DescribeTable', { TableName: table });
    const keySchema = (Table as { KeySchema: KeyElement[] }).KeySchema;
    const now = Math.floor(this.parts.clock.now() / 1000);
    let start: Json | undefined;
    do {
      const page = await dynalite.call('Scan', {
        TableName: table,
        ConsistentRead: true,
        FilterExpression: '#ttl BETWEEN :oldest AND :now',
        ExpressionAttributeNames: { '#ttl': attribute },
        ExpressionAttributeValues: {
          ':oldest': { N: String(now - FIVE_YEARS_S) },
          ':now': { N: String(now - 1) },
        },
        ExclusiveStartKey: start,
      });
      for (const item of page.Items as Item[]) await this.expire(table, keySchema, attribute, item);
      start = page.LastEvaluatedKey as Json | undefined;
    } while (start);
  }

  /** Deletes an expired item unless its TTL changed since it was read. */
  private async expire(table: string, keySchema: KeyElement[], attribute: string, item: Item): Promise<void> {
    const { dynalite, streams, writes, locks } = this.parts;
    const key = keyOf(item, keySchema);
    const stream = streams.store.enabled(table);
    const remove = async () => {
      try {
        await dynalite.call('DeleteItem', {
          TableName: table,
          Key: key,
          ConditionExpression: '#ttl = :expiry',
          ExpressionAttributeNames: { '#ttl': attribute },
          ExpressionAttributeValues: { ':expiry': item[attribute] },
        });
        return { result: undefined, succeeded: true };
      } catch (error) {
        if (error instanceof DynamoError && error.code === 'ConditionalCheckFailedException')
          return { result: undefined, succeeded: false };
        throw error;
      }
    };
    await locks.with([table], () => writes.around(stream ? [{ stream, key }] : [], remove, TTL_IDENTITY));
  }

  private attributeOf(table: string): string | undefined {
    const row = this.parts.db
      .prepare('SELECT attribute FROM dynamodb_ttl WHERE table_name = ?')
      .get(table) as { attribute: string } | undefined;
    return row?.attribute;
  }

  /** The named table, which must exist (dynalite's ResourceNotFoundException otherwise). */
  private async existing(name: unknown): Promise<string> {
    const { Table } = await this.parts.dynalite.call('DescribeTable', { TableName: name });
    return String((Table as Json).TableName);
  }
}
