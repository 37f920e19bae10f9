import type { AwsResponse } from '../endpoint';
import type { S3Call, S3Context } from './context';
import { invalidArgument, S3Error } from './errors';
import { isValidBucketName } from './from-model';
import { childText, parseBody, xmlResponse } from './xml';
import { requestRegion } from '../signature';

/** CreateBucket, ListBuckets, HeadBucket, DeleteBucket and the bucket settings clients read. */
export class BucketOperations {
  constructor(private readonly s3: S3Context) {}

  /**
   * ListBuckets in name order, filtered by `prefix` and `bucket-region`, paged by `max-buckets`
   * (1 to 10000) and `continuation-token` (the next page's token is ContinuationToken).
   */
  listBuckets(call: S3Call): AwsResponse {
    const { query } = call.request;
    const prefix = query.get('prefix') ?? undefined;
    const region = query.get('bucket-region') ?? undefined;
    const maxText = query.get('max-buckets');
    const max = maxText === null ? Infinity : Number(maxText);
    if (maxText !== null && (!/^\d+$/.test(maxText) || max < 1 || max > 10000)) {
      throw invalidArgument(
        'Argument max-buckets must be an integer between 1 and 10000.',
        'max-buckets',
        maxText,
      );
    }
    const token = query.get('continuation-token');
    const after = token === null ? '' : Buffer.from(token, 'base64url').toString('utf8');
    const matching = this.s3.store
      .buckets()
      .filter(
        (b) =>
          b.name > after &&
          (prefix === undefined || b.name.startsWith(prefix)) &&
          (region === undefined || b.region === region),
      );
    const page = matching.slice(0, max);
    const next = matching.length > page.length ? page[page.length - 1].name : undefined;
    return xmlResponse('ListAllMyBucketsResult', {
      Owner: this.s3.owner(),
      Buckets: {
        Bucket: page.map((b) => ({ Name: b.name, CreationDate: b.created, BucketRegion: b.region })),
      },
      ContinuationToken: next === undefined ? undefined : Buffer.from(next, 'utf8').toString('base64url'),
      Prefix: prefix,
    });
  }

  /**
   * In us-east-1 S3 answers 200 to re-creating a bucket you own (legacy behaviour); in every other
   * region it answers 409 BucketAlreadyOwnedByYou.
   */
  createBucket(call: S3Call): AwsResponse {
    if (!isValidBucketName(call.bucket)) {
      throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', {
        BucketName: call.bucket,
      });
    }
    const configuration = call.request.body.length
      ? parseBody(call.request.body, 'CreateBucketConfiguration')
      : undefined;
    const region = bucketRegion(
      (configuration && childText(configuration, 'LocationConstraint')) || undefined,
      requestRegion(call.request),
      this.s3.region,
    );
    const existing = this.s3.store.bucket(call.bucket);
    if (existing && existing.region !== 'us-east-1') {
      throw new S3Error(
        409,
        'BucketAlreadyOwnedByYou',
        'Your previous request to create the named bucket succeeded and you already own it.',
        { BucketName: call.bucket },
      );
    }
    this.s3.store.createBucket({ name: call.bucket, region, created: this.s3.now().toISOString() });
    return { status: 200, headers: { location: `/${call.bucket}` } };
  }

  headBucket(call: S3Call): AwsResponse {
    const bucket = this.s3.bucket(call.bucket);
    return {
      status: 200,
      headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' },
    };
  }

  /** DeleteBucket of an empty bucket; `onDeleted` forgets what else is kept of it. */
  deleteBucket(call: S3Call, onDeleted: () => void): AwsResponse {
    this.s3.bucket(call.bucket);
    if (this.s3.store.hasObjects(call.bucket)) {
      throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', {
        BucketName: call.bucket,
      });
    }
    for (const upload of this.s3.uploads.uploads(call.bucket)) this.s3.uploads.remove(upload.uploadId);
    this.s3.store.deleteBucket(call.bucket);
    onDeleted();
    return { status: 204 };
  }

  /** GetBucketLocation: empty for us-east-1, as S3 answers. */
  location(call: S3Call): AwsResponse {
    const { region } = this.s3.bucket(call.bucket);
    const constraint = region === 'us-east-1' ? '' : region;
    return xmlResponse('LocationConstraint', {}, 200, constraint);
  }
}

/**
 * The region CreateBucket puts a bucket in, as S3 decides it: the LocationConstraint, which must name
 * the region of the endpoint the request was signed for, except at us-east-1's, which takes any and
 * is the default (the constraint never names it). A request that names no real region (unsigned, or
 * signed for `localhost`) gets the constraint, else the service's region.
 */
function bucketRegion(constraint: string | undefined, requested: string | undefined, home: string): string {
  if (constraint === 'us-east-1') {
    throw new S3Error(400, 'InvalidLocationConstraint', 'The specified location-constraint is not valid', {
      LocationConstraint: constraint,
    });
  }
  if (requested === undefined) return constraint ?? home;
  if (requested === 'us-east-1') return constraint ?? requested;
  if (constraint !== requested) {
    throw new S3Error(
      400,
      'IllegalLocationConstraintException',
      `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  return constraint;
}
