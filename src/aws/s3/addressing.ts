import type { AwsRequest } from '../endpoint';
import { credentialScope } from '../signature';
import { invalidUri } from './errors';
import { header } from './headers';

/** The bucket and key a request addresses; neither for ListBuckets, no key for bucket operations. */
export interface S3Address {
  bucket?: string;
  key?: string;
}

/** Lambda's REST APIs (`/2015-03-31/functions/...`, ...) and API Gateway's `@connections`. */
const OTHER_REST_PATHS = /^\/(?:20\d\d-\d\d-\d\d\/|@connections(?:\/|$))/;

/**
 * Whether a request is for S3, which serves what no other AWS API claims: not a JSON protocol
 * (`X-Amz-Target`), not a Query protocol (`Action=`), not signed for another service's credential
 * scope, and not one of Lambda's or API Gateway's REST paths (unless signed for S3).
 */
export function isS3Request(request: AwsRequest): boolean {
  const service = credentialScope(request)?.service;
  if (service !== undefined) return service === 's3';
  if (header(request, 'x-amz-target') !== undefined) return false;
  if (request.query.has('Action')) return false;
  const contentType = header(request, 'content-type') ?? '';
  if (
    contentType.startsWith('application/x-www-form-urlencoded') &&
    /(?:^|&)Action=/.test(request.body.toString('latin1', 0, 4096))
  ) {
    return false;
  }
  return !OTHER_REST_PATHS.test(request.path);
}

/** The access key the request was signed with (SigV4, or SigV2's `AWS <key>:<signature>`). */
export function accessKeyOf(request: AwsRequest): string | undefined {
  const authorization = header(request, 'authorization') ?? '';
  const credential =
    /Credential=([^/,\s]+)/.exec(authorization)?.[1] ?? /^AWS ([^:]+):/.exec(authorization)?.[1];
  return credential ?? request.query.get('X-Amz-Credential')?.split('/')[0] ?? undefined;
}

/**
 * Path-style (`/bucket/key`) or virtual-hosted-style (`Host: bucket.s3.<region>.amazonaws.com`,
 * `bucket.s3.localhost.localstack.cloud`, `bucket.localhost:4566`) addressing; a path that does not
 * decode is S3's InvalidURI.
 */
export function addressOf(request: AwsRequest): S3Address {
  const segments = request.path.slice(1);
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw invalidUri(request.path);
    }
  };
  const hostBucket = bucketFromHost(header(request, 'host') ?? '');
  if (hostBucket !== undefined) {
    return { bucket: hostBucket, key: segments === '' ? undefined : decode(segments) };
  }
  if (segments === '') return {};
  const slash = segments.indexOf('/');
  if (slash < 0) return { bucket: decode(segments) };
  const key = segments.slice(slash + 1);
  return { bucket: decode(segments.slice(0, slash)), key: key === '' ? undefined : decode(key) };
}

function bucketFromHost(host: string): string | undefined {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  if (/^s3[.-]/.test(name) || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return undefined;
  const s3 = /^(.+?)\.s3[.-]/.exec(name);
  if (s3) return s3[1];
  const local = /^(.+)\.localhost$/.exec(name);
  return local ? local[1] : undefined;
}
