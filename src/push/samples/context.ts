import { createHash } from 'node:crypto';
import type { FunctionModel, ServiceModel } from '../../service/model';

/** What a sample is made for and from: the service, the function, the time and a source of fresh ids. */
export interface SampleContext {
  service: ServiceModel;
  fn: FunctionModel;
  now: Date;
  /** A fresh unique id (a UUID); every identifier in a sample is derived from these. */
  newId: () => string;
  /** What the caller wants in the event in place of the sample's own content (see `sampleEvent`). */
  overrides?: unknown;
}

const DIGITS = '0123456789';
const HEX = '0123456789abcdef';
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MIXED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const ALPHABETS = { digits: DIGITS, hex: HEX, lower: LOWER, upper: UPPER, mixed: MIXED };

/**
 * `length` characters of `alphabet` derived from `seed`: the same seed always gives the same text, so
 * ids derived from the service stay stable and ids derived from `newId()` look as random as it is.
 */
export function derive(seed: string, length: number, alphabet: string = LOWER): string {
  let out = '';
  for (let block = 0; out.length < length; block++) {
    const digest = createHash('sha256').update(`${block}:${seed}`).digest();
    for (const byte of digest) {
      if (out.length === length) break;
      out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** `length` bytes derived from `seed`, for base64 blobs (ciphertexts, request ids). */
export function deriveBytes(seed: string, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let block = 0; blocks.length * 32 < length; block++) {
    blocks.push(createHash('sha256').update(`${block}:${seed}`).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** A value given as the text an event carries: strings as they are, anything else as JSON. */
export function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** An address of TEST-NET-3 (RFC 5737), the range AWS's own examples use for clients. */
export const CLIENT_IP = '203.0.113.10';

/** The headers API Gateway adds for a client behind its TLS endpoint, as a raw header list. */
export const FORWARDED_HEADERS = [
  'X-Forwarded-For',
  CLIENT_IP,
  'X-Forwarded-Port',
  '443',
  'X-Forwarded-Proto',
  'https',
];
