import type { Db } from '../../state/database';

export interface Consumer {
  name: string;
  arn: string;
  streamArn: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

interface ConsumerRow {
  name: string;
  arn: string;
  stream_arn: string;
  created_at: number;
}

export interface Encryption {
  type: 'NONE' | 'KMS';
  keyId?: string;
}

/**
 * What a stream has besides its shards and records, in the state database: its tags
 * (`kinesis_tags`), its registered consumers (`kinesis_consumers`), its encryption and the shard-level
 * metrics enhanced monitoring is on for (`kinesis_stream_options`). Keyed by the stream's row id, so a
 * stream created again has none.
 */
export class SettingsStore {
  constructor(private readonly db: Db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS kinesis_tags (
        stream_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (stream_id, key)
      );
      CREATE TABLE IF NOT EXISTS kinesis_consumers (
        arn TEXT PRIMARY KEY, stream_id INTEGER NOT NULL, stream_arn TEXT NOT NULL, name TEXT NOT NULL,
        created_at INTEGER NOT NULL, UNIQUE (stream_id, name)
      );
      CREATE TABLE IF NOT EXISTS kinesis_stream_options (
        stream_id INTEGER PRIMARY KEY, encryption_key TEXT, metrics TEXT NOT NULL DEFAULT '[]'
      );
    `);
  }

  /** The stream's tags, by key in key order. */
  tags(streamId: number): Array<{ Key: string; Value: string }> {
    return this.db
      .prepare('SELECT key AS Key, value AS Value FROM kinesis_tags WHERE stream_id = ? ORDER BY key')
      .all(streamId) as Array<{ Key: string; Value: string }>;
  }

  setTags(streamId: number, tags: Record<string, string>): void {
    const upsert = this.db.prepare(
      'INSERT INTO kinesis_tags (stream_id, key, value) VALUES (?, ?, ?) ON CONFLICT (stream_id, key) DO UPDATE SET value = excluded.value',
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(tags)) upsert.run(streamId, key, value);
    })();
  }

  removeTags(streamId: number, keys: string[]): void {
    const remove = this.db.prepare('DELETE FROM kinesis_tags WHERE stream_id = ? AND key = ?');
    this.db.transaction(() => {
      for (const key of keys) remove.run(streamId, key);
    })();
  }

  consumers(streamId: number): Consumer[] {
    const rows = this.db
      .prepare('SELECT * FROM kinesis_consumers WHERE stream_id = ? ORDER BY created_at, name')
      .all(streamId) as ConsumerRow[];
    return rows.map(consumerOf);
  }

  consumerByArn(arn: string): Consumer | undefined {
    const row = this.db.prepare('SELECT * FROM kinesis_consumers WHERE arn = ?').get(arn) as
      ConsumerRow | undefined;
    return row && consumerOf(row);
  }

  addConsumer(streamId: number, consumer: Consumer): void {
    this.db
      .prepare(
        'INSERT INTO kinesis_consumers (arn, stream_id, stream_arn, name, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(consumer.arn, streamId, consumer.streamArn, consumer.name, consumer.createdAt);
  }

  removeConsumer(arn: string): void {
    this.db.prepare('DELETE FROM kinesis_consumers WHERE arn = ?').run(arn);
  }

  encryption(streamId: number): Encryption {
    const row = this.options(streamId);
    return row?.encryption_key ? { type: 'KMS', keyId: row.encryption_key } : { type: 'NONE' };
  }

  setEncryption(streamId: number, keyId: string | undefined): void {
    this.ensureOptions(streamId);
    this.db
      .prepare('UPDATE kinesis_stream_options SET encryption_key = ? WHERE stream_id = ?')
      .run(keyId ?? null, streamId);
  }

  metrics(streamId: number): string[] {
    return JSON.parse(this.options(streamId)?.metrics ?? '[]') as string[];
  }

  setMetrics(streamId: number, metrics: string[]): void {
    this.ensureOptions(streamId);
    this.db
      .prepare('UPDATE kinesis_stream_options SET metrics = ? WHERE stream_id = ?')
      .run(JSON.stringify(metrics), streamId);
  }

  /** The stream is deleted: what it had with it. */
  forget(streamId: number): void {
    this.db.transaction(() => {
      for (const table of ['kinesis_tags', 'kinesis_consumers', 'kinesis_stream_options'])
        this.db.prepare(`DELETE FROM ${table} WHERE stream_id = ?`).run(streamId);
    })();
  }

  private options(streamId: number) {
    return this.db
      .prepare('SELECT encryption_key, metrics FROM kinesis_stream_options WHERE stream_id = ?')
      .get(streamId) as { encryption_key: string | null; metrics: string } | undefined;
  }

  private ensureOptions(streamId: number): void {
    this.db.prepare('INSERT OR IGNORE INTO kinesis_stream_options (stream_id) VALUES (?)').run(streamId);
  }
}

function consumerOf(row: ConsumerRow): Consumer {
  return { name: row.name, arn: row.arn, streamArn: row.stream_arn, createdAt: row.created_at };
}
