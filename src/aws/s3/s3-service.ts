import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { systemClock, type Clock } from '../../clock';
import type { Db } from '../../state/database';
import type { AwsRequest, AwsResponse, AwsService } from '../endpoint';
import { addressOf, isS3Request } from './addressing';
import { BucketOperations } from './buckets';
import { S3Context, type S3Call } from './context';
import { notImplemented, S3Error } from './errors';
import type { S3Notification } from './from-model';
import { header } from './headers';
import { Listing } from './listing';
import { Multipart } from './multipart';
import { S3Notifier, type Deliver, type S3Delivery } from './notifications';
import { ObjectReads } from './object-read';
import { ObjectWrites } from './object-write';
import { PostObjects } from './post-object';
import { BUCKET_SETTINGS, BucketSettings } from './bucket-settings';
import { BucketCors, validRules, type CorsRule } from './cors';
import { ObjectSettings } from './object-settings';
import { S3Store } from './store';
import { Versioning } from './versioning';
import { errorResponse } from './xml';

export interface S3ServiceOptions {
  db: Db;
  /** Where object files live (the composition root passes `<stateDir>/s3`). */
  dataDir: string;
  region: string;
  accountId: string;
  /** Buckets to create at start when missing (`bucketsFromModel`), named as the service names them. */
  buckets: string[];
  /** The CORS rules the service's `AWS::S3::Bucket` resources give, by bucket. */
  cors?: Map<string, CorsRule[]>;
  notifications: S3Notification[];
  /** Hands an S3 event to Lambda (asynchronously); called once per matching notification. */
  deliver: Deliver;
  /** Told when `deliver` throws or rejects (the write that caused the event has succeeded anyway). */
  onDeliveryError?: (error: unknown, delivery: S3Delivery) => void;
  /** Time (default: the system clock). */
  clock?: Clock;
}

/** Subresources S3 has that this emulation does not implement (answered 501 NotImplemented). */
const UNSUPPORTED = [
  'accelerate', 'analytics', 'attributes', 'intelligent-tiering', 'inventory', 'legal-hold', 'logging',
  'metrics', 'notification', 'object-lock', 'policyStatus', 'replication', 'requestPayment', 'restore',
  'retention', 'select', 'torrent', 'website',
]; // prettier-ignore

/**
 * Amazon S3 (REST-XML) on the AWS endpoint: buckets and objects stored on disk and in the state
 * database, path-style and virtual-hosted-style addressing, and bucket notifications to Lambda. It
 * serves what no other emulated API claims, so the composition root adds it last.
 */
export class S3Service implements AwsService {
  private readonly s3: S3Context;
  private readonly buckets: BucketOperations;
  private readonly reads: ObjectReads;
  private readonly writes: ObjectWrites;
  private readonly listing: Listing;
  private readonly multipart: Multipart;
  private readonly posts: PostObjects;
  private readonly cors: BucketCors;
  private readonly settings: BucketSettings;
  private readonly objectSettings: ObjectSettings;
  private readonly versioning: Versioning;

  constructor(options: S3ServiceOptions) {
    const clock = options.clock ?? systemClock;
    const store = new S3Store(options.db, path.resolve(options.dataDir));
    const notifier = new S3Notifier({
      notifications: options.notifications,
      deliver: options.deliver,
      accountId: options.accountId,
      clock,
      nextSequence: (floor) => store.nextSequence(floor),
      onDeliveryError: options.onDeliveryError,
    });
    this.s3 = new S3Context(store, store.uploadStore(), notifier, options.region, options.accountId, clock);
    for (const name of options.buckets) {
      if (!store.bucket(name))
        store.createBucket({ name, region: options.region, created: this.s3.now().toISOString() });
    }
    this.buckets = new BucketOperations(this.s3);
    this.reads = new ObjectReads(this.s3);
    this.writes = new ObjectWrites(this.s3);
    this.listing = new Listing(this.s3);
    this.multipart = new Multipart(this.s3);
    this.posts = new PostObjects(this.s3, this.writes);
    this.cors = new BucketCors(options.db);
    this.settings = new BucketSettings(options.db, this.s3);
    this.objectSettings = new ObjectSettings(this.s3);
    this.versioning = new Versioning(this.s3);
    for (const [bucket, rules] of options.cors ?? []) this.cors.set(bucket, validRules(rules));
  }

  handles(request: AwsRequest): boolean {
    return isS3Request(request);
  }

  /** A page may reach a bucket whose CORS configuration allows its origin (and ask, by preflight). */
  allowsWebPage(request: AwsRequest): boolean {
    let bucket: string | undefined;
    try {
      bucket = addressOf(request).bucket;
    } catch {
      return false;
    }
    if (bucket === undefined) return false;
    return request.method === 'OPTIONS' || this.cors.allowed(bucket, request) !== undefined;
  }

  async handle(request: AwsRequest): Promise<AwsResponse> {
    const ids = randomBytes(56);
    const requestId = ids.subarray(0, 8).toString('hex').toUpperCase();
    const hostId = ids.subarray(8).toString('base64');
    let call: S3Call = { request, bucket: '', key: '', requestId, hostId };
    let response: AwsResponse;
    try {
      const address = addressOf(request);
      call = { ...call, bucket: address.bucket ?? '', key: address.key ?? '' };
      response = await this.route(call, address.bucket !== undefined, address.key !== undefined);
    } catch (error) {
      const s3Error =
        error instanceof S3Error
          ? error
          : new S3Error(
              500,
              'InternalError',
              `We encountered an internal error: ${(error as Error).message}`,
            );
      response = errorResponse(s3Error, requestId, hostId);
      if (request.method === 'HEAD') response.body = undefined;
    }
    const cors =
      call.bucket && request.method !== 'OPTIONS' ? this.cors.allowed(call.bucket, request) : undefined;
    response.headers = {
      ...response.headers,
      ...cors,
      'x-amz-request-id': requestId,
      'x-amz-id-2': hostId,
      server: 'AmazonS3',
    };
    return response;
  }

  private route(call: S3Call, hasBucket: boolean, hasKey: boolean): AwsResponse | Promise<AwsResponse> {
    const { method, query } = call.request;
    const unsupported = UNSUPPORTED.find((name) => query.has(name));
    if (unsupported !== undefined) throw notImplemented(`?${unsupported}`);
    if (!hasBucket) {
      if (method === 'GET') return this.buckets.listBuckets(call);
      throw methodNotAllowed(method, 'SERVICE');
    }
    if (method === 'OPTIONS') return this.cors.preflight(call.bucket, call.request);
    if (!hasKey) return this.routeBucket(call);
    if (query.has('tagging')) return this.objectSettings.tagging(call);
    if (query.has('acl')) return this.objectSettings.acl(call);
    const uploadId = query.get('uploadId');
    switch (method) {
      case 'GET':
        return uploadId !== null ? this.multipart.listParts(call, uploadId) : this.reads.getObject(call);
      case 'HEAD':
        return this.reads.headObject(call);
      case 'PUT': {
        const copy = header(call.request, 'x-amz-copy-source') !== undefined;
        if (uploadId !== null) {
          const partNumber = query.get('partNumber') ?? '';
          return copy
            ? this.multipart.uploadPartCopy(call, uploadId, partNumber)
            : this.multipart.uploadPart(call, uploadId, partNumber);
        }
        return copy ? this.writes.copyObject(call) : this.writes.putObject(call);
      }
      case 'DELETE':
        return uploadId !== null ? this.multipart.abort(call, uploadId) : this.writes.deleteObject(call);
      case 'POST':
        if (query.has('uploads')) return this.multipart.create(call);
        if (uploadId !== null) return this.multipart.complete(call, uploadId);
        throw notImplemented('POST on an object');
      default:
        throw methodNotAllowed(method, 'OBJECT');
    }
  }

  private routeBucket(call: S3Call): AwsResponse | Promise<AwsResponse> {
    const { method, query } = call.request;
    const setting = BUCKET_SETTINGS.find((name) => query.has(name));
    if (setting !== undefined && ['GET', 'PUT', 'DELETE'].includes(method))
      return this.settings.handle(call, setting);
    switch (method) {
      case 'PUT': {
        if (query.has('versioning')) return this.versioning.put(call);
        if (query.has('cors'))
          return this.bucketCors(call, () => this.cors.put(call.bucket, call.request.body));
        const created = this.buckets.createBucket(call);
        this.settings.created(call);
        return created;
      }
      case 'HEAD':
        return this.buckets.headBucket(call);
      case 'DELETE':
        if (query.has('cors'))
          return this.bucketCors(call, () => {
            this.cors.delete(call.bucket);
            return { status: 204 };
          });
        return this.buckets.deleteBucket(call, () => this.settings.forget(call.bucket));
      case 'POST':
        if (query.has('delete')) return this.writes.deleteObjects(call);
        return this.posts.postObject(call);
      case 'GET':
        if (query.has('cors')) return this.bucketCors(call, () => this.cors.get(call.bucket));
        if (query.has('location')) return this.buckets.location(call);
        if (query.has('versioning')) return this.versioning.get(call);
        if (query.has('versions')) return this.versioning.list(call);
        if (query.has('uploads')) return this.multipart.listUploads(call);
        if (query.get('list-type') === '2') return this.listing.listObjectsV2(call);
        return this.listing.listObjects(call);
      default:
        throw methodNotAllowed(method, 'BUCKET');
    }
  }

  /** Put/Get/DeleteBucketCors, on a bucket that exists. */
  private bucketCors(call: S3Call, operation: () => AwsResponse): AwsResponse {
    this.s3.bucket(call.bucket);
    return operation();
  }
}

function methodNotAllowed(method: string, resourceType: string): S3Error {
  return new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', {
    Method: method,
    ResourceType: resourceType,
  });
}
