import { createHash } from 'node:crypto';
import { invalidArgument } from './errors';

const KEY_SPACE = 1n << 128n;
const MAX_HASH_KEY = KEY_SPACE - 1n;

export interface HashKeyRange {
  start: bigint;
  end: bigint;
}

/**
 * The hash key ranges of `count` equal shards, as AWS lays them out: shard i starts at
 * i * floor(2^128 / count) and the last one ends at 2^128 - 1.
 */
export function shardRanges(count: number): HashKeyRange[] {
  const width = KEY_SPACE / BigInt(count);
  return Array.from({ length: count }, (_, i) => ({
    start: BigInt(i) * width,
    end: i === count - 1 ? MAX_HASH_KEY : BigInt(i + 1) * width - 1n,
  }));
}

/** A record's hash key: its ExplicitHashKey, else the MD5 of its partition key as an unsigned integer. */
export function hashKeyOf(partitionKey: string, explicitHashKey?: string): bigint {
  if (explicitHashKey !== undefined) return parseExplicitHashKey(explicitHashKey);
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

function parseExplicitHashKey(value: string): bigint {
  const key = /^\d{1,39}$/.test(value) ? BigInt(value) : -1n;
  if (key < 0n || key > MAX_HASH_KEY) {
    throw invalidArgument(
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${value}`,
    );
  }
  return key;
}

/** The item whose range holds `key` (the ranges are sorted, contiguous and cover the key space). */
export function rangeHolding<T extends { range: HashKeyRange }>(items: readonly T[], key: bigint): T {
  let low = 0;
  let high = items.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (items[middle].range.start <= key) low = middle;
    else high = middle - 1;
  }
  return items[low];
}
