import type { AwsResponse } from '../endpoint';
import type { S3Call, S3Context } from './context';
import { invalidArgument } from './errors';
import { encodeKey } from './notifications';
import type { ObjectRecord } from './store';
import { xmlResponse, type XmlNode } from './xml';

interface Page {
  contents: ObjectRecord[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  last?: string;
}

interface PageRequest {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** Return only what sorts after this key or common prefix. */
  after: string;
}

/** ListObjectsV2 and ListObjects (v1) with prefix, delimiter and pagination, as S3 pages them. */
export class Listing {
  constructor(private readonly s3: S3Context) {}

  listObjectsV2(call: S3Call): AwsResponse {
    this.s3.bucket(call.bucket);
    const { query } = call.request;
    const params = this.common(call);
    const token = query.get('continuation-token');
    const startAfter = query.get('start-after') ?? undefined;
    const after = token !== null ? decodeToken(token) : (startAfter ?? '');
    const page = this.page(call.bucket, { ...params, after });
    const encode = params.encode;
    const fetchOwner = query.get('fetch-owner') === 'true';
    return xmlResponse('ListBucketResult', {
      Name: call.bucket,
      Prefix: encode(params.prefix),
      ContinuationToken: token ?? undefined,
      NextContinuationToken: page.truncated && page.last !== undefined ? encodeToken(page.last) : undefined,
      StartAfter: startAfter === undefined ? undefined : encode(startAfter),
      KeyCount: page.contents.length + page.prefixes.length,
      MaxKeys: params.maxKeys,
      Delimiter: params.delimiter ? encode(params.delimiter) : undefined,
      EncodingType: params.encodingType,
      IsTruncated: page.truncated,
      Contents: page.contents.map((r) => this.entry(r, encode, fetchOwner)),
      CommonPrefixes: page.prefixes.map((p) => ({ Prefix: encode(p) })),
    });
  }

  /** v1 pages by `marker`; NextMarker is sent only with a delimiter (S3 documents it so). */
  listObjects(call: S3Call): AwsResponse {
    this.s3.bucket(call.bucket);
    const params = this.common(call);
    const marker = call.request.query.get('marker') ?? '';
    const page = this.page(call.bucket, { ...params, after: marker });
    const encode = params.encode;
    return xmlResponse('ListBucketResult', {
      Name: call.bucket,
      Prefix: encode(params.prefix),
      Marker: encode(marker),
      NextMarker:
        page.truncated && params.delimiter && page.last !== undefined ? encode(page.last) : undefined,
      MaxKeys: params.maxKeys,
      Delimiter: params.delimiter ? encode(params.delimiter) : undefined,
      EncodingType: params.encodingType,
      IsTruncated: page.truncated,
      Contents: page.contents.map((r) => this.entry(r, encode, true)),
      CommonPrefixes: page.prefixes.map((p) => ({ Prefix: encode(p) })),
    });
  }

  private common(call: S3Call) {
    const { query } = call.request;
    const encodingType = query.get('encoding-type') ?? undefined;
    if (encodingType !== undefined && encodingType !== 'url') {
      throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
    }
    const maxKeysText = query.get('max-keys') ?? '1000';
    const maxKeys = Number(maxKeysText);
    if (!/^\d+$/.test(maxKeysText) || !Number.isSafeInteger(maxKeys)) {
      throw invalidArgument(
        'Provided max-keys not an integer or within integer range',
        'max-keys',
        maxKeysText,
      );
    }
    return {
      prefix: query.get('prefix') ?? '',
      delimiter: query.get('delimiter') ?? '',
      maxKeys: Math.min(maxKeys, 1000),
      encodingType,
      encode: encodingType === 'url' ? encodeKey : (s: string) => s,
    };
  }

  private entry(record: ObjectRecord, encode: (s: string) => string, withOwner: boolean): XmlNode {
    return {
      Key: encode(record.key),
      LastModified: record.lastModified,
      ETag: record.etag,
      ChecksumAlgorithm: record.checksum?.algorithm.toUpperCase(),
      Size: record.size,
      Owner: withOwner ? this.s3.owner() : undefined,
      StorageClass: record.storageClass,
    };
  }

  /**
   * One page of keys in UTF-8 binary order. With a delimiter, keys that contain it after the prefix
   * roll up into one common prefix, which counts once towards max-keys; a page that ends on a common
   * prefix resumes after every key under it.
   */
  private page(bucket: string, { prefix, delimiter, maxKeys, after }: PageRequest): Page {
    const page: Page = { contents: [], prefixes: [], truncated: false };
    if (maxKeys === 0) return page;
    let skip = delimiter && after.startsWith(prefix) && rollsUp(after, prefix, delimiter) ? after : undefined;
    for (const record of this.s3.store.keys(bucket, after, prefix)) {
      if (!record.key.startsWith(prefix)) break;
      if (skip !== undefined && record.key.startsWith(skip)) continue;
      const at = delimiter ? record.key.indexOf(delimiter, prefix.length) : -1;
      if (page.contents.length + page.prefixes.length === maxKeys) {
        page.truncated = true;
        break;
      }
      if (at >= 0) {
        const common = record.key.slice(0, at + delimiter.length);
        page.prefixes.push(common);
        page.last = common;
        skip = common;
      } else {
        page.contents.push(record);
        page.last = record.key;
      }
    }
    return page;
  }
}

/** Whether `value` is itself a common prefix: it ends with the first delimiter after the prefix. */
function rollsUp(value: string, prefix: string, delimiter: string): boolean {
  const at = value.indexOf(delimiter, prefix.length);
  return at >= 0 && at === value.length - delimiter.length;
}

function encodeToken(last: string): string {
  return Buffer.from(`v1:${last}`, 'utf8').toString('base64');
}

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith('v1:')) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return text.slice(3);
}
