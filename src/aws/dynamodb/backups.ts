import { createHash } from 'node:crypto';
import type { Clock } from '../../clock';
import { isObject } from '../../service/values';
import type { Db } from '../../state/database';
import type { Dynalite, Json } from './dynalite';
import { DynamoError, validation } from './errors';
import { describeTable } from './table-status';

export interface BackupsParts {
  db: Db;
  dynalite: Dynalite;
  clock: Clock;
  /** The table's ARN, as the table descriptions give it. */
  arnOf: (table: string) => string;
}

interface BackupRow {
  arn: string;
  name: string;
  table_name: string;
  created_at: number;
  /** The source table's description when the backup was made (JSON). */
  source: string;
}

const DAY_MS = 24 * 3_600_000;
/** LatestRestorableDateTime "is typically 5 minutes before the current time". */
const RESTORE_LAG_MS = 5 * 60_000;
const seconds = (ms: number) => ms / 1000;

/**
 * Point-in-time recovery settings and on-demand backups as records in the state database
 * (`dynamodb_pitr`, `dynamodb_backups`): their calls answer as AWS does; no data is copied, and
 * restoring (RestoreTableFromBackup, RestoreTableToPointInTime) is not emulated.
 */
export class Backups {
  constructor(private readonly parts: BackupsParts) {
    parts.db.exec(`
      CREATE TABLE IF NOT EXISTS dynamodb_pitr (table_name TEXT PRIMARY KEY, enabled_at INTEGER NOT NULL, days INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS dynamodb_backups (
        arn TEXT PRIMARY KEY, name TEXT NOT NULL, table_name TEXT NOT NULL, created_at INTEGER NOT NULL, source TEXT NOT NULL
      );
    `);
  }

  async describeContinuousBackups(input: Json): Promise<Json> {
    return { ContinuousBackupsDescription: this.continuous(await this.table(input.TableName)) };
  }

  async updateContinuousBackups(input: Json): Promise<Json> {
    const table = await this.table(input.TableName);
    const spec = input.PointInTimeRecoverySpecification;
    if (!isObject(spec) || typeof spec.PointInTimeRecoveryEnabled !== 'boolean') {
      throw validation(
        "1 validation error detected: Value null at 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to satisfy constraint: Member must not be null",
      );
    }
    const days = spec.RecoveryPeriodInDays ?? 35;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 35) {
      throw validation(
        `1 validation error detected: Value '${String(days)}' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value between 1 and 35`,
      );
    }
    const { db, clock } = this.parts;
    if (!spec.PointInTimeRecoveryEnabled)
      db.prepare('DELETE FROM dynamodb_pitr WHERE table_name = ?').run(table);
    else {
      db.prepare(
        'INSERT INTO dynamodb_pitr (table_name, enabled_at, days) VALUES (?, ?, ?) ON CONFLICT (table_name) DO UPDATE SET days = excluded.days',
      ).run(table, clock.now(), days);
    }
    return { ContinuousBackupsDescription: this.continuous(table) };
  }

  async createBackup(input: Json): Promise<Json> {
    const table = await this.table(input.TableName);
    const name = input.BackupName;
    if (typeof name !== 'string' || !/^[a-zA-Z0-9_.-]{3,255}$/.test(name)) {
      throw validation(
        `1 validation error detected: Value '${String(name)}' at 'backupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`,
      );
    }
    const source = (await describeTable(this.parts.dynalite, table)) as Json;
    const now = this.parts.clock.now();
    const suffix = createHash('sha256')
      .update(`${table}/${name}/${now}/${Math.random()}`)
      .digest('hex')
      .slice(0, 8);
    const row: BackupRow = {
      arn: `${this.parts.arnOf(table)}/backup/${String(now).padStart(14, '0')}-${suffix}`,
      name,
      table_name: table,
      created_at: now,
      source: JSON.stringify(source),
    };
    this.parts.db
      .prepare(
        'INSERT INTO dynamodb_backups (arn, name, table_name, created_at, source) VALUES (?, ?, ?, ?, ?)',
      )
      .run(row.arn, row.name, row.table_name, row.created_at, row.source);
    return { BackupDetails: { ...this.details(row), BackupStatus: 'CREATING' } };
  }

  describeBackup(input: Json): Json {
    return { BackupDescription: this.description(this.backup(input.BackupArn)) };
  }

  deleteBackup(input: Json): Json {
    const row = this.backup(input.BackupArn);
    this.parts.db.prepare('DELETE FROM dynamodb_backups WHERE arn = ?').run(row.arn);
    const description = this.description(row);
    return {
      BackupDescription: {
        ...description,
        BackupDetails: { ...description.BackupDetails, BackupStatus: 'DELETED' },
      },
    };
  }

  listBackups(input: Json): Json {
    const limit = input.Limit ?? 100;
    if (typeof limit !== 'number' || limit < 1 || limit > 100) {
      throw validation(
        `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100`,
      );
    }
    const lower =
      typeof input.TimeRangeLowerBound === 'number' ? input.TimeRangeLowerBound * 1000 : -Infinity;
    const upper = typeof input.TimeRangeUpperBound === 'number' ? input.TimeRangeUpperBound * 1000 : Infinity;
    const type = input.BackupType ?? 'USER';
    const rows = (
      this.parts.db.prepare('SELECT * FROM dynamodb_backups ORDER BY created_at, arn').all() as BackupRow[]
    )
      .filter((row) => input.TableName === undefined || row.table_name === input.TableName)
      .filter((row) => row.created_at >= lower && row.created_at < upper)
      .filter(() => type === 'USER' || type === 'ALL');
    const start = rows.findIndex((row) => row.arn === input.ExclusiveStartBackupArn) + 1;
    const page = rows.slice(start, start + limit);
    return {
      BackupSummaries: page.map((row) => {
        const { TableName, TableId, TableArn } = this.sourceTable(row);
        return { TableName, TableId, TableArn, ...this.details(row) };
      }),
      LastEvaluatedBackupArn: start + limit < rows.length ? page[page.length - 1].arn : undefined,
    };
  }

  /** The table is gone: its point-in-time recovery setting with it (its backups stay, as in AWS). */
  forget(table: string): void {
    this.parts.db.prepare('DELETE FROM dynamodb_pitr WHERE table_name = ?').run(table);
  }

  private continuous(table: string): Json {
    const row = this.parts.db
      .prepare('SELECT enabled_at, days FROM dynamodb_pitr WHERE table_name = ?')
      .get(table) as { enabled_at: number; days: number } | undefined;
    if (!row) {
      return {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
      };
    }
    const now = this.parts.clock.now();
    const earliest = Math.max(row.enabled_at, now - row.days * DAY_MS);
    return {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: {
        PointInTimeRecoveryStatus: 'ENABLED',
        RecoveryPeriodInDays: row.days,
        EarliestRestorableDateTime: seconds(earliest),
        LatestRestorableDateTime: seconds(Math.max(earliest, now - RESTORE_LAG_MS)),
      },
    };
  }

  private details(row: BackupRow): Json {
    return {
      BackupArn: row.arn,
      BackupName: row.name,
      BackupSizeBytes: Number(this.sourceTable(row).TableSizeBytes ?? 0),
      BackupStatus: 'AVAILABLE',
      BackupType: 'USER',
      BackupCreationDateTime: seconds(row.created_at),
    };
  }

  private sourceTable(row: BackupRow): Json {
    const source = JSON.parse(row.source) as Json;
    return {
      TableName: row.table_name,
      TableId: source.TableId,
      TableArn: this.parts.arnOf(row.table_name),
      TableSizeBytes: source.TableSizeBytes,
      KeySchema: source.KeySchema,
      TableCreationDateTime: source.CreationDateTime,
      ProvisionedThroughput: source.ProvisionedThroughput,
      ItemCount: source.ItemCount,
      BillingMode: (source.BillingModeSummary as Json | undefined)?.BillingMode ?? 'PROVISIONED',
    };
  }

  private description(row: BackupRow): { BackupDetails: Json } & Json {
    const source = JSON.parse(row.source) as Json;
    const features = {
      LocalSecondaryIndexes: source.LocalSecondaryIndexes,
      GlobalSecondaryIndexes: source.GlobalSecondaryIndexes,
    };
    return {
      BackupDetails: this.details(row),
      SourceTableDetails: this.sourceTable(row),
      SourceTableFeatureDetails: features,
    };
  }

  private backup(arn: unknown): BackupRow {
    const row = this.parts.db.prepare('SELECT * FROM dynamodb_backups WHERE arn = ?').get(String(arn)) as
      BackupRow | undefined;
    if (!row) throw new DynamoError('BackupNotFoundException', `Backup not found: ${String(arn)}`);
    return row;
  }

  /** The named table; the backup calls answer TableNotFoundException for one that does not exist. */
  private async table(name: unknown): Promise<string> {
    const table = typeof name === 'string' ? await describeTable(this.parts.dynalite, name) : undefined;
    if (!table) throw new DynamoError('TableNotFoundException', `Table not found: ${String(name)}`);
    return name as string;
  }
}

/** DescribeLimits: AWS's default quotas for an account and a table (us-east-1). */
export const describeLimits = (): Json => ({
  AccountMaxReadCapacityUnits: 80000,
  AccountMaxWriteCapacityUnits: 80000,
  TableMaxReadCapacityUnits: 40000,
  TableMaxWriteCapacityUnits: 40000,
});

/** DescribeEndpoints: the regional endpoint, cached for a day. */
export const describeEndpoints = (region: string): Json => ({
  Endpoints: [{ Address: `dynamodb.${region}.amazonaws.com`, CachePeriodInMinutes: 1440 }],
});
