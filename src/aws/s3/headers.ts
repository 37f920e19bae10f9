import type { AwsRequest } from '../endpoint';
import { aclFromHeaders, type Grant } from './acl';
import {
  checkHeaderValue,
  checkMetadataName,
  decodeEncodedWords,
  encodeForHeader,
  firstValue,
} from './header-values';
import { tagsFromHeader, type Tag } from './tagging';

/** A request header's value (the first, if it was sent more than once). */
export function header(request: AwsRequest, name: string): string | undefined {
  return firstValue(request.headers[name]);
}

/** What S3 keeps of an object besides its bytes, from the request that wrote it. */
export interface ObjectMetadata {
  contentType: string;
  /** `x-amz-meta-*` headers, by lower-case name without the prefix. */
  userMetadata: Record<string, string>;
  /** Stored system headers returned on GET and HEAD (Cache-Control, Content-Disposition, ...). */
  headers: Record<string, string>;
  storageClass: string;
  /** Tags (`x-amz-tagging`, PutObjectTagging), in the order given. */
  tags?: Tag[];
  /** The ACL given (`x-amz-acl`, `x-amz-grant-*`, PutObjectAcl); absent: the owner's FULL_CONTROL. */
  acl?: Grant[];
}

/** The system headers S3 stores with an object and returns on GET and HEAD. */
const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
  'x-amz-website-redirect-location',
];

/** S3's Content-Type for an object written without one. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

/**
 * The metadata a request writes: its headers, and the `x-amz-*` query parameters of a presigned URL,
 * which S3 reads as the headers the URL's signer hoisted into it; with its tags and ACL (`owner` is
 * the canonical id a canned ACL grants FULL_CONTROL to).
 */
export function metadataFromRequest(request: AwsRequest, owner: string): ObjectMetadata {
  const hoisted: Record<string, string> = {};
  for (const [name, value] of request.query) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-') && !(lower in hoisted)) hoisted[lower] = value;
  }
  const merged: Record<string, string | string[] | undefined> = { ...hoisted, ...request.headers };
  const first = (name: string) => firstValue(merged[name]);
  const tagging = first('x-amz-tagging');
  return {
    ...metadataFromHeaders(merged),
    tags: tagging === undefined ? undefined : tagsFromHeader(tagging),
    acl: aclFromHeaders(first, owner),
  };
}

/**
 * The metadata of an object written with these headers (by lower-case name): a request's, or the
 * form fields of a POST Object, which carry the same names. A value that cannot be a header is
 * refused; user metadata is stored with its RFC 2047 encoded words decoded.
 */
export function metadataFromHeaders(from: Record<string, string | string[] | undefined>): ObjectMetadata {
  const first = (name: string) => firstValue(from[name]);
  const userMetadata: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const name of Object.keys(from)) {
    const value = first(name);
    if (value === undefined) continue;
    if (name.startsWith('x-amz-meta-')) {
      checkMetadataName(name);
      checkHeaderValue(name, value, true);
      userMetadata[name.slice('x-amz-meta-'.length)] = decodeEncodedWords(value);
    } else if (STORED_HEADERS.includes(name)) {
      checkHeaderValue(name, value);
      headers[name] = value;
    }
  }
  const [contentType, storageClass] = ['content-type', 'x-amz-storage-class'].map((name) => {
    const value = first(name);
    if (value !== undefined) checkHeaderValue(name, value);
    return value;
  });
  // aws-chunked describes the upload's framing, not the object: S3 drops it from Content-Encoding.
  const encoding = (headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'aws-chunked');
  if (encoding.length) headers['content-encoding'] = encoding.join(',');
  else delete headers['content-encoding'];
  return {
    contentType: contentType || DEFAULT_CONTENT_TYPE,
    userMetadata,
    headers,
    storageClass: storageClass ?? 'STANDARD',
  };
}

/** The headers GET and HEAD answer with for an object's metadata. */
export function metadataHeaders(metadata: ObjectMetadata): Record<string, string> {
  const result: Record<string, string> = { 'content-type': metadata.contentType, ...metadata.headers };
  for (const [name, value] of Object.entries(metadata.userMetadata)) {
    result[`x-amz-meta-${name}`] = encodeForHeader(value);
  }
  if (metadata.storageClass !== 'STANDARD') result['x-amz-storage-class'] = metadata.storageClass;
  return result;
}

/** An HTTP date (RFC 7231), as S3 sends Last-Modified. */
export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}
