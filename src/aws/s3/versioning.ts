import type { AwsResponse } from '../endpoint';
import type { S3Call, S3Context } from './context';
import { checkVersionId, invalidArgument, malformedXml, noSuchVersion, S3Error } from './errors';
import { header, httpDate } from './headers';
import { encodeKey } from './notifications';
import type { ObjectRecord, VersionRecord } from './store';
import { childText, parseBody, xmlResponse, type XmlNode } from './xml';

/**
 * The version a request's `versionId` names, undefined when it names none: NoSuchVersion for an id
 * the key never had, and 405 MethodNotAllowed for a delete marker, with the headers S3 gives it.
 */
export function namedVersion(s3: S3Context, call: S3Call): ObjectRecord | undefined {
  const versionId = call.request.query.get('versionId');
  if (versionId === null) return undefined;
  const version = s3.store.version(call.bucket, call.key, checkVersionId(versionId));
  if (!version) throw noSuchVersion(call.key, versionId);
  if (version.deleteMarker) {
    throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', {
      Method: call.request.method,
      ResourceType: 'DeleteMarker',
    }).withHeaders({
      'x-amz-delete-marker': 'true',
      'x-amz-version-id': version.versionId,
      'last-modified': httpDate(version.lastModified),
      allow: 'DELETE',
    });
  }
  return version;
}

/** PutBucketVersioning, GetBucketVersioning and ListObjectVersions. */
export class Versioning {
  constructor(private readonly s3: S3Context) {}

  /**
   * `<VersioningConfiguration><Status/><MfaDelete/></VersioningConfiguration>`: Status Enabled or
   * Suspended (a bucket never goes back to unversioned). MfaDelete is kept, as S3 keeps it, only when
   * the request carries `x-amz-mfa`; it is not enforced.
   */
  put(call: S3Call): AwsResponse {
    this.s3.bucket(call.bucket);
    const document = parseBody(call.request.body, 'VersioningConfiguration');
    const status = childText(document, 'Status')?.trim();
    const mfaDelete = childText(document, 'MfaDelete')?.trim();
    if (status !== undefined && status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
    if (mfaDelete !== undefined && mfaDelete !== 'Enabled' && mfaDelete !== 'Disabled') throw malformedXml();
    if (mfaDelete === 'Enabled' && header(call.request, 'x-amz-mfa') === undefined)
      throw new S3Error(403, 'AccessDenied', 'Mfa Authentication must be used for this request');
    this.s3.store.setVersioning(call.bucket, status, mfaDelete);
    return { status: 200 };
  }

  /** Empty for a bucket never versioned; MfaDelete only once it was set. */
  get(call: S3Call): AwsResponse {
    const bucket = this.s3.bucket(call.bucket);
    return xmlResponse('VersioningConfiguration', {
      Status: bucket.versioning,
      MfaDelete: bucket.mfaDelete,
    });
  }

  /**
   * Every version and delete marker, by key (UTF-8 binary order) and newest first, paged by
   * `key-marker` and `version-id-marker`; `prefix`, `delimiter` (common prefixes count once),
   * `max-keys` (up to 1000) and `encoding-type=url` as ListObjects has them.
   */
  list(call: S3Call): AwsResponse {
    this.s3.bucket(call.bucket);
    const { query } = call.request;
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? '';
    const keyMarker = query.get('key-marker') ?? '';
    const versionIdMarker = query.get('version-id-marker') ?? '';
    const encodingType = query.get('encoding-type') ?? undefined;
    if (encodingType !== undefined && encodingType !== 'url')
      throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
    const maxKeysText = query.get('max-keys') ?? '1000';
    if (!/^\d+$/.test(maxKeysText))
      throw invalidArgument(
        'Provided max-keys not an integer or within integer range',
        'max-keys',
        maxKeysText,
      );
    const maxKeys = Math.min(Number(maxKeysText), 1000);
    if (versionIdMarker && !keyMarker) {
      throw invalidArgument(
        'A version-id marker cannot be specified without a key marker.',
        'version-id-marker',
        versionIdMarker,
      );
    }
    const encode = encodingType === 'url' ? encodeKey : (s: string) => s;
    const versions: XmlNode[] = [];
    const markers: XmlNode[] = [];
    const prefixes: string[] = [];
    let count = 0;
    let truncated = false;
    let next: { key: string; versionId?: string } | undefined;
    // S3 resumes after the marker's version of its key, or (without a version) after the whole key.
    let marker: 'past' | 'seeking' | 'skipping' =
      keyMarker === '' ? 'past' : versionIdMarker ? 'seeking' : 'skipping';
    let skipPrefix: string | undefined;
    if (delimiter && keyMarker.startsWith(prefix)) {
      const at = keyMarker.indexOf(delimiter, prefix.length);
      if (at >= 0 && at === keyMarker.length - delimiter.length) skipPrefix = keyMarker;
    }
    const from = keyMarker > prefix ? keyMarker : prefix;
    for (const { version, latest } of this.s3.store.versions(call.bucket, from)) {
      if (!version.key.startsWith(prefix)) break;
      if (marker !== 'past' && version.key === keyMarker) {
        if (marker === 'seeking' && version.versionId === versionIdMarker) marker = 'skipping';
        else if (marker === 'skipping' && versionIdMarker) marker = 'past';
        if (marker !== 'past') continue;
      }
      marker = 'past';
      if (skipPrefix !== undefined && version.key.startsWith(skipPrefix)) continue;
      const at = delimiter ? version.key.indexOf(delimiter, prefix.length) : -1;
      if (count === maxKeys) {
        truncated = true;
        break;
      }
      if (at >= 0) {
        const common = version.key.slice(0, at + delimiter.length);
        prefixes.push(common);
        skipPrefix = common;
        next = { key: common };
      } else {
        (version.deleteMarker ? markers : versions).push(this.entry(version, latest, encode));
        next = { key: version.key, versionId: version.versionId };
      }
      count++;
    }
    return xmlResponse('ListVersionsResult', {
      Name: call.bucket,
      Prefix: encode(prefix),
      KeyMarker: encode(keyMarker),
      VersionIdMarker: versionIdMarker,
      NextKeyMarker: truncated && next ? encode(next.key) : undefined,
      NextVersionIdMarker: truncated && next?.versionId !== undefined ? next.versionId : undefined,
      MaxKeys: maxKeys,
      Delimiter: delimiter ? encode(delimiter) : undefined,
      EncodingType: encodingType,
      IsTruncated: truncated,
      Version: versions,
      DeleteMarker: markers,
      CommonPrefixes: prefixes.map((p) => ({ Prefix: encode(p) })),
    });
  }

  private entry(version: VersionRecord, latest: boolean, encode: (s: string) => string): XmlNode {
    if (version.deleteMarker) {
      return {
        Owner: this.s3.owner(),
        Key: encode(version.key),
        VersionId: version.versionId,
        IsLatest: latest,
        LastModified: version.lastModified,
      };
    }
    return {
      ETag: version.etag,
      ChecksumAlgorithm: version.checksum?.algorithm.toUpperCase(),
      Size: version.size,
      StorageClass: version.storageClass,
      Key: encode(version.key),
      VersionId: version.versionId,
      IsLatest: latest,
      LastModified: version.lastModified,
      Owner: this.s3.owner(),
    };
  }
}
