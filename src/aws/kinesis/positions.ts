import { invalidArgument, validation } from './errors';

/**
 * Sequence numbers: 56 decimal digits like AWS's, so that string order is numeric order. They encode
 * the stream (its row id, which differs for a stream deleted and created again), the shard and the
 * record's place in the shard (from 1; 0 is the shard's starting sequence number).
 */
const PREFIX = '49';
const STREAM_DIGITS = 8;
const SHARD_DIGITS = 6;
const COUNTER_DIGITS = 40;

export const shardIdOf = (shard: number) => `shardId-${String(shard).padStart(12, '0')}`;

/** The shard index a `shardId-000000000000` names, or undefined. */
export function shardIndexOfId(shardId: string): number | undefined {
  const match = /^shardId-(\d{12})$/.exec(shardId);
  return match ? Number(match[1]) : undefined;
}

export function sequenceNumber(streamId: number, shard: number, counter: number): string {
  return (
    PREFIX +
    String(streamId).padStart(STREAM_DIGITS, '0') +
    String(shard).padStart(SHARD_DIGITS, '0') +
    String(counter).padStart(COUNTER_DIGITS, '0')
  );
}

/** Where a sequence number given for a shard points in it; AWS's errors for one it cannot hold. */
export function counterOf(
  value: string,
  member: string,
  at: { streamId: number; shard: number; describe: string },
): number {
  if (!/^(0|[1-9]\d{0,128})$/.test(value)) {
    throw validation(member, value, 'Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})');
  }
  const streamEnd = PREFIX.length + STREAM_DIGITS;
  const shardEnd = streamEnd + SHARD_DIGITS;
  if (
    value.length !== shardEnd + COUNTER_DIGITS ||
    !value.startsWith(PREFIX) ||
    Number(value.slice(PREFIX.length, streamEnd)) !== at.streamId
  ) {
    throw invalidArgument(`${member} ${value} used in ${at.describe} is invalid.`);
  }
  const encoded = Number(value.slice(streamEnd, shardEnd));
  if (encoded !== at.shard) {
    throw invalidArgument(
      `Invalid ${member}. It encodes ${shardIdOf(encoded)}, while it was used in a call to a shard with ${shardIdOf(at.shard)}`,
    );
  }
  return Number(value.slice(shardEnd));
}

/** What a shard iterator holds: the next record to read (a counter) and when it was handed out. */
export interface IteratorPosition {
  streamId: number;
  shard: number;
  next: number;
  issuedAt: number;
}

const ITERATOR_VERSION = 1;
const ITERATOR_BYTES = 25;

/** An opaque iterator string (AWS's are base64 too). */
export function encodeIterator(position: IteratorPosition): string {
  const buffer = Buffer.alloc(ITERATOR_BYTES);
  buffer.writeUInt8(ITERATOR_VERSION, 0);
  buffer.writeUInt32BE(position.streamId, 1);
  buffer.writeUInt32BE(position.shard, 5);
  buffer.writeDoubleBE(position.next, 9);
  buffer.writeDoubleBE(position.issuedAt, 17);
  return buffer.toString('base64');
}

export function decodeIterator(iterator: string): IteratorPosition {
  const buffer = Buffer.from(iterator, 'base64');
  if (buffer.length !== ITERATOR_BYTES || buffer.readUInt8(0) !== ITERATOR_VERSION) {
    throw invalidArgument('Invalid ShardIterator.');
  }
  const position = {
    streamId: buffer.readUInt32BE(1),
    shard: buffer.readUInt32BE(5),
    next: buffer.readDoubleBE(9),
    issuedAt: buffer.readDoubleBE(17),
  };
  if (!Number.isSafeInteger(position.next) || position.next < 0 || !Number.isFinite(position.issuedAt)) {
    throw invalidArgument('Invalid ShardIterator.');
  }
  return position;
}
