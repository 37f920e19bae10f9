import { statementCache, type Db } from '../../state/database';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events_tags (
  arn TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (arn, key));
CREATE TABLE IF NOT EXISTS events_bus_policies (bus TEXT PRIMARY KEY, policy TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events_archives (name TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events_archived (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, archive TEXT NOT NULL, time INTEGER NOT NULL, event TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_archived_by_archive ON events_archived (archive, time);
CREATE TABLE IF NOT EXISTS events_replays (name TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events_connections (name TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events_api_destinations (name TEXT PRIMARY KEY, doc TEXT NOT NULL);
`;

/** The tables of resources kept as one JSON document each, by name. */
export type DocumentTable =
  'events_archives' | 'events_replays' | 'events_connections' | 'events_api_destinations';

export interface Tag {
  Key: string;
  Value: string;
}

/**
 * EventBridge's resources beyond buses, rules and targets, in the state database like them so that
 * they survive a restart: tags (of rules and buses, by ARN), bus policies, archives with the events
 * they keep, replays, connections and API destinations.
 */
export class ResourcesStore {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
    db.exec(SCHEMA);
  }

  tags(arn: string): Tag[] {
    const rows = this.sql('SELECT key, value FROM events_tags WHERE arn = ? ORDER BY key').all(arn) as {
      key: string;
      value: string;
    }[];
    return rows.map((row) => ({ Key: row.key, Value: row.value }));
  }

  tag(arn: string, tags: Tag[]): void {
    const upsert = this.sql(
      'INSERT INTO events_tags (arn, key, value) VALUES (?, ?, ?) ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value',
    );
    this.db.transaction(() => tags.forEach((tag) => upsert.run(arn, tag.Key, tag.Value)))();
  }

  untag(arn: string, keys?: string[]): void {
    if (keys === undefined) {
      this.sql('DELETE FROM events_tags WHERE arn = ?').run(arn);
      return;
    }
    const remove = this.sql('DELETE FROM events_tags WHERE arn = ? AND key = ?');
    this.db.transaction(() => keys.forEach((key) => remove.run(arn, key)))();
  }

  policy(bus: string): string | undefined {
    const row = this.sql('SELECT policy FROM events_bus_policies WHERE bus = ?').get(bus) as
      { policy: string } | undefined;
    return row?.policy;
  }

  setPolicy(bus: string, policy: string | undefined): void {
    if (policy === undefined) this.sql('DELETE FROM events_bus_policies WHERE bus = ?').run(bus);
    else {
      this.sql(
        'INSERT INTO events_bus_policies (bus, policy) VALUES (?, ?) ON CONFLICT (bus) DO UPDATE SET policy = excluded.policy',
      ).run(bus, policy);
    }
  }

  get<T>(table: DocumentTable, name: string): T | undefined {
    const row = this.sql(`SELECT doc FROM ${table} WHERE name = ?`).get(name) as { doc: string } | undefined;
    return row && (JSON.parse(row.doc) as T);
  }

  list<T>(table: DocumentTable): T[] {
    const rows = this.sql(`SELECT doc FROM ${table} ORDER BY name`).all() as { doc: string }[];
    return rows.map((row) => JSON.parse(row.doc) as T);
  }

  /** False when `onlyNew` and a document of that name exists. */
  put(table: DocumentTable, name: string, doc: unknown, onlyNew = false): boolean {
    const sql = onlyNew
      ? `INSERT OR IGNORE INTO ${table} (name, doc) VALUES (?, ?)`
      : `INSERT INTO ${table} (name, doc) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET doc = excluded.doc`;
    return this.sql(sql).run(name, JSON.stringify(doc)).changes > 0;
  }

  delete(table: DocumentTable, name: string): void {
    this.sql(`DELETE FROM ${table} WHERE name = ?`).run(name);
    if (table === 'events_archives') this.sql('DELETE FROM events_archived WHERE archive = ?').run(name);
  }

  archiveEvent(archive: string, time: number, event: unknown): void {
    this.sql('INSERT INTO events_archived (archive, time, event) VALUES (?, ?, ?)').run(
      archive,
      time,
      JSON.stringify(event),
    );
  }

  /** The archive's events whose time is in [from, to), oldest first. */
  archivedEvents(archive: string, from: number, to: number): { time: number; event: unknown }[] {
    const rows = this.sql(
      'SELECT time, event FROM events_archived WHERE archive = ? AND time >= ? AND time < ? ORDER BY time, seq',
    ).all(archive, from, to) as { time: number; event: string }[];
    return rows.map((row) => ({ time: row.time, event: JSON.parse(row.event) }));
  }

  archiveSize(archive: string): { count: number; bytes: number } {
    const row = this.sql(
      'SELECT COUNT(*) AS count, COALESCE(SUM(LENGTH(event)), 0) AS bytes FROM events_archived WHERE archive = ?',
    ).get(archive) as { count: number; bytes: number };
    return row;
  }

  /** Drops the events kept longer than their archive's retention (0 days keeps them for ever). */
  expire(archive: string, retentionDays: number, now: number): void {
    if (retentionDays <= 0) return;
    this.sql('DELETE FROM events_archived WHERE archive = ? AND time < ?').run(
      archive,
      now - retentionDays * 86_400_000,
    );
  }
}
