import type { AwsResponse } from '../endpoint';
import { checksumElements, copiedChecksum, md5, type Checksum } from './checksums';
import { etagMatches } from './conditions';
import { checkKey, type S3Call, type S3Context } from './context';
import { copySourceOf, copySourceVersionHeaders } from './copy-source';
import { checkVersionId, malformedXml, noSuchKey, preconditionFailed, S3Error } from './errors';
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
    return { status: 200, headers: writtenHeaders(this.s3, record) };
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
      ...this.s3.newVersion(call.bucket),
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
      ...this.s3.newVersion(call.bucket),
    };
    this.s3.store.putObject(record, data);
    await this.s3.happened(call, 'ObjectCreated:Copy', call.key, record);
    const response = xmlResponse('CopyObjectResult', {
      ETag: record.etag,
      LastModified: record.lastModified,
      ...checksumElements(record.checksum),
    });
    response.headers = {
      ...response.headers,
      ...copySourceVersionHeaders(this.s3, source),
      ...this.s3.versionHeaders(call.bucket, record.versionId),
    };
    return response;
  }

  /**
   * 204 whether or not the key existed. With `versionId`, that version is removed for good; without
   * one, a versioned bucket gets a delete marker as the key's current version (`null` while
   * versioning is suspended) and an unversioned one loses the object. Only a change is notified.
   */
  async deleteObject(call: S3Call): Promise<AwsResponse> {
    this.s3.bucket(call.bucket);
    const versionId = call.request.query.get('versionId') ?? undefined;
    const outcome = await this.remove(
      call,
      call.key,
      versionId === undefined ? undefined : checkVersionId(versionId),
    );
    const headers: Record<string, string> = {};
    if (outcome.deleteMarker) headers['x-amz-delete-marker'] = 'true';
    if (outcome.versionId !== undefined) headers['x-amz-version-id'] = outcome.versionId;
    return { status: 204, headers };
  }

  /**
   * The `<Delete><Quiet/><Object><Key/><VersionId/></Object>...</Delete>` body, up to 1000 objects;
   * each deleted as DeleteObject deletes it.
   */
  async deleteObjects(call: S3Call): Promise<AwsResponse> {
    this.s3.bucket(call.bucket);
    const document = parseBody(readPayload(call.request).data, 'Delete');
    const quiet = childText(document, 'Quiet')?.trim() === 'true';
    const objects = childrenNamed(document, 'Object').map((o) => ({
      key: childText(o, 'Key'),
      versionId: childText(o, 'VersionId'),
    }));
    if (objects.length === 0 || objects.length > 1000 || objects.some((o) => o.key === undefined))
      throw malformedXml();
    const deleted: XmlNode[] = [];
    const errors: XmlNode[] = [];
    for (const { key, versionId } of objects as Array<{ key: string; versionId?: string }>) {
      if (versionId !== undefined && !validVersionId(versionId)) {
        errors.push({
          Key: key,
          VersionId: versionId,
          Code: 'NoSuchVersion',
          Message: 'The specified version does not exist.',
        });
        continue;
      }
      const outcome = await this.remove(call, key, versionId);
      deleted.push({
        Key: key,
        VersionId: versionId,
        DeleteMarker: outcome.deleteMarker ? true : undefined,
        DeleteMarkerVersionId: outcome.deleteMarker ? outcome.versionId : undefined,
      });
    }
    return xmlResponse('DeleteResult', {
      Deleted: quiet ? undefined : deleted,
      Error: errors.length ? errors : undefined,
    });
  }

  /**
   * One key's delete; answers the version it concerns (the one removed, or the delete marker made)
   * and whether that is a delete marker.
   */
  private async remove(
    call: S3Call,
    key: string,
    versionId: string | undefined,
  ): Promise<{ versionId?: string; deleteMarker: boolean }> {
    const bucket = this.s3.bucket(call.bucket);
    if (versionId !== undefined) {
      const removed = this.s3.store.deleteVersion(call.bucket, key, versionId);
      if (removed) await this.s3.happened(call, 'ObjectRemoved:Delete', key, undefined, undefined, versionId);
      return { versionId, deleteMarker: removed?.deleteMarker === true };
    }
    if (!bucket.versioning) {
      if (this.s3.store.deleteObject(call.bucket, key))
        await this.s3.happened(call, 'ObjectRemoved:Delete', key);
      return { deleteMarker: false };
    }
    const version = this.s3.newVersion(call.bucket);
    this.s3.store.putDeleteMarker({
      bucket: call.bucket,
      key,
      ...version,
      lastModified: this.s3.lastModifiedNow(),
      deleteMarker: true,
    });
    await this.s3.happened(
      call,
      'ObjectRemoved:DeleteMarkerCreated',
      key,
      undefined,
      undefined,
      version.versionId,
    );
    return { versionId: version.versionId, deleteMarker: true };
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

/** The headers that answer a write: its ETag, its version and the checksum it was sent with. */
export function writtenHeaders(s3: S3Context, record: ObjectRecord): Record<string, string> {
  const headers: Record<string, string> = {
    etag: record.etag,
    ...s3.versionHeaders(record.bucket, record.versionId),
  };
  if (record.checksum) headers[`x-amz-checksum-${record.checksum.algorithm}`] = record.checksum.value;
  return headers;
}

/** A copy directive (`COPY`, the default, or `REPLACE`). */
function directive(call: S3Call, name: string): string {
  return (header(call.request, name) ?? 'COPY').toUpperCase();
}

function validVersionId(versionId: string): boolean {
  try {
    checkVersionId(versionId);
    return true;
  } catch {
    return false;
  }
}
