import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { AwsRequest } from '../endpoint';
import { S3Error } from './errors';
import { header } from './headers';

/** The flexible checksums S3 accepts in `x-amz-checksum-<algorithm>` headers and trailers. */
export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export interface Checksum {
  algorithm: ChecksumAlgorithm;
  /** Base64 of the big-endian digest, as S3 sends it. */
  value: string;
}

export function md5(data: Buffer): Buffer {
  return createHash('md5').update(data).digest();
}

/**
 * The base64 digest of `data` with `algorithm`, or undefined for CRC64NVME, which is accepted and
 * stored unverified (its only client default is in newer SDKs, and a BigInt CRC is slow).
 */
export function computeChecksum(algorithm: ChecksumAlgorithm, data: Buffer): string | undefined {
  switch (algorithm) {
    case 'sha1':
    case 'sha256':
      return createHash(algorithm).update(data).digest('base64');
    case 'crc32':
      return uint32(crc32(data));
    case 'crc32c':
      return uint32(crc32c(data));
    default:
      return undefined;
  }
}

/**
 * The checksum of a copy (CopyObject, UploadPartCopy): of the algorithm the request names
 * (`x-amz-checksum-algorithm`), else of the source's; none when neither has one.
 */
export function copiedChecksum(
  call: { request: AwsRequest },
  source: { checksum?: Checksum },
  data: Buffer,
): Checksum | undefined {
  const named = header(call.request, 'x-amz-checksum-algorithm')?.toLowerCase();
  if (named !== undefined && !(CHECKSUM_ALGORITHMS as readonly string[]).includes(named)) {
    throw new S3Error(
      400,
      'InvalidRequest',
      'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    );
  }
  const algorithm = (named as ChecksumAlgorithm | undefined) ?? source.checksum?.algorithm;
  if (algorithm === undefined) return undefined;
  const value =
    computeChecksum(algorithm, data) ??
    (source.checksum?.algorithm === algorithm ? source.checksum.value : undefined);
  return value === undefined ? undefined : { algorithm, value };
}

/** The `Checksum<ALGORITHM>` element of a CopyObjectResult or CopyPartResult. */
export function checksumElements(checksum: Checksum | undefined): Record<string, string> {
  return checksum ? { [`Checksum${checksum.algorithm.toUpperCase()}`]: checksum.value } : {};
}

function uint32(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

function crc32(data: Buffer): number {
  // zlib.crc32 exists from Node 20.15 / 22.2; the table is the fallback for older 18 and 20.
  const native = (zlib as { crc32?: (data: Buffer) => number }).crc32;
  return native ? native(data) : crcWithTable(data, CRC32_TABLE);
}

function crc32c(data: Buffer): number {
  return crcWithTable(data, CRC32C_TABLE);
}

function table(polynomial: number): Uint32Array {
  const result = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1;
    result[n] = c >>> 0;
  }
  return result;
}

/** Constant lookup tables of the reflected CRC-32 (ISO-HDLC) and CRC-32C (Castagnoli) polynomials. */
const CRC32_TABLE = table(0xedb88320);
const CRC32C_TABLE = table(0x82f63b78);

function crcWithTable(data: Buffer, lookup: Uint32Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = lookup[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
