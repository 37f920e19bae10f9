import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../state/database';
import type { ObjectMetadata } from './headers';

export interface UploadRecord extends ObjectMetadata {
  uploadId: string;
  bucket: string;
  key: string;
  /** ISO time the upload was created. */
  initiated: string;
}

export interface PartRecord {
  partNumber: number;
  size: number;
  /** Quoted MD5 hex of the part. */
  etag: string;
  lastModified: string;
  /** Absolute path of the part's bytes. */
  file: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS s3_uploads (
    upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL, initiated TEXT NOT NULL,
    metadata TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS s3_parts (
    upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, file TEXT NOT NULL, size INTEGER NOT NULL,
    etag TEXT NOT NULL, last_modified TEXT NOT NULL, PRIMARY KEY (upload_id, part_number)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS s3_completed_uploads (
    upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL, etag TEXT NOT NULL
  );
`;

/** An upload that CompleteMultipartUpload finished: what a repeated completion answers. */
export interface CompletedUpload {
  bucket: string;
  key: string;
  etag: string;
}

/** Multipart uploads in progress: their metadata in `s3_uploads`/`s3_parts`, parts as files. */
export class UploadStore {
  constructor(
    private readonly db: Db,
    private readonly dir: string,
    private readonly tmpDir: string,
  ) {
    db.exec(SCHEMA);
    mkdirSync(dir, { recursive: true });
    // Parts of uploads that were never recorded, or whose removal a killed process did not finish.
    const known = new Set(this.db.prepare('SELECT upload_id FROM s3_uploads').pluck().all() as string[]);
    for (const folder of readdirSync(dir)) {
      if (!known.has(folder)) rmSync(path.join(dir, folder), { recursive: true, force: true });
    }
  }

  create(upload: UploadRecord): void {
    const { uploadId, bucket, key, initiated, ...metadata } = upload;
    this.db
      .prepare('INSERT INTO s3_uploads (upload_id, bucket, key, initiated, metadata) VALUES (?, ?, ?, ?, ?)')
      .run(uploadId, bucket, key, initiated, JSON.stringify(metadata));
  }

  upload(uploadId: string): UploadRecord | undefined {
    const row = this.db.prepare('SELECT * FROM s3_uploads WHERE upload_id = ?').get(uploadId);
    return row ? toUpload(row as UploadRow) : undefined;
  }

  uploads(bucket: string): UploadRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM s3_uploads WHERE bucket = ? ORDER BY key, initiated')
      .all(bucket);
    return (rows as UploadRow[]).map(toUpload);
  }

  /** Stores a part (replacing an earlier one with its number), its file first. */
  putPart(uploadId: string, part: Omit<PartRecord, 'file'>, data: Buffer): void {
    const folder = path.join(this.dir, uploadId);
    mkdirSync(folder, { recursive: true });
    const temp = path.join(this.tmpDir, randomUUID());
    writeFileSync(temp, data);
    const file = `${part.partNumber}-${randomUUID()}`;
    renameSync(temp, path.join(folder, file));
    const previous = this.parts(uploadId).find((p) => p.partNumber === part.partNumber);
    this.db
      .prepare(
        `INSERT OR REPLACE INTO s3_parts (upload_id, part_number, file, size, etag, last_modified)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(uploadId, part.partNumber, file, part.size, part.etag, part.lastModified);
    if (previous) rmSync(previous.file, { force: true });
  }

  parts(uploadId: string): PartRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM s3_parts WHERE upload_id = ? ORDER BY part_number')
      .all(uploadId) as PartRow[];
    return rows.map((row) => ({
      partNumber: row.part_number,
      size: row.size,
      etag: row.etag,
      lastModified: row.last_modified,
      file: path.join(this.dir, uploadId, row.file),
    }));
  }

  /** Forgets a completed upload, remembering the object it made (`completed`). */
  complete(uploadId: string, object: CompletedUpload): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO s3_completed_uploads (upload_id, bucket, key, etag) VALUES (?, ?, ?, ?)',
      )
      .run(uploadId, object.bucket, object.key, object.etag);
    this.remove(uploadId);
  }

  /** The object a completed upload made, if it was completed. */
  completed(uploadId: string): CompletedUpload | undefined {
    return this.db
      .prepare('SELECT bucket, key, etag FROM s3_completed_uploads WHERE upload_id = ?')
      .get(uploadId) as CompletedUpload | undefined;
  }

  /** Forgets the upload and removes its parts' files (after completion or abort). */
  remove(uploadId: string): void {
    this.db.prepare('DELETE FROM s3_parts WHERE upload_id = ?').run(uploadId);
    this.db.prepare('DELETE FROM s3_uploads WHERE upload_id = ?').run(uploadId);
    rmSync(path.join(this.dir, uploadId), { recursive: true, force: true });
  }
}

interface UploadRow {
  upload_id: string;
  bucket: string;
  key: string;
  initiated: string;
  metadata: string;
}

interface PartRow {
  part_number: number;
  file: string;
  size: number;
  etag: string;
  last_modified: string;
}

function toUpload(row: UploadRow): UploadRecord {
  return {
    uploadId: row.upload_id,
    bucket: row.bucket,
    key: row.key,
    initiated: row.initiated,
    ...(JSON.parse(row.metadata) as ObjectMetadata),
  };
}
