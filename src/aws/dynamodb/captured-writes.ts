import type { IncomingHttpHeaders } from 'node:http';
import { isObject } from '../../service/values';
import type { AwsResponse } from '../endpoint';
import type { Dynalite, Json } from './dynalite';
import { keyOf, type Item } from './items';
import type { Change, UserIdentity } from './stream-records';
import type { Streams } from './streams';
import type { StreamInfo } from './streams-store';
import type { TableLocks } from './table-locks';

/** An item a write may change, on a table with a stream. */
export interface Target {
  stream: StreamInfo;
  key: Item;
}

/**
 * Writes on tables with an enabled stream: each runs alone on its tables, between a consistent read of
 * the items it may change and another after it, so that the stream gets the exact old and new images.
 * A write that fails (a condition, a validation) leaves no record. Writes on other tables pass through.
 */
export class CapturedWrites {
  constructor(
    private readonly dynalite: Dynalite,
    private readonly streams: Streams,
    private readonly locks: TableLocks,
  ) {}

  /** PutItem, UpdateItem, DeleteItem and BatchWriteItem, forwarded to dynalite. */
  async forward(
    operation: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Promise<AwsResponse & { body: string }> {
    const targets = this.targetsOf(operation, parse(body));
    if (!targets.length) return this.dynalite.forward(headers, body);
    return this.locks.with(
      targets.map((t) => t.stream.tableName),
      () =>
        this.around(targets, async () => {
          const response = await this.dynalite.forward(headers, body);
          return { result: response, succeeded: response.status === 200 };
        }),
    );
  }

  /**
   * Runs `write` between reads of the targets and captures their changes when it succeeds. The caller
   * holds the locks of the targets' tables.
   */
  async around<T>(
    targets: Target[],
    write: () => Promise<{ result: T; succeeded: boolean }>,
    userIdentity?: UserIdentity,
  ): Promise<T> {
    // A key dynalite cannot read (of the wrong type) fails the write as well, with dynalite's answer.
    const before = await this.read(targets).catch(() => undefined);
    if (!before) return (await write()).result;
    const { result, succeeded } = await write();
    if (succeeded) {
      const after = await this.read(targets);
      const changes = targets.map((target, i) => ({
        target,
        change: { before: before[i], after: after[i] },
      }));
      this.capture(changes, userIdentity);
    }
    return result;
  }

  /** The items a write names on tables with a stream (none when the request is malformed). */
  private targetsOf(operation: string, input: Json | undefined): Target[] {
    if (!input) return [];
    if (operation === 'BatchWriteItem') {
      const requests = isObject(input.RequestItems) ? Object.entries(input.RequestItems) : [];
      return requests.flatMap(([table, writes]) => {
        const stream = this.streams.store.enabled(table);
        if (!stream || !Array.isArray(writes)) return [];
        return writes.flatMap((write: Json) => {
          const key = isObject(write?.PutRequest)
            ? keyFrom(write.PutRequest.Item, stream)
            : isObject(write?.DeleteRequest)
              ? keyFrom(write.DeleteRequest.Key, stream)
              : undefined;
          return key ? [{ stream, key }] : [];
        });
      });
    }
    const stream =
      typeof input.TableName === 'string' ? this.streams.store.enabled(input.TableName) : undefined;
    const key = stream && keyFrom(operation === 'PutItem' ? input.Item : input.Key, stream);
    return stream && key ? [{ stream, key }] : [];
  }

  private async read(targets: Target[]): Promise<Array<Item | undefined>> {
    return Promise.all(
      targets.map(async ({ stream, key }) => {
        const output = await this.dynalite.call('GetItem', {
          TableName: stream.tableName,
          Key: key,
          ConsistentRead: true,
        });
        return output.Item as Item | undefined;
      }),
    );
  }

  private capture(changes: Array<{ target: Target; change: Change }>, userIdentity?: UserIdentity): void {
    const byStream = new Map<string, { stream: StreamInfo; changes: Change[] }>();
    for (const { target, change } of changes) {
      const entry = byStream.get(target.stream.arn) ?? { stream: target.stream, changes: [] };
      entry.changes.push(change);
      byStream.set(target.stream.arn, entry);
    }
    for (const { stream, changes: list } of byStream.values())
      this.streams.capture(stream, list, userIdentity);
  }
}

/** The key of an item or a Key member, when every key attribute is there. */
function keyFrom(value: unknown, stream: StreamInfo): Item | undefined {
  if (!isObject(value)) return undefined;
  const key = keyOf(value as Item, stream.keySchema);
  return Object.values(key).every(isObject) ? key : undefined;
}

function parse(body: Buffer): Json | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
