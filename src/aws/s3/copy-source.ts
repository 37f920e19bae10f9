import { evaluateConditions } from './conditions';
import type { S3Call, S3Context } from './context';
import {
  checkVersionId,
  invalidArgument,
  noSuchBucket,
  noSuchKey,
  noSuchVersion,
  preconditionFailed,
  S3Error,
} from './errors';
import { header } from './headers';
import type { ObjectRecord } from './store';

/**
 * The object `x-amz-copy-source` names (`[/]bucket/key[?versionId=...]`, URL-encoded) for CopyObject
 * and UploadPartCopy, once its `x-amz-copy-source-if-*` conditions hold (412 otherwise).
 */
export function copySourceOf(s3: S3Context, call: S3Call): ObjectRecord {
  const value = header(call.request, 'x-amz-copy-source') ?? '';
  const { bucket, key } = parseCopySource(value);
  if (!s3.store.bucket(bucket)) throw noSuchBucket(bucket);
  const versionId = copySourceVersion(value);
  let source: ObjectRecord | undefined;
  if (versionId !== undefined) {
    const version = s3.store.version(bucket, key, checkVersionId(versionId));
    if (!version) throw noSuchVersion(key, versionId);
    if (version.deleteMarker) {
      throw new S3Error(
        400,
        'InvalidRequest',
        'The source of a copy request may not specifically refer to a delete marker by version id.',
      );
    }
    source = version;
  } else source = s3.store.object(bucket, key);
  if (!source) throw noSuchKey(key);
  const conditions = evaluateConditions(call.request, source, 'x-amz-copy-source-');
  if (!conditions.ok) throw preconditionFailed(conditions.condition);
  return source;
}

/** The `versionId` after the `?` of `x-amz-copy-source`, if it names one. */
function copySourceVersion(value: string): string | undefined {
  const at = value.indexOf('?');
  if (at < 0) return undefined;
  return new URLSearchParams(value.slice(at + 1)).get('versionId') ?? undefined;
}

/** `x-amz-copy-source-version-id`: the version copied, once the source bucket has versioning. */
export function copySourceVersionHeaders(s3: S3Context, source: ObjectRecord): Record<string, string> {
  return s3.store.bucket(source.bucket)?.versioning
    ? { 'x-amz-copy-source-version-id': source.versionId }
    : {};
}

/**
 * `bucket/key` or `/bucket/key`, percent-encoded as a whole: the slash between them may be encoded too
 * (`encodeURIComponent('bucket/key')`, as aws-sdk v2 code often writes it), which S3 accepts.
 */
export function parseCopySource(value: string): { bucket: string; key: string } {
  let path: string;
  try {
    path = decodeURIComponent(value.split('?')[0]).replace(/^\//, '');
  } catch {
    path = '';
  }
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) {
    throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', value);
  }
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/**
 * UploadPartCopy's `x-amz-copy-source-range: bytes=first-last` (both given, within the object); the
 * whole object without one.
 */
export function copySourceRange(call: S3Call, source: ObjectRecord): { start: number; end: number } {
  const value = header(call.request, 'x-amz-copy-source-range');
  if (value === undefined) return { start: 0, end: source.size - 1 };
  const invalid = (message: string) => invalidArgument(message, 'x-amz-copy-source-range', value);
  const match = /^bytes=(\d+)-(\d+)$/.exec(value.trim());
  if (!match) {
    throw invalid(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
    );
  }
  const [start, end] = [Number(match[1]), Number(match[2])];
  if (start > end || end >= source.size)
    throw invalid(`Range specified is not valid for source object of size: ${source.size}`);
  return { start, end };
}
