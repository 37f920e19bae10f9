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
import { addMissingColumns, statementCache, type Db, type Statement } from '../../state/database';
import type { Grant } from './acl';
import type { Checksum } from './checksums';
import type { ObjectMetadata } from './headers';
import type { Tag } from './tagging';
import { UploadStore } from './upload-store';

export type VersioningStatus = 'Enabled' | 'Suspended';

export interface BucketRecord {
  name: string;
  region: string;
  /** ISO time of creation. */
  created: string;
  /** Absent while the bucket was never versioned. */
  versioning?: VersioningStatus;
  /** MFADelete as PutBucketVersioning last set it (stored, not enforced). */
  mfaDelete?: 'Enabled' | 'Disabled';
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
  /** `null` for an object written while the bucket was unversioned or suspended. */
  versionId: string;
  /** Orders the versions of a key (hex, fixed width; '' for objects stored before versioning). */
  seq: string;
}

/** A delete marker: a version without data that makes its key look deleted. */
export interface DeleteMarkerRecord {
  bucket: string;
  key: string;
  versionId: string;
  seq: string;
  lastModified: string;
  deleteMarker: true;
}

/** One version of a key: an object or a delete marker. */
export type VersionRecord = (ObjectRecord & { deleteMarker?: false }) | DeleteMarkerRecord;

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
  version_id: string;
  seq: string;
}

interface VersionRow extends ObjectRow {
  delete_marker: number;
  current: number;
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
  CREATE TABLE IF NOT EXISTS s3_versions (
    bucket TEXT NOT NULL, key TEXT NOT NULL, version_id TEXT NOT NULL, seq TEXT NOT NULL,
    delete_marker INTEGER NOT NULL, file TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
    last_modified TEXT NOT NULL, content_type TEXT NOT NULL, metadata TEXT NOT NULL,
    storage_class TEXT NOT NULL, checksum_algorithm TEXT, checksum_value TEXT, data BLOB,
    PRIMARY KEY (bucket, key, version_id)
  ) WITHOUT ROWID;
`;

/** Columns added since the first state files, each with what an older row gets (a migration). */
const ADDED_COLUMNS: Record<string, string[]> = {
  s3_objects: ['data BLOB', "version_id TEXT NOT NULL DEFAULT 'null'", "seq TEXT NOT NULL DEFAULT ''"],
  s3_buckets: ['versioning TEXT', 'mfa_delete TEXT'],
};

// The counters' floors are the clock's milliseconds shifted 16 bits: a block of a second's worth, so that
// a busy bucket writes its reservation about once a second, not at each new millisecond.
const SEQUENCE_BLOCK = 1000n << 16n;
// Objects up to this size live in their row: a small put then costs no file creation and rename.
const INLINE_MAX_BYTES = 64 * 1024;
// An object's record without its bytes.
const RECORD_COLUMNS = `bucket, key, file, size, etag, last_modified, content_type, metadata, storage_class,
  checksum_algorithm, checksum_value, version_id, seq`;
// The columns s3_objects and s3_versions share, bytes included.
const STORED_COLUMNS = `${RECORD_COLUMNS}, data`;

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
  /** Counters that only grow (`sequence`: events' sequencer; `version`: the order of versions). */
  private readonly counters = new Map<string, { last: bigint; reserved: bigint }>();
  /** The buckets table, mirrored: every request looks its bucket up. */
  private readonly bucketsByName = new Map<string, BucketRecord>();

  constructor(
    readonly db: Db,
    readonly dataDir: string,
  ) {
    this.objectsDir = path.join(dataDir, 'objects');
    this.tmpDir = path.join(dataDir, 'tmp');
    db.exec(SCHEMA);
    for (const [table, columns] of Object.entries(ADDED_COLUMNS)) addMissingColumns(db, table, columns);
    this.sql = statementCache(db);
    const buckets = this.sql(
      'SELECT name, region, created, versioning, mfa_delete FROM s3_buckets',
    ).all() as Array<
      BucketRecord & { versioning: VersioningStatus | null; mfa_delete: 'Enabled' | 'Disabled' | null }
    >;
    for (const { name, region, created, versioning, mfa_delete } of buckets) {
      this.bucketsByName.set(name, {
        name,
        region,
        created,
        versioning: versioning ?? undefined,
        mfaDelete: mfa_delete ?? undefined,
      });
    }
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

  /** PutBucketVersioning: what it sets (a status, MFADelete or both). */
  setVersioning(
    name: string,
    status: VersioningStatus | undefined,
    mfaDelete: 'Enabled' | 'Disabled' | undefined,
  ) {
    const bucket = this.bucketsByName.get(name);
    if (!bucket) return;
    if (status) bucket.versioning = status;
    if (mfaDelete) bucket.mfaDelete = mfaDelete;
    this.sql('UPDATE s3_buckets SET versioning = ?, mfa_delete = ? WHERE name = ?').run(
      bucket.versioning ?? null,
      bucket.mfaDelete ?? null,
      name,
    );
  }

  /** Whether the bucket holds an object, a noncurrent version or a delete marker. */
  hasObjects(bucket: string): boolean {
    return (
      this.sql('SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1').get(bucket) !== undefined ||
      this.sql('SELECT 1 FROM s3_versions WHERE bucket = ? LIMIT 1').get(bucket) !== undefined
    );
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
    const stored = this.storedRow(record.bucket, record.key, record.versionId);
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

  /**
   * Writes the object's bytes (a buffer, or files to concatenate), then records it as the key's
   * current version: the version it replaces becomes noncurrent, unless both are the `null` version
   * (an unversioned or suspended bucket), which is overwritten.
   */
  putObject(record: ObjectRecord, data: Buffer | string[]): void {
    const inline = Buffer.isBuffer(data) && data.length <= INLINE_MAX_BYTES ? data : null;
    const file = inline ? '' : this.writeFile(data);
    const removed = this.db.transaction(() => {
      const gone = this.retireCurrent(record.bucket, record.key, record.versionId);
      this.sql(
        `INSERT INTO s3_objects (bucket, key, file, size, etag, last_modified, content_type, metadata,
           storage_class, checksum_algorithm, checksum_value, version_id, seq, data)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        record.versionId,
        record.seq,
        inline,
      );
      return gone;
    })();
    for (const gone of removed) this.removeFile(gone);
  }

  /** Records a delete marker as the key's current version (DeleteObject without a version). */
  putDeleteMarker(marker: DeleteMarkerRecord): void {
    const removed = this.db.transaction(() => {
      const gone = this.retireCurrent(marker.bucket, marker.key, marker.versionId);
      this.sql(
        `INSERT INTO s3_versions (bucket, key, version_id, seq, delete_marker, file, size, etag, last_modified,
           content_type, metadata, storage_class) VALUES (?, ?, ?, ?, 1, '', 0, '', ?, '', '{}', '')`,
      ).run(marker.bucket, marker.key, marker.versionId, marker.seq, marker.lastModified);
      return gone;
    })();
    for (const gone of removed) this.removeFile(gone);
  }

  /**
   * Before a new current version `versionId` of the key: the current object becomes noncurrent, and a
   * version with the same id (the `null` version) is removed; answers the files no longer referenced.
   */
  private retireCurrent(bucket: string, key: string, versionId: string): string[] {
    const gone: string[] = [];
    const same = this.sql('SELECT file FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = ?').get(
      bucket,
      key,
      versionId,
    ) as { file: string } | undefined;
    if (same) {
      gone.push(same.file);
      this.sql('DELETE FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = ?').run(
        bucket,
        key,
        versionId,
      );
    }
    const current = this.sql('SELECT file, version_id FROM s3_objects WHERE bucket = ? AND key = ?').get(
      bucket,
      key,
    ) as { file: string; version_id: string } | undefined;
    if (current && current.version_id === versionId) gone.push(current.file);
    else if (current) {
      this.sql(
        `INSERT INTO s3_versions (${STORED_COLUMNS}, delete_marker)
           SELECT ${STORED_COLUMNS}, 0 FROM s3_objects WHERE bucket = ? AND key = ?`,
      ).run(bucket, key);
    }
    if (current) this.sql('DELETE FROM s3_objects WHERE bucket = ? AND key = ?').run(bucket, key);
    return gone;
  }

  /** One version of the key, current or not, object or delete marker. */
  version(bucket: string, key: string, versionId: string): VersionRecord | undefined {
    const current = this.object(bucket, key);
    if (current && current.versionId === versionId) return current;
    const row = this.sql(
      `SELECT ${RECORD_COLUMNS}, delete_marker, 0 AS current FROM s3_versions
         WHERE bucket = ? AND key = ? AND version_id = ?`,
    ).get(bucket, key, versionId) as VersionRow | undefined;
    return row ? toVersion(row) : undefined;
  }

  /** The key's current version when it is a delete marker (the key then looks deleted). */
  currentDeleteMarker(bucket: string, key: string): DeleteMarkerRecord | undefined {
    if (this.object(bucket, key)) return undefined;
    const row = this.sql(
      `SELECT ${RECORD_COLUMNS}, delete_marker, 0 AS current FROM s3_versions
         WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1`,
    ).get(bucket, key) as VersionRow | undefined;
    const version = row && toVersion(row);
    return version?.deleteMarker ? version : undefined;
  }

  /**
   * Removes one version for good; when it was current, the newest remaining version becomes current.
   * Answers what was removed, if that version was there.
   */
  deleteVersion(bucket: string, key: string, versionId: string): VersionRecord | undefined {
    const version = this.version(bucket, key, versionId);
    if (!version) return undefined;
    const file = this.db.transaction(() => {
      let stored: { file: string } | undefined;
      if (!version.deleteMarker && this.object(bucket, key)?.versionId === versionId) {
        stored = this.storedRow(bucket, key, versionId);
        this.sql('DELETE FROM s3_objects WHERE bucket = ? AND key = ?').run(bucket, key);
      } else {
        stored = this.storedRow(bucket, key, versionId);
        this.sql('DELETE FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = ?').run(
          bucket,
          key,
          versionId,
        );
      }
      this.promoteNewest(bucket, key);
      return stored?.file ?? '';
    })();
    this.removeFile(file);
    return version;
  }

  /** With no current object, the newest noncurrent version, if it is an object, becomes current. */
  private promoteNewest(bucket: string, key: string): void {
    if (this.object(bucket, key)) return;
    const newest = this.sql(
      'SELECT version_id, delete_marker FROM s3_versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1',
    ).get(bucket, key) as { version_id: string; delete_marker: number } | undefined;
    if (!newest || newest.delete_marker) return;
    this.sql(
      `INSERT INTO s3_objects (${STORED_COLUMNS})
         SELECT ${STORED_COLUMNS} FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = ?`,
    ).run(bucket, key, newest.version_id);
    this.sql('DELETE FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = ?').run(
      bucket,
      key,
      newest.version_id,
    );
  }

  /**
   * Every version of the bucket's keys from `from` on, in key order (UTF-8 binary) and for each key
   * newest first, with whether it is the key's current version; lazily.
   */
  *versions(bucket: string, from: string): Generator<{ version: VersionRecord; latest: boolean }> {
    const rows = this.db
      .prepare(
        `SELECT ${RECORD_COLUMNS}, 0 AS delete_marker, 1 AS current FROM s3_objects WHERE bucket = ? AND key >= ?
         UNION ALL
         SELECT ${RECORD_COLUMNS}, delete_marker, 0 AS current FROM s3_versions WHERE bucket = ? AND key >= ?
         ORDER BY key, current DESC, seq DESC`,
      )
      .iterate(bucket, from, bucket, from);
    let previous: string | undefined;
    for (const row of rows as Iterable<VersionRow>) {
      const latest = row.key !== previous;
      previous = row.key;
      yield { version: toVersion(row), latest };
    }
  }

  /** Rewrites what the object's record keeps besides its bytes (its tags, its ACL). */
  updateMetadata(record: ObjectRecord): void {
    const metadata = storedMetadata(record);
    this.sql('UPDATE s3_objects SET metadata = ? WHERE bucket = ? AND key = ? AND version_id = ?').run(
      metadata,
      record.bucket,
      record.key,
      record.versionId,
    );
    this.sql('UPDATE s3_versions SET metadata = ? WHERE bucket = ? AND key = ? AND version_id = ?').run(
      metadata,
      record.bucket,
      record.key,
      record.versionId,
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

  /** Removes the current object (of an unversioned bucket); answers what was removed, if anything. */
  deleteObject(bucket: string, key: string): ObjectRecord | undefined {
    const record = this.object(bucket, key);
    if (!record) return undefined;
    this.deleteVersion(bucket, key, record.versionId);
    return record;
  }

  /**
   * The next value of a counter that only grows, also across restarts (S3's event `sequencer`). The
   * database holds the top of a reserved block, written once per block: a restart starts above it.
   */
  nextSequence(floor: bigint, name: 'sequence' | 'version' = 'sequence'): bigint {
    let counter = this.counters.get(name);
    if (!counter) {
      const saved = this.sql('SELECT value FROM s3_state WHERE name = ?').get(name) as
        { value: string } | undefined;
      counter = { last: saved ? BigInt(saved.value) : 0n, reserved: saved ? BigInt(saved.value) : 0n };
      this.counters.set(name, counter);
    }
    const next = counter.last >= floor ? counter.last + 1n : floor;
    if (next > counter.reserved) {
      counter.reserved = next + SEQUENCE_BLOCK;
      this.sql('INSERT OR REPLACE INTO s3_state (name, value) VALUES (?, ?)').run(
        name,
        counter.reserved.toString(),
      );
    }
    counter.last = next;
    return next;
  }

  /** The store of multipart uploads in progress, its parts under `<dataDir>/parts`. */
  uploadStore(): UploadStore {
    return new UploadStore(this.db, path.join(this.dataDir, 'parts'), this.tmpDir);
  }

  /** Where a version's bytes are: its file's name, or (for a small object) the bytes themselves. */
  private storedRow(
    bucket: string,
    key: string,
    versionId: string,
  ): { file: string; data: Buffer | null } | undefined {
    return (this.sql('SELECT file, data FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = ?').get(
      bucket,
      key,
      versionId,
    ) ??
      this.sql('SELECT file, data FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = ?').get(
        bucket,
        key,
        versionId,
      )) as { file: string; data: Buffer | null } | undefined;
  }

  /** Files renamed into place by a process that was killed before it recorded them. */
  private removeUnrecordedFiles(): void {
    const recorded = new Set(
      (
        this.db.prepare('SELECT file FROM s3_objects UNION ALL SELECT file FROM s3_versions').all() as Array<{
          file: string;
        }>
      ).map((r) => r.file),
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
    versionId: row.version_id,
    seq: row.seq,
    checksum:
      row.checksum_algorithm && row.checksum_value
        ? { algorithm: row.checksum_algorithm as Checksum['algorithm'], value: row.checksum_value }
        : undefined,
  };
}

function toVersion(row: VersionRow): VersionRecord {
  if (!row.delete_marker) return toRecord(row);
  return {
    bucket: row.bucket,
    key: row.key,
    versionId: row.version_id,
    seq: row.seq,
    lastModified: row.last_modified,
    deleteMarker: true,
  };
}
