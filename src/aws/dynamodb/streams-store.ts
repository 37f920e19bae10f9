import { createHash } from 'node:crypto';
import type { Db } from '../../state/database';
import type { KeyElement } from './items';

/** AWS keeps stream records for 24 hours. */
const RETENTION_MS = 24 * 60 * 60 * 1000;

/** Sequence numbers are the row id after this offset: increasing decimal strings of 21 digits. */
const SEQUENCE_BASE = 10n ** 20n;

export interface StreamInfo {
  arn: string;
  tableName: string;
  /** The stream's label, an ISO timestamp without zone (`2024-05-01T12:00:00.000`). */
  label: string;
  viewType: string;
  keySchema: KeyElement[];
  enabled: boolean;
  /** The one shard of the stream. */
  shardId: string;
}

/** A stream record as the wire carries it, before its sequence number is given. */
export interface NewRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  userIdentity?: { Type: string; PrincipalId: string };
  dynamodb: Record<string, unknown>;
  /** The trace header of the call that wrote it (`lambda/write-causes.ts`); not part of the record. */
  cause?: string;
}

interface StreamRow {
  arn: string;
  table_name: string;
  label: string;
  view_type: string;
  key_schema: string;
  enabled: number;
  created_at: number;
}

export const sequenceNumber = (seq: number | bigint) => (SEQUENCE_BASE + BigInt(seq)).toString();

/** The row id of a sequence number, or undefined when it is not one of ours. */
export function sequenceOf(sequenceNumber: string): number | undefined {
  if (!/^\d{21,40}$/.test(sequenceNumber)) return undefined;
  const seq = BigInt(sequenceNumber) - SEQUENCE_BASE;
  return seq >= 0n && seq <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seq) : undefined;
}

/** The streams of the tables and their records, in the state database (`dynamodb_streams_*`). */
export class StreamsStore {
  constructor(private readonly db: Db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS dynamodb_streams_streams (
        arn TEXT PRIMARY KEY,
        table_name TEXT NOT NULL,
        label TEXT NOT NULL,
        view_type TEXT NOT NULL,
        key_schema TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS dynamodb_streams_streams_table ON dynamodb_streams_streams (table_name, created_at);
      CREATE TABLE IF NOT EXISTS dynamodb_streams_records (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        stream_arn TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        record TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS dynamodb_streams_records_stream ON dynamodb_streams_records (stream_arn, seq);
      CREATE INDEX IF NOT EXISTS dynamodb_streams_records_age ON dynamodb_streams_records (created_at);
    `);
  }

  /** The table's newest stream, enabled or not. */
  latest(tableName: string): StreamInfo | undefined {
    const row = this.db
      .prepare(
        'SELECT * FROM dynamodb_streams_streams WHERE table_name = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
      )
      .get(tableName) as StreamRow | undefined;
    return row && info(row);
  }

  /** The table's stream when it is enabled. */
  enabled(tableName: string): StreamInfo | undefined {
    const stream = this.latest(tableName);
    return stream?.enabled ? stream : undefined;
  }

  get(arn: string): StreamInfo | undefined {
    const row = this.db.prepare('SELECT * FROM dynamodb_streams_streams WHERE arn = ?').get(arn) as
      StreamRow | undefined;
    return row && info(row);
  }

  list(tableName?: string): StreamInfo[] {
    const rows = (
      tableName === undefined
        ? this.db.prepare('SELECT * FROM dynamodb_streams_streams ORDER BY table_name, created_at').all()
        : this.db
            .prepare('SELECT * FROM dynamodb_streams_streams WHERE table_name = ? ORDER BY created_at')
            .all(tableName)
    ) as StreamRow[];
    return rows.map(info);
  }

  /** A new enabled stream for the table; its label is its creation time, unique for the table. */
  create(tableArn: string, tableName: string, viewType: string, keySchema: KeyElement[], now: number) {
    const previous = this.latest(tableName);
    const createdAt = previous && previous.label >= label(now) ? labelTime(previous.label) + 1 : now;
    this.db
      .prepare(
        'INSERT INTO dynamodb_streams_streams (arn, table_name, label, view_type, key_schema, enabled, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)',
      )
      .run(
        `${tableArn}/stream/${label(createdAt)}`,
        tableName,
        label(createdAt),
        viewType,
        JSON.stringify(keySchema),
        createdAt,
      );
    return this.enabled(tableName) as StreamInfo;
  }

  disable(tableName: string): void {
    this.db.prepare('UPDATE dynamodb_streams_streams SET enabled = 0 WHERE table_name = ?').run(tableName);
  }

  /** Appends records in order, dropping those older than the retention period. */
  append(arn: string, records: NewRecord[], now: number): void {
    const insert = this.db.prepare(
      'INSERT INTO dynamodb_streams_records (stream_arn, created_at, record) VALUES (?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const record of records) insert.run(arn, now, JSON.stringify(record));
      this.db.prepare('DELETE FROM dynamodb_streams_records WHERE created_at < ?').run(now - RETENTION_MS);
    })();
  }

  /** Up to `limit` records after the row id `after`, with their sequence numbers. */
  read(arn: string, after: number, limit: number): Array<{ seq: number; record: NewRecord }> {
    const rows = this.db
      .prepare(
        'SELECT seq, record FROM dynamodb_streams_records WHERE stream_arn = ? AND seq > ? ORDER BY seq LIMIT ?',
      )
      .all(arn, after, limit) as Array<{ seq: number; record: string }>;
    return rows.map((row) => ({ seq: row.seq, record: JSON.parse(row.record) as NewRecord }));
  }

  /** The row ids of the stream's first and last retained records. */
  range(arn: string): { first?: number; last?: number } {
    const row = this.db
      .prepare(
        'SELECT MIN(seq) AS first, MAX(seq) AS last FROM dynamodb_streams_records WHERE stream_arn = ?',
      )
      .get(arn) as { first: number | null; last: number | null };
    return { first: row.first ?? undefined, last: row.last ?? undefined };
  }

  /** The row id of the last record written to any stream (a LATEST iterator starts after it). */
  lastSeq(): number {
    const row = this.db.prepare('SELECT MAX(seq) AS last FROM dynamodb_streams_records').get() as {
      last: number | null;
    };
    return row.last ?? 0;
  }
}

const label = (ms: number) => new Date(ms).toISOString().slice(0, -1);
const labelTime = (text: string) => Date.parse(`${text}Z`);

function info(row: StreamRow): StreamInfo {
  const hash = createHash('sha256').update(row.arn).digest('hex').slice(0, 8);
  return {
    arn: row.arn,
    tableName: row.table_name,
    label: row.label,
    viewType: row.view_type,
    keySchema: JSON.parse(row.key_schema) as KeyElement[],
    enabled: row.enabled === 1,
    shardId: `shardId-${String(row.created_at).padStart(20, '0')}-${hash}`,
  };
}
