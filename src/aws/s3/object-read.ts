import type { AwsResponse } from '../endpoint';
import { evaluateConditions } from './conditions';
import { checkPartNumber, type S3Call, type S3Context } from './context';
import { noSuchKey, preconditionFailed, S3Error } from './errors';
import { checkHeaderValue } from './header-values';
import { header, httpDate, metadataHeaders } from './headers';
import type { ObjectRecord } from './store';
import { namedVersion } from './versioning';

/** `response-*` query parameters of GetObject override these headers of the answer. */
const OVERRIDES = [
  'content-type',
  'content-language',
  'expires',
  'cache-control',
  'content-disposition',
  'content-encoding',
];

type Range = { start: number; end: number };

/**
 * GetObject and HeadObject: metadata headers, Range or partNumber (206), and conditional requests
 * (304, 412).
 */
export class ObjectReads {
  constructor(private readonly s3: S3Context) {}

  getObject(call: S3Call): AwsResponse {
    return this.read(call, true);
  }

  headObject(call: S3Call): AwsResponse {
    return this.read(call, false);
  }

  private read(call: S3Call, withBody: boolean): AwsResponse {
    const record = this.version(call);
    const headers: Record<string, string> = {
      'last-modified': httpDate(record.lastModified),
      etag: record.etag,
      ...this.s3.versionHeaders(call.bucket, record.versionId),
    };
    const conditions = evaluateConditions(call.request, record);
    if (!conditions.ok) {
      if (conditions.status === 304) return { status: 304, headers };
      throw preconditionFailed(conditions.condition);
    }
    Object.assign(headers, metadataHeaders(record), { 'accept-ranges': 'bytes' });
    if (withBody) {
      for (const name of OVERRIDES) {
        const value = call.request.query.get(`response-${name}`);
        if (value === null) continue;
        checkHeaderValue(`response-${name}`, value);
        headers[name] = value;
      }
    }
    if (withBody && record.tags?.length) headers['x-amz-tagging-count'] = String(record.tags.length);
    const rangeHeader = header(call.request, 'range');
    const partNumber = call.request.query.get('partNumber');
    if (partNumber !== null) {
      if (rangeHeader !== undefined) {
        throw new S3Error(
          400,
          'InvalidRequest',
          'Cannot specify both Range header and partNumber query parameter',
        );
      }
      const part = partRange(record, partNumber);
      if (record.parts) headers['x-amz-mp-parts-count'] = String(record.parts.length);
      return this.partial(record, part, headers, withBody);
    }
    const range = rangeHeader === undefined ? undefined : parseRange(rangeHeader, record.size);
    if (range === 'unsatisfiable') {
      throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', {
        RangeRequested: rangeHeader as string,
        ActualObjectSize: record.size,
      });
    }
    if (range) return this.partial(record, range, headers, withBody);
    Object.assign(headers, checksumHeaders(call, record));
    headers['content-length'] = String(record.size);
    return { status: 200, headers, body: withBody ? this.s3.store.read(record) : undefined };
  }

  /**
   * The version asked for (`versionId`), else the current one. A key whose current version is a
   * delete marker is 404 NoSuchKey, and a delete marker asked for by id 405 MethodNotAllowed, both
   * with `x-amz-delete-marker: true` as S3 answers.
   */
  private version(call: S3Call): ObjectRecord {
    this.s3.bucket(call.bucket);
    const named = namedVersion(this.s3, call);
    if (named) return named;
    const record = this.s3.store.object(call.bucket, call.key);
    if (record) return record;
    const marker = this.s3.store.currentDeleteMarker(call.bucket, call.key);
    const error = noSuchKey(call.key);
    throw marker
      ? error.withHeaders({ 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker.versionId })
      : error;
  }

  /** A 206 answer with the bytes of `range`. */
  private partial(record: ObjectRecord, range: Range, headers: Record<string, string>, withBody: boolean) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${record.size}`;
    headers['content-length'] = String(range.end - range.start + 1);
    const body = withBody ? this.s3.store.read(record, range.start, range.end) : undefined;
    return { status: 206, headers, body };
  }
}

/** With `x-amz-checksum-mode: ENABLED`, the whole object's stored checksum (never for a range). */
function checksumHeaders(call: S3Call, record: ObjectRecord): Record<string, string> {
  if (header(call.request, 'x-amz-checksum-mode')?.toUpperCase() !== 'ENABLED' || !record.checksum) return {};
  return {
    [`x-amz-checksum-${record.checksum.algorithm}`]: record.checksum.value,
    'x-amz-checksum-type': 'FULL_OBJECT',
  };
}

/**
 * The bytes of part `text` (1 to 10000) of the object: of a multipart object, that part; of any other
 * object, part 1 is the whole object. A part beyond the last is unsatisfiable (416).
 */
function partRange(record: ObjectRecord, text: string): Range {
  const partNumber = checkPartNumber(text);
  const sizes = record.parts ?? [record.size];
  if (partNumber > sizes.length) {
    throw new S3Error(416, 'InvalidPartNumber', 'The requested partnumber is not satisfiable', {
      PartNumberRequested: partNumber,
      ActualPartCount: sizes.length,
    });
  }
  const start = sizes.slice(0, partNumber - 1).reduce((sum, size) => sum + size, 0);
  return { start, end: start + sizes[partNumber - 1] - 1 };
}

/**
 * One `bytes=` range (RFC 9110): `a-b`, `a-` or `-n`. S3 serves one range per request, so a list of
 * ranges or a malformed header is ignored (the whole object is served); a range that starts beyond
 * the end is unsatisfiable (416).
 */
export function parseRange(value: string, size: number): Range | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
