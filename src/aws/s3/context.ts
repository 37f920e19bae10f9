import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../clock';
import { requestTraceHeader, type AwsRequest } from '../endpoint';
import { accessKeyOf } from './addressing';
import { invalidArgument, noSuchBucket, S3Error } from './errors';
import { header } from './headers';
import type { ObjectHappening, S3EventName, S3Notifier } from './notifications';
import type { BucketRecord, ObjectRecord, S3Store } from './store';
import type { UploadStore } from './upload-store';

/** One request to S3, addressed: the bucket and key it names and the ids its answer carries. */
export interface S3Call {
  request: AwsRequest;
  bucket: string;
  key: string;
  requestId: string;
  hostId: string;
}

/** What every operation works with; shared by the operation groups of one S3Service. */
export class S3Context {
  constructor(
    readonly store: S3Store,
    readonly uploads: UploadStore,
    readonly notifier: S3Notifier,
    readonly region: string,
    readonly accountId: string,
    private readonly clock: Clock,
  ) {
    this.ownerId = createHash('sha256').update(`owner:${accountId}`).digest('hex');
  }

  private readonly ownerId: string;

  now(): Date {
    return new Date(this.clock.now());
  }

  /** The current time to the second, as S3 records Last-Modified (ISO). */
  lastModifiedNow(): string {
    return new Date(Math.floor(this.clock.now() / 1000) * 1000).toISOString();
  }

  bucket(name: string): BucketRecord {
    const bucket = this.store.bucket(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  /**
   * The version a write makes in the bucket: a new id while versioning is Enabled, else the `null`
   * version; `seq` orders it after every earlier version (the clock's time, then a counter).
   */
  newVersion(bucket: string): { versionId: string; seq: string } {
    const sequence = this.store.nextSequence(BigInt(this.clock.now()) << 16n, 'version');
    const seq = sequence.toString(16).padStart(16, '0');
    if (this.bucket(bucket).versioning !== 'Enabled') return { versionId: 'null', seq };
    // 32 URL-safe characters, as S3's ids: the sequence first, then random bytes.
    const id = Buffer.concat([Buffer.from(seq, 'hex'), randomBytes(16)]).toString('base64url');
    return { versionId: id, seq };
  }

  /** `x-amz-version-id` as S3 sends it: once the bucket has a versioning state, `null` included. */
  versionHeaders(bucket: string, versionId: string): Record<string, string> {
    return this.store.bucket(bucket)?.versioning ? { 'x-amz-version-id': versionId } : {};
  }

  /** The owner S3 lists (canonical user id): stable per account. */
  owner(): { ID: string } {
    return { ID: this.ownerId };
  }

  /**
   * Tells the notifier about a created or removed object; `principal` stands for the request's
   * signer when the credential is not in its headers (a POST Object's form fields).
   */
  async happened(
    call: S3Call,
    eventName: S3EventName,
    key: string,
    object?: ObjectRecord,
    principal = accessKeyOf(call.request),
    versionId = object?.versionId,
  ): Promise<void> {
    const happening: ObjectHappening = {
      eventName,
      bucket: call.bucket,
      region: this.bucket(call.bucket).region,
      key,
      object: object && { size: object.size, etag: object.etag },
      versionId: versionId !== undefined && versionId !== 'null' ? versionId : undefined,
      requestId: call.requestId,
      hostId: call.hostId,
      principal,
      sourceIp: (header(call.request, 'x-forwarded-for') ?? '127.0.0.1').split(',')[0].trim(),
      traceHeader: requestTraceHeader(call.request),
    };
    await this.notifier.notify(happening);
  }
}

/** S3 object keys are at most 1024 bytes of UTF-8. */
export function checkKey(key: string): void {
  const size = Buffer.byteLength(key);
  if (size > 1024)
    throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', { Size: size, MaxSizeAllowed: 1024 });
}

/** A part number, 1 to 10000 (UploadPart, UploadPartCopy, GetObject's and HeadObject's partNumber). */
export function checkPartNumber(text: string): number {
  const partNumber = Number(text);
  if (!/^\d+$/.test(text) || partNumber < 1 || partNumber > 10000) {
    throw invalidArgument(
      'Part number must be an integer between 1 and 10000, inclusive',
      'partNumber',
      text,
    );
  }
  return partNumber;
}
