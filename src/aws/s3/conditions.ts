import type { AwsRequest } from '../endpoint';
import { header } from './headers';
import type { ObjectRecord } from './store';

/** The outcome of a request's preconditions on an object: go on, 304, or 412 naming the header. */
export type ConditionOutcome = { ok: true } | { ok: false; status: 304 | 412; condition: string };

/** Whether an If-Match / If-None-Match list (`"a", "b"` or `*`) names the object's ETag. */
export function etagMatches(list: string, etag: string): boolean {
  const bare = etag.replace(/"/g, '');
  return list.split(',').some((item) => {
    const value = item.trim().replace(/^W\//, '').replace(/"/g, '');
    return value === '*' || value === bare;
  });
}

/** Compares at one-second precision, the precision of HTTP dates and of Last-Modified. */
function modifiedSince(record: ObjectRecord, date: string): boolean | undefined {
  const time = Date.parse(date);
  if (Number.isNaN(time)) return undefined;
  return Math.floor(Date.parse(record.lastModified) / 1000) > Math.floor(time / 1000);
}

/**
 * GET and HEAD preconditions as S3 evaluates them: If-Match failing is 412 (and If-Unmodified-Since
 * is then not consulted when If-Match holds); If-None-Match matching is 304 (and If-Modified-Since
 * is then not consulted). `prefix` reads the CopyObject forms (`x-amz-copy-source-if-match`, ...),
 * where a 304 case is a 412 too.
 */
export function evaluateConditions(request: AwsRequest, record: ObjectRecord, prefix = ''): ConditionOutcome {
  const get = (name: string) => header(request, `${prefix}${name}`);
  const name = (n: string) => (prefix ? `${prefix}${n}` : n.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()));
  const notModified = prefix ? 412 : 304;
  const ifMatch = get('if-match');
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, record.etag)) return { ok: false, status: 412, condition: name('if-match') };
  } else {
    const since = get('if-unmodified-since');
    if (since !== undefined && modifiedSince(record, since) === true) {
      return { ok: false, status: 412, condition: name('if-unmodified-since') };
    }
  }
  const ifNoneMatch = get('if-none-match');
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, record.etag)) {
      return { ok: false, status: notModified, condition: name('if-none-match') };
    }
  } else {
    const since = get('if-modified-since');
    if (since !== undefined && modifiedSince(record, since) === false) {
      return { ok: false, status: notModified, condition: name('if-modified-since') };
    }
  }
  return { ok: true };
}
