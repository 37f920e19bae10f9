import type { Statement } from 'better-sqlite3';
import { addMissingColumns, type Db } from '../../state/database';
import { shardRanges, type HashKeyRange } from './hash-keys';
import { shardIdOf } from './positions';

export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';

export interface Shard {
  index: number;
  id: string;
  range: HashKeyRange;
  /** The counter of the shard's last record (0 before the first); a closed shard's ending one. */
  last: number;
  /** The shards this one was split from or merged from (indexes). */
  parent?: number;
  adjacentParent?: number;
  /** Epoch milliseconds: when the shard opened, and when a split or merge closed it. */
  createdAt: number;
  closedAt?: number;
}

/** A shard a split or merge opens. */
export interface NewShard {
  range: HashKeyRange;
  parent: number;
  adjacentParent?: number;
}

export interface Stream {
  /** Row id: part of sequence numbers and iterators, so a stream created again is a new one. */
  id: number;
  name: string;
  arn: string;
  mode: StreamMode;
  retentionHours: number;
  /** Epoch milliseconds. */
  createdAt: number;
  shards: Shard[];
}

export interface NewStream {
  name: string;
  arn: string;
  shardCount: number;
  mode: StreamMode;
  createdAt: number;
}

export interface StoredRecord {
  counter: number;
  partitionKey: string;
  data: Buffer;
  /** Epoch milliseconds. */
  arrival: number;
  /** The trace header of the call that wrote it (`lambda/write-causes.ts`). */
  cause: string | null;
}

/** A record to append to one of a stream's shards. */
export interface Append {
  shard: Shard;
  partitionKey: string;
  data: Buffer;
}

const DEFAULT_RETENTION_HOURS = 24;

/** The shards records go to, in hash key order. */
export const openShards = (stream: Stream): Shard[] =>
  stream.shards
    .filter((shard) => shard.closedAt === undefined)
    .sort((a, b) => (a.range.start < b.range.start ? -1 : a.range.start > b.range.start ? 1 : 0));

/** When the oldest record a stream still holds at `now` may have arrived (epoch milliseconds). */
export const retentionStart = (stream: Stream, now: number) => now - stream.retentionHours * 3_600_000;

interface StreamRow {
  id: number;
  name: string;
  arn: string;
  mode: StreamMode;
  retention_hours: number;
  created_at: number;
}

interface ShardRow {
  shard: number;
  starting_hash_key: string;
  ending_hash_key: string;
  last_counter: number;
  parent: number | null;
  adjacent_parent: number | null;
  created_at: number | null;
  closed_at: number | null;
}

/** Columns resharding added to `kinesis_shards`: a database from before gets them, empty. */
const LINEAGE_COLUMNS = [
  'parent INTEGER',
  'adjacent_parent INTEGER',
  'created_at INTEGER',
  'closed_at INTEGER',
];

/** The column write causes added to `kinesis_records`. */
const CAUSE_COLUMNS = ['cause TEXT'];

/**
 * Kinesis streams, their shards and records in the state database. The streams are also kept in
 * memory (this store is their only writer), so a put or a read costs no lookup query.
 */
export class KinesisStore {
  private readonly streams = new Map<string, Stream>();
  private readonly statements: {
    insertStream: Statement;
    insertShard: Statement;
    insertChild: Statement;
    closeShard: Statement;
    updateShard: Statement;
    insertRecord: Statement;
    readRecords: Statement;
    firstAt: Statement;
    deleteStream: Statement;
    deleteShards: Statement;
    deleteRecords: Statement;
    deleteExpired: Statement;
  };

  constructor(private readonly db: Db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS kinesis_streams (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        arn TEXT NOT NULL UNIQUE,
        mode TEXT NOT NULL,
        retention_hours INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS kinesis_shards (
        stream_id INTEGER NOT NULL,
        shard INTEGER NOT NULL,
        starting_hash_key TEXT NOT NULL,
        ending_hash_key TEXT NOT NULL,
        last_counter INTEGER NOT NULL,
        PRIMARY KEY (stream_id, shard)
      );
      CREATE TABLE IF NOT EXISTS kinesis_records (
        stream_id INTEGER NOT NULL,
        shard INTEGER NOT NULL,
        counter INTEGER NOT NULL,
        partition_key TEXT NOT NULL,
        data BLOB NOT NULL,
        arrival INTEGER NOT NULL,
        PRIMARY KEY (stream_id, shard, counter)
      ) WITHOUT ROWID;
    `);
    addMissingColumns(db, 'kinesis_shards', LINEAGE_COLUMNS);
    addMissingColumns(db, 'kinesis_records', CAUSE_COLUMNS);
    this.statements = {
      insertStream: db.prepare(
        `INSERT INTO kinesis_streams (name, arn, mode, retention_hours, created_at) VALUES (?, ?, ?, ?, ?)`,
      ),
      insertShard: db.prepare(
        `INSERT INTO kinesis_shards (stream_id, shard, starting_hash_key, ending_hash_key, last_counter, created_at)
         VALUES (?, ?, ?, ?, 0, ?)`,
      ),
      insertChild: db.prepare(
        `INSERT INTO kinesis_shards
           (stream_id, shard, starting_hash_key, ending_hash_key, last_counter, parent, adjacent_parent, created_at)
         VALUES (?, ?, ?, ?, 0, ?, ?, ?)`,
      ),
      closeShard: db.prepare(`UPDATE kinesis_shards SET closed_at = ? WHERE stream_id = ? AND shard = ?`),
      updateShard: db.prepare(`UPDATE kinesis_shards SET last_counter = ? WHERE stream_id = ? AND shard = ?`),
      insertRecord: db.prepare(
        `INSERT INTO kinesis_records (stream_id, shard, counter, partition_key, data, arrival, cause)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      readRecords: db.prepare(
        `SELECT counter, partition_key AS partitionKey, data, arrival, cause FROM kinesis_records
         WHERE stream_id = ? AND shard = ? AND counter >= ? AND arrival >= ? ORDER BY counter LIMIT ?`,
      ),
      firstAt: db.prepare(
        `SELECT counter FROM kinesis_records WHERE stream_id = ? AND shard = ? AND arrival >= ?
         ORDER BY counter LIMIT 1`,
      ),
      deleteStream: db.prepare(`DELETE FROM kinesis_streams WHERE id = ?`),
      deleteShards: db.prepare(`DELETE FROM kinesis_shards WHERE stream_id = ?`),
      deleteRecords: db.prepare(`DELETE FROM kinesis_records WHERE stream_id = ?`),
      deleteExpired: db.prepare(`DELETE FROM kinesis_records WHERE stream_id = ? AND arrival < ?`),
    };
    this.load();
  }

  private load(): void {
    const shards = this.db.prepare(`SELECT * FROM kinesis_shards WHERE stream_id = ? ORDER BY shard`);
    for (const row of this.db.prepare(`SELECT * FROM kinesis_streams`).all() as StreamRow[]) {
      this.streams.set(row.name, {
        id: row.id,
        name: row.name,
        arn: row.arn,
        mode: row.mode,
        retentionHours: row.retention_hours,
        createdAt: row.created_at,
        shards: (shards.all(row.id) as ShardRow[]).map((shard) => ({
          index: shard.shard,
          id: shardIdOf(shard.shard),
          range: { start: BigInt(shard.starting_hash_key), end: BigInt(shard.ending_hash_key) },
          last: shard.last_counter,
          parent: shard.parent ?? undefined,
          adjacentParent: shard.adjacent_parent ?? undefined,
          createdAt: shard.created_at ?? row.created_at,
          closedAt: shard.closed_at ?? undefined,
        })),
      });
    }
  }

  /** Every stream, by name. */
  list(): Stream[] {
    return [...this.streams.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  byName(name: string): Stream | undefined {
    return this.streams.get(name);
  }

  byArn(arn: string): Stream | undefined {
    return [...this.streams.values()].find((stream) => stream.arn === arn);
  }

  byId(id: number): Stream | undefined {
    return [...this.streams.values()].find((stream) => stream.id === id);
  }

  create(spec: NewStream): Stream {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.statements.insertStream.run(
        spec.name,
        spec.arn,
        spec.mode,
        DEFAULT_RETENTION_HOURS,
        spec.createdAt,
      );
      const id = Number(lastInsertRowid);
      const shards = shardRanges(spec.shardCount).map((range, index) => {
        this.statements.insertShard.run(
          id,
          index,
          range.start.toString(),
          range.end.toString(),
          spec.createdAt,
        );
        return { index, id: shardIdOf(index), range, last: 0, createdAt: spec.createdAt };
      });
      const stream: Stream = { ...spec, id, retentionHours: DEFAULT_RETENTION_HOURS, shards };
      this.streams.set(stream.name, stream);
      return stream;
    })();
  }

  /**
   * Closes `parents` and opens `children` (a split or a merge) at `now`, in one transaction; a
   * closed shard keeps its records and its last counter, which is its ending sequence number.
   */
  reshard(stream: Stream, parents: Shard[], children: NewShard[], now: number): Shard[] {
    const opened: Shard[] = children.map((child, i) => ({
      index: stream.shards.length + i,
      id: shardIdOf(stream.shards.length + i),
      range: child.range,
      last: 0,
      parent: child.parent,
      adjacentParent: child.adjacentParent,
      createdAt: now,
    }));
    this.db.transaction(() => {
      for (const parent of parents) this.statements.closeShard.run(now, stream.id, parent.index);
      for (const shard of opened) {
        this.statements.insertChild.run(
          stream.id,
          shard.index,
          shard.range.start.toString(),
          shard.range.end.toString(),
          shard.parent,
          shard.adjacentParent ?? null,
          now,
        );
      }
    })();
    for (const parent of parents) parent.closedAt = now;
    stream.shards.push(...opened);
    return opened;
  }

  /** Runs `work` in one transaction (nested ones are savepoints). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  setRetention(stream: Stream, hours: number): void {
    this.db.prepare('UPDATE kinesis_streams SET retention_hours = ? WHERE id = ?').run(hours, stream.id);
    stream.retentionHours = hours;
  }

  delete(stream: Stream): void {
    this.db.transaction(() => {
      this.statements.deleteRecords.run(stream.id);
      this.statements.deleteShards.run(stream.id);
      this.statements.deleteStream.run(stream.id);
    })();
    this.streams.delete(stream.name);
  }

  /**
   * Appends records in one transaction; returns each one's counter, in order. `cause`: the trace header
   * of the call that wrote them.
   */
  append(stream: Stream, records: Append[], arrival: number, cause?: string): number[] {
    const last = new Map<Shard, number>();
    const counters = records.map(({ shard }) => {
      const counter = (last.get(shard) ?? shard.last) + 1;
      last.set(shard, counter);
      return counter;
    });
    this.db.transaction(() => {
      records.forEach(({ shard, partitionKey, data }, i) =>
        this.statements.insertRecord.run(
          stream.id,
          shard.index,
          counters[i],
          partitionKey,
          data,
          arrival,
          cause ?? null,
        ),
      );
      for (const [shard, counter] of last) this.statements.updateShard.run(counter, stream.id, shard.index);
    })();
    for (const [shard, counter] of last) shard.last = counter;
    return counters;
  }

  /** Up to `limit` records of a shard from counter `from`, leaving out those that arrived before `since`. */
  read(stream: Stream, shard: Shard, from: number, since: number, limit: number): StoredRecord[] {
    return this.statements.readRecords.all(stream.id, shard.index, from, since, limit) as StoredRecord[];
  }

  /** The counter of a shard's first record that arrived at or after `time`, if any. */
  firstArrivedAt(stream: Stream, shard: Shard, time: number): number | undefined {
    const row = this.statements.firstAt.get(stream.id, shard.index, time) as { counter: number } | undefined;
    return row?.counter;
  }

  /** Removes the records that arrived before `before`. */
  deleteExpired(stream: Stream, before: number): void {
    this.statements.deleteExpired.run(stream.id, before);
  }
}
