import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { statementCache, type Db, type Statement } from '../../state/database';
import type { Grant } from './acl';
import type { Checksum } from './checksums';
import type { ObjectMetadata } from './headers';
import type { Tag } from './tagging';
import { UploadStore } from './upload-store';

export interface BucketRecord {
  name: string;
  region: string;
  /** ISO time of creation. */
  created: string;
}

export interface ObjectRecord extends ObjectMetadata {
  bucket: string;
  key: string;
  size: number;
  /** Quoted, as S3 sends it: `"<md5 hex>"` or `"<md5 hex>-<parts>"`. */
  etag: string;
  /** ISO time, to the second as S3 keeps it. */
  lastModified: string;
  checksum?: Checksum;
  /** The sizes of the parts of an object completed from a multipart upload, in order. */
  parts?: number[];
}

/** What the `metadata` column holds (JSON). */
interface StoredMetadata {
  user: Record<string, string>;
  headers: Record<string, string>;
  tags?: Tag[];
  acl?: Grant[];
  parts?: number[];
}

interface ObjectRow {
  bucket: string;
  key: string;
  file: string;
  size: number;
  etag: string;
  last_modified: string;
  content_type: string;
  metadata: string;
  storage_class: string;
  checksum_algorithm: string | null;
  checksum_value: string | null;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS s3_buckets (name TEXT PRIMARY KEY, region TEXT NOT NULL, created TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS s3_objects (
    bucket TEXT NOT NULL, key TEXT NOT NULL, file TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
    last_modified TEXT NOT NULL, content_type TEXT NOT NULL, metadata TEXT NOT NULL,
    storage_class TEXT NOT NULL, checksum_algorithm TEXT, checksum_value TEXT, data BLOB,
    PRIMARY KEY (bucket, key)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS s3_state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

const SEQUENCE_BLOCK = 1000n;
// Objects up to this size live in their row: a small put then costs no file creation and rename.
const INLINE_MAX_BYTES = 64 * 1024;
// An object's record without its bytes.
const RECORD_COLUMNS = `bucket, key, file, size, etag, last_modified, content_type, metadata, storage_class,
  checksum_algorithm, checksum_value`;

/**
 * S3's state: buckets and object metadata in SQLite tables (`s3_*`). A small object's bytes are in its
 * row; a larger one's in one file under `<dataDir>/objects`, written to `<dataDir>/tmp` and renamed into
 * place before its row is recorded, so a killed emulator never records an object whose bytes are
 * incomplete.
 */
export class S3Store {
  private readonly objectsDir: string;
  private readonly tmpDir: string;
  private readonly sql: (sql: string) => Statement;
  private lastSequence: bigint;
  private reservedSequence: bigint;
  /** The buckets table, mirrored: every request looks its bucket up. */
  private readonly bucketsByName = new Map<string, BucketRecord>();

  constructor(
    readonly db: Db,
    readonly dataDir: string,
  ) {
    this.objectsDir = path.join(dataDir, 'objects');
    this.tmpDir = path.join(dataDir, 'tmp');
    db.exec(SCHEMA);
    const columns = db.prepare('PRAGMA table_info(s3_objects)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'data')) db.exec('ALTER TABLE s3_objects ADD COLUMN data BLOB');
    this.sql = statementCache(db);
    const saved = this.sql("SELECT value FROM s3_state WHERE name = 'sequence'").get() as
      { value: string } | undefined;
    this.lastSequence = this.reservedSequence = saved ? BigInt(saved.value) : 0n;
    const buckets = this.sql('SELECT name, region, created FROM s3_buckets').all() as BucketRecord[];
    for (const bucket of buckets) this.bucketsByName.set(bucket.name, bucket);
    rmSync(this.tmpDir, { recursive: true, force: true });
    mkdirSync(this.objectsDir, { recursive: true });
    mkdirSync(this.tmpDir, { recursive: true });
    this.removeUnrecordedFiles();
  }

  bucket(name: string): BucketRecord | undefined {
    return this.bucketsByName.get(name);
  }

  /** In name order (bucket names are lowercase ASCII, so code-unit order is S3's). */
  buckets(): BucketRecord[] {
    return [...this.bucketsByName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  createBucket(bucket: BucketRecord): void {
    if (this.bucketsByName.has(bucket.name)) return;
    this.sql('INSERT INTO s3_buckets (name, region, created) VALUES (?, ?, ?)').run(
      bucket.name,
      bucket.region,
      bucket.created,
    );
    this.bucketsByName.set(bucket.name, bucket);
  }

  deleteBucket(name: string): void {
    this.sql('DELETE FROM s3_buckets WHERE name = ?').run(name);
    this.bucketsByName.delete(name);
  }

  hasObjects(bucket: string): boolean {
    return this.sql('SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1').get(bucket) !== undefined;
  }

  object(bucket: string, key: string): ObjectRecord | undefined {
    const row = this.sql(`SELECT ${RECORD_COLUMNS} FROM s3_objects WHERE bucket = ? AND key = ?`).get(
      bucket,
      key,
    );
    return row ? toRecord(row as ObjectRow) : undefined;
  }

  /** The object's bytes, or the inclusive range `start`..`end` of them. */
  read(record: ObjectRecord, start = 0, end = record.size - 1): Buffer {
    const stored = this.storedRow(record.bucket, record.key);
    if (!stored) throw new Error(`no data recorded for s3://${record.bucket}/${record.key}`);
    if (stored.data) return stored.data.subarray(start, end + 1);
    const length = Math.max(0, end - start + 1);
    const buffer = Buffer.alloc(length);
    const fd = openSync(path.join(this.objectsDir, stored.file), 'r');
    try {
      let done = 0;
      while (done < length) {
        const n = readSync(fd, buffer, done, length - done, start + done);
        if (n === 0) break;
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    return buffer;
  }

  /**
   * Keys of the bucket in S3's order (UTF-8 binary) after `after` and from `from` on, lazily: a
   * listing reads only as many rows as it returns.
   */
  *keys(bucket: string, after: string, from: string): Generator<ObjectRecord> {
    const rows = this.db
      .prepare(
        `SELECT ${RECORD_COLUMNS} FROM s3_objects WHERE bucket = ? AND key > ? AND key >= ? ORDER BY key`,
      )
      .iterate(bucket, after, from);
    for (const row of rows) yield toRecord(row as ObjectRow);
  }

  /** Writes the object's bytes (a buffer, or files to concatenate), then records it. */
  putObject(record: ObjectRecord, data: Buffer | string[]): void {
    const inline = Buffer.isBuffer(data) && data.length <= INLINE_MAX_BYTES ? data : null;
    const file = inline ? '' : this.writeFile(data);
    const previous = this.storedRow(record.bucket, record.key);
    this.sql(
      `INSERT OR REPLACE INTO s3_objects (bucket, key, file, size, etag, last_modified, content_type, metadata,
           storage_class, checksum_algorithm, checksum_value, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      record.bucket,
      record.key,
      file,
      record.size,
      record.etag,
      record.lastModified,
      record.contentType,
      storedMetadata(record),
      record.storageClass,
      record.checksum?.algorithm ?? null,
      record.checksum?.value ?? null,
      inline,
    );
    if (previous) this.removeFile(previous.file);
  }

  /** Rewrites what the object's record keeps besides its bytes (its tags, its ACL). */
  updateMetadata(record: ObjectRecord): void {
    this.sql('UPDATE s3_objects SET metadata = ? WHERE bucket = ? AND key = ?').run(
      storedMetadata(record),
      record.bucket,
      record.key,
    );
  }

  /** Writes bytes to a new file under `objects/` (through `tmp/`); answers its name. */
  private writeFile(data: Buffer | string[]): string {
    const temp = path.join(this.tmpDir, randomUUID());
    if (Buffer.isBuffer(data)) writeFileSync(temp, data);
    else {
      writeFileSync(temp, Buffer.alloc(0));
      for (const file of data) appendFileSync(temp, readFileSync(file));
    }
    const file = randomUUID();
    renameSync(temp, path.join(this.objectsDir, file));
    return file;
  }

  private removeFile(file: string): void {
    if (file) rmSync(path.join(this.objectsDir, file), { force: true });
  }

  /** Removes the object; answers what was removed, if anything was there. */
  deleteObject(bucket: string, key: string): ObjectRecord | undefined {
    const record = this.object(bucket, key);
    const stored = this.storedRow(bucket, key);
    if (!record || !stored) return undefined;
    this.sql('DELETE FROM s3_objects WHERE bucket = ? AND key = ?').run(bucket, key);
    this.removeFile(stored.file);
    return record;
  }

  /**
   * The next value of a counter that only grows, also across restarts (S3's event `sequencer`). The
   * database holds the top of a reserved block, written once per block: a restart starts above it.
   */
  nextSequence(floor: bigint): bigint {
    const next = this.lastSequence >= floor ? this.lastSequence + 1n : floor;
    if (next > this.reservedSequence) {
      this.reservedSequence = next + SEQUENCE_BLOCK;
      this.sql("INSERT OR REPLACE INTO s3_state (name, value) VALUES ('sequence', ?)").run(
        this.reservedSequence.toString(),
      );
    }
    this.lastSequence = next;
    return next;
  }

  /** The store of multipart uploads in progress, its parts under `<dataDir>/parts`. */
  uploadStore(): UploadStore {
    return new UploadStore(this.db, path.join(this.dataDir, 'parts'), this.tmpDir);
  }

  /** Where the object's bytes are: its file's name, or (for a small object) the bytes themselves. */
  private storedRow(bucket: string, key: string): { file: string; data: Buffer | null } | undefined {
    return this.sql('SELECT file, data FROM s3_objects WHERE bucket = ? AND key = ?').get(bucket, key) as
      { file: string; data: Buffer | null } | undefined;
  }

  /** Files renamed into place by a process that was killed before it recorded them. */
  private removeUnrecordedFiles(): void {
    const recorded = new Set(
      (this.db.prepare('SELECT file FROM s3_objects').all() as Array<{ file: string }>).map((r) => r.file),
    );
    for (const file of readdirSync(this.objectsDir)) {
      if (!recorded.has(file)) rmSync(path.join(this.objectsDir, file), { force: true });
    }
  }
}

function storedMetadata(record: ObjectRecord): string {
  const metadata: StoredMetadata = {
    user: record.userMetadata,
    headers: record.headers,
    tags: record.tags,
    acl: record.acl,
    parts: record.parts,
  };
  return JSON.stringify(metadata);
}

function toRecord(row: ObjectRow): ObjectRecord {
  const metadata = JSON.parse(row.metadata) as StoredMetadata;
  return {
    bucket: row.bucket,
    key: row.key,
    size: row.size,
    etag: row.etag,
    lastModified: row.last_modified,
    contentType: row.content_type,
    userMetadata: metadata.user,
    headers: metadata.headers,
    storageClass: row.storage_class,
    tags: metadata.tags,
    acl: metadata.acl,
    parts: metadata.parts,
    checksum:
      row.checksum_algorithm && row.checksum_value
        ? { algorithm: row.checksum_algorithm as Checksum['algorithm'], value: row.checksum_value }
        : undefined,
  };
}
