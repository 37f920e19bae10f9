import { createHash } from 'node:crypto';

/**
 * The object key of an async invocation's record in an S3 on-failure destination:
 * `aws/lambda/async/<function-name>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>`
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
 */
export function asyncFailureKey(functionName: string, now: number, id: string): string {
  return dated(`aws/lambda/async/${functionName}`, now, id);
}

/**
 * The object key of a stream mapping's discarded batch in an S3 on-failure destination:
 * `aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>`
 * (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html, the same for
 * DynamoDB Streams).
 */
export function streamFailureKey(mappingUuid: string, shardId: string, now: number, id: string): string {
  return dated(`aws/lambda/${mappingUuid}/${shardId}`, now, id);
}

/** The date folders and the `YYYY-MM-DDTHH.MM.SS-<id>` name, in UTC. */
function dated(prefix: string, now: number, id: string): string {
  const iso = new Date(now).toISOString();
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  return `${prefix}/${date.replaceAll('-', '/')}/${date}T${time.replaceAll(':', '.')}-${id}`;
}

/**
 * The event source mapping's UUID in those keys. AWS draws one when the mapping is created; here it is
 * derived (a name-based UUID, version 5 layout) from the function and the stream, which name one
 * mapping (Lambda refuses a second mapping of a function to the same stream), so it stays the same
 * across restarts of the emulator.
 */
export function mappingUuid(functionArn: string, streamArn: string): string {
  const hex = createHash('sha1').update(`${functionArn}\n${streamArn}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
