import type { AwsRequest } from '../endpoint';
import { serialization } from './errors';

/** A request's JSON body. */
export type Input = Record<string, unknown>;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function blob(value: unknown, member: string): unknown {
  if (typeof value !== 'string') return value;
  if (!BASE64.test(value)) throw serialization(`${member} is not valid base64`);
  return Buffer.from(value, 'base64');
}

/** AWS JSON sends epoch seconds; a string (seconds or an ISO date) is also read. */
function timestamp(value: unknown, member: string): unknown {
  if (value === undefined || value === null) return value;
  const seconds = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  const date =
    typeof seconds === 'number'
      ? new Date(Math.round(seconds * 1000))
      : typeof seconds === 'string'
        ? new Date(seconds)
        : undefined;
  if (!date || Number.isNaN(date.getTime())) throw serialization(`${member} is not a timestamp`);
  return date;
}

const isObject = (value: unknown): value is Input => typeof value === 'object' && value !== null;

/** The wire's base64 blobs and epoch-second timestamps of each operation, as Buffers and Dates. */
const DECODERS: Record<string, (input: Input) => void> = {
  PutRecord: (input) => {
    input.Data = blob(input.Data, 'data');
  },
  PutRecords: (input) => {
    if (!Array.isArray(input.Records)) return;
    input.Records.forEach((record, i) => {
      if (isObject(record)) record.Data = blob(record.Data, `records.${i + 1}.member.data`);
    });
  },
  GetShardIterator: (input) => {
    input.Timestamp = timestamp(input.Timestamp, 'timestamp');
  },
  ListShards: (input) => {
    input.StreamCreationTimestamp = timestamp(input.StreamCreationTimestamp, 'streamCreationTimestamp');
    if (isObject(input.ShardFilter)) {
      input.ShardFilter.Timestamp = timestamp(input.ShardFilter.Timestamp, 'shardFilter.timestamp');
    }
  },
};

/** A request's body as the SDK's input types have it. */
export function readInput(request: AwsRequest, operation: string): Input {
  if (String(request.headers['content-type']).includes('cbor')) {
    throw serialization('CBOR is not supported here: send AWS JSON 1.1');
  }
  const { body } = request;
  let parsed: unknown;
  try {
    parsed = body.length ? JSON.parse(body.toString('utf8')) : {};
  } catch (error) {
    throw serialization(`Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed) || Array.isArray(parsed)) throw serialization('Request body must be a JSON object');
  DECODERS[operation]?.(parsed);
  return parsed;
}

/** A result as AWS JSON 1.1 sends it: blobs in base64, timestamps in epoch seconds. */
export function toWire(result: unknown): string {
  return JSON.stringify(result ?? {}, function (this: Input, key, value: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    if (raw instanceof Uint8Array)
      return Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('base64');
    return value;
  });
}
