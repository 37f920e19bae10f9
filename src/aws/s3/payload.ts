import { createHash } from 'node:crypto';
import type { AwsRequest } from '../endpoint';
import { CHECKSUM_ALGORITHMS, computeChecksum, md5, type Checksum } from './checksums';
import { badDigest, S3Error } from './errors';
import { header } from './headers';

/** A request's payload as the client meant it: aws-chunked framing removed, digests checked. */
export interface Payload {
  data: Buffer;
  /** The flexible checksum the client sent (header or trailer), verified where it can be. */
  checksum?: Checksum;
}

const incompleteBody = () => new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly');

/**
 * Reads the body S3's way: `aws-chunked` uploads (`x-amz-content-sha256: STREAMING-...`, signed or
 * unsigned, with or without trailers) are decoded; `x-amz-decoded-content-length`, a hex
 * `x-amz-content-sha256`, `Content-MD5` and `x-amz-checksum-*` are checked against what arrived.
 */
export function readPayload(request: AwsRequest): Payload {
  const sha256 = header(request, 'x-amz-content-sha256') ?? '';
  const chunked =
    sha256.startsWith('STREAMING-') || (header(request, 'content-encoding') ?? '').includes('aws-chunked');
  const { data, trailers } = chunked ? decodeChunked(request.body) : { data: request.body, trailers: {} };
  if (chunked) {
    const declared = header(request, 'x-amz-decoded-content-length');
    if (declared !== undefined && Number(declared) !== data.length) throw incompleteBody();
  } else if (/^[0-9a-f]{64}$/i.test(sha256)) {
    const computed = createHash('sha256').update(data).digest('hex');
    if (computed !== sha256.toLowerCase()) {
      throw new S3Error(
        400,
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        { ClientComputedContentSHA256: sha256, S3ComputedContentSHA256: computed },
      );
    }
  }
  return { data, checksum: checkDigests((name) => trailers[name] ?? header(request, name), data) };
}

/**
 * Checks `Content-MD5` and the first `x-amz-checksum-<algorithm>` that `value` gives (a request's
 * headers and trailers, or a POST Object's form fields) against the data; answers the checksum.
 */
export function checkDigests(
  value: (name: string) => string | undefined,
  data: Buffer,
): Checksum | undefined {
  checkContentMd5(value('content-md5'), data);
  return checkChecksum(value, data);
}

function checkContentMd5(contentMd5: string | undefined, data: Buffer): void {
  if (contentMd5 === undefined) return;
  const expected = Buffer.from(contentMd5, 'base64');
  if (expected.length !== 16 || expected.toString('base64') !== contentMd5) {
    throw new S3Error(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.');
  }
  if (!expected.equals(md5(data))) throw badDigest('Content-MD5');
}

function checkChecksum(value: (name: string) => string | undefined, data: Buffer): Checksum | undefined {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const sent = value(`x-amz-checksum-${algorithm}`);
    if (sent === undefined) continue;
    const computed = computeChecksum(algorithm, data);
    if (computed !== undefined && computed !== sent) throw badDigest(algorithm.toUpperCase());
    return { algorithm, value: sent };
  }
  return undefined;
}

const CRLF = Buffer.from('\r\n');

/**
 * Decodes aws-chunked framing: `<hex size>[;chunk-signature=...]\r\n<data>\r\n` repeated, a zero-size
 * chunk, then optional trailer lines (`x-amz-checksum-crc32:...`) and an empty line.
 */
export function decodeChunked(body: Buffer): { data: Buffer; trailers: Record<string, string> } {
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const lineEnd = body.indexOf(CRLF, position);
    if (lineEnd < 0) throw incompleteBody();
    const sizeText = body.toString('latin1', position, lineEnd).split(';')[0].trim();
    const size = parseInt(sizeText, 16);
    if (!/^[0-9a-fA-F]+$/.test(sizeText) || Number.isNaN(size)) throw incompleteBody();
    position = lineEnd + 2;
    if (size === 0) break;
    if (position + size + 2 > body.length) throw incompleteBody();
    chunks.push(body.subarray(position, position + size));
    position += size;
    if (!body.subarray(position, position + 2).equals(CRLF)) throw incompleteBody();
    position += 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of body.toString('latin1', position).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(chunks), trailers };
}
