import type { AwsResponse } from '../endpoint';
import { checksumElements, copiedChecksum, md5, type Checksum } from './checksums';
import { etagMatches } from './conditions';
import { checkKey, type S3Call, type S3Context } from './context';
import { copySourceOf } from './copy-source';
import { malformedXml, noSuchKey, preconditionFailed, S3Error } from './errors';
import { header, metadataFromRequest, type ObjectMetadata } from './headers';
import type { S3EventName } from './notifications';
import { readPayload } from './payload';
import type { ObjectRecord } from './store';
import { childrenNamed, childText, parseBody, xmlResponse, type XmlNode } from './xml';

/** PutObject, CopyObject, DeleteObject and DeleteObjects, each followed by its notifications. */
export class ObjectWrites {
  constructor(private readonly s3: S3Context) {}

  async putObject(call: S3Call): Promise<AwsResponse> {
    this.s3.bucket(call.bucket);
    checkKey(call.key);
    const payload = readPayload(call.request);
    this.checkWriteConditions(call);
    const record = await this.write(call, {
      eventName: 'ObjectCreated:Put',
      key: call.key,
      data: payload.data,
      metadata: metadataFromRequest(call.request, this.s3.owner().ID),
      checksum: payload.checksum,
    });
    return { status: 200, headers: writtenHeaders(record) };
  }

  /**
   * Stores an object whose bytes arrived whole (MD5 ETag, metadata, bytes on disk) and notifies
   * `eventName`: the write path of PutObject and POST Object.
   */
  async write(call: S3Call, object: NewObject): Promise<ObjectRecord> {
    const record: ObjectRecord = {
      bucket: call.bucket,
      key: object.key,
      size: object.data.length,
      etag: `"${md5(object.data).toString('hex')}"`,
      lastModified: this.s3.lastModifiedNow(),
      ...object.metadata,
      checksum: object.checksum,
    };
    this.s3.store.putObject(record, object.data);
    await this.s3.happened(call, object.eventName, object.key, record, object.principal);
    return record;
  }

  /**
   * CopyObject: metadata COPY or REPLACE (`x-amz-metadata-directive`), tags COPY or REPLACE
   * (`x-amz-tagging-directive`); the ACL, the storage class (STANDARD) and the checksum
   * (`x-amz-checksum-algorithm`, else the source's algorithm) are the copy's own, as S3 makes them.
   */
  async copyObject(call: S3Call): Promise<AwsResponse> {
    this.s3.bucket(call.bucket);
    checkKey(call.key);
    const source = copySourceOf(this.s3, call);
    const replace = directive(call, 'x-amz-metadata-directive') === 'REPLACE';
    const storageClass = header(call.request, 'x-amz-storage-class');
    if (source.bucket === call.bucket && source.key === call.key && !replace && storageClass === undefined) {
      throw new S3Error(
        400,
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    const requested = metadataFromRequest(call.request, this.s3.owner().ID);
    const metadata = replace ? requested : source;
    const data = this.s3.store.read(source);
    const record: ObjectRecord = {
      bucket: call.bucket,
      key: call.key,
      size: data.length,
      etag: `"${md5(data).toString('hex')}"`,
      lastModified: this.s3.lastModifiedNow(),
      contentType: metadata.contentType,
      userMetadata: metadata.userMetadata,
      headers: metadata.headers,
      storageClass: storageClass ?? 'STANDARD',
      tags: directive(call, 'x-amz-tagging-directive') === 'REPLACE' ? requested.tags : source.tags,
      acl: requested.acl,
      checksum: copiedChecksum(call, source, data),
    };
    this.s3.store.putObject(record, data);
    await this.s3.happened(call, 'ObjectCreated:Copy', call.key, record);
    return xmlResponse('CopyObjectResult', {
      ETag: record.etag,
      LastModified: record.lastModified,
      ...checksumElements(record.checksum),
    });
  }

  /** 204 whether or not the key existed; only a removed object is notified. */
  async deleteObject(call: S3Call): Promise<AwsResponse> {
    this.s3.bucket(call.bucket);
    const removed = this.s3.store.deleteObject(call.bucket, call.key);
    if (removed) await this.s3.happened(call, 'ObjectRemoved:Delete', call.key);
    return { status: 204 };
  }

  /** The `<Delete><Quiet/><Object><Key/></Object>...</Delete>` body, up to 1000 keys. */
  async deleteObjects(call: S3Call): Promise<AwsResponse> {
    this.s3.bucket(call.bucket);
    const document = parseBody(readPayload(call.request).data, 'Delete');
    const quiet = childText(document, 'Quiet')?.trim() === 'true';
    const keys = childrenNamed(document, 'Object').map((o) => childText(o, 'Key'));
    if (keys.length === 0 || keys.length > 1000 || keys.some((k) => k === undefined)) throw malformedXml();
    const deleted: XmlNode[] = [];
    for (const key of keys as string[]) {
      if (this.s3.store.deleteObject(call.bucket, key)) {
        await this.s3.happened(call, 'ObjectRemoved:Delete', key);
      }
      deleted.push({ Key: key });
    }
    return xmlResponse('DeleteResult', { Deleted: quiet ? undefined : deleted });
  }

  /** Conditional writes: `If-None-Match: *` (only if absent) and `If-Match: <etag>` (only if that). */
  private checkWriteConditions(call: S3Call): void {
    const ifNoneMatch = header(call.request, 'if-none-match');
    const ifMatch = header(call.request, 'if-match');
    if (ifNoneMatch === undefined && ifMatch === undefined) return;
    const existing = this.s3.store.object(call.bucket, call.key);
    if (ifNoneMatch !== undefined && existing) throw preconditionFailed('If-None-Match');
    if (ifMatch !== undefined) {
      if (!existing) throw noSuchKey(call.key);
      if (!etagMatches(ifMatch, existing.etag)) throw preconditionFailed('If-Match');
    }
  }
}

/** What a whole-object write stores, and the event it notifies. */
export interface NewObject {
  eventName: S3EventName;
  key: string;
  data: Buffer;
  metadata: ObjectMetadata;
  checksum?: Checksum;
  /** The signer, when not the request's (see S3Context.happened). */
  principal?: string;
}

/** The headers that answer a write: its ETag and the checksum it was sent with. */
export function writtenHeaders(record: ObjectRecord): Record<string, string> {
  const headers: Record<string, string> = { etag: record.etag };
  if (record.checksum) headers[`x-amz-checksum-${record.checksum.algorithm}`] = record.checksum.value;
  return headers;
}

/** A copy directive (`COPY`, the default, or `REPLACE`). */
function directive(call: S3Call, name: string): string {
  return (header(call.request, name) ?? 'COPY').toUpperCase();
}
