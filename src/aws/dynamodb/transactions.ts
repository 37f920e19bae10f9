import type { Dynalite, Json } from './dynalite';
import { DynamoError, validation } from './errors';
import { keyOf, sameItem, type Item, type KeyElement } from './items';
import type { CapturedWrites, Target } from './captured-writes';
import type { Streams } from './streams';
import type { TableLocks } from './table-locks';
import { isObject } from '../../service/values';
import type { Clock } from '../../clock';
import { IdempotencyTokens } from './idempotency';

const ACTIONS = ['ConditionCheck', 'Put', 'Delete', 'Update'] as const;
type Action = (typeof ACTIONS)[number];

interface TransactItem {
  action: Action;
  input: Json;
  table: string;
  key: Item;
}

/**
 * TransactWriteItems and TransactGetItems, which dynalite lacks, made of its single-item operations.
 * The writes run alone on their tables; each condition is checked as its write is made and, when one
 * fails, the writes already made are undone (items are restored from the images read before), so the
 * transaction is all or nothing for every client of this endpoint. A ClientRequestToken makes a
 * repeat within 10 minutes answer without writing again (`IdempotencyTokens`). ConsumedCapacity is not
 * emulated.
 */
export class Transactions {
  /** The tokens of TransactWriteItems and of ExecuteTransaction (PartiQL), on the service's clock. */
  readonly tokens: IdempotencyTokens;

  constructor(
    private readonly dynalite: Dynalite,
    private readonly streams: Streams,
    private readonly writes: CapturedWrites,
    private readonly locks: TableLocks,
    clock: Clock,
  ) {
    this.tokens = new IdempotencyTokens(clock);
  }

  async transactGet(input: Json): Promise<Json> {
    const gets = transactItems(input).map((entry, i) => {
      if (!isObject(entry) || !isObject(entry.Get)) throw validation(`TransactItems[${i}] must have Get`);
      return entry.Get;
    });
    const items = await Promise.all(
      gets.map((get) => this.dynalite.call('GetItem', { ...get, ConsistentRead: true })),
    );
    return { Responses: items.map(({ Item }) => (Item ? { Item } : {})) };
  }

  async transactWrite(input: Json): Promise<Json> {
    return this.tokens.run('TransactWriteItems', input, () => this.transactWriteOnce(input));
  }

  private async transactWriteOnce(input: Json): Promise<Json> {
    const items = await this.itemsOf(transactItems(input));
    const tables = items.map((item) => item.table);
    return this.locks.with(tables, async () => {
      const before = await Promise.all(items.map((item) => this.get(item.table, item.key)));
      const streamed = items.flatMap((item): Target[] => {
        const stream = item.action === 'ConditionCheck' ? undefined : this.streams.store.enabled(item.table);
        return stream ? [{ stream, key: item.key }] : [];
      });
      // The stream's changes are read around the whole transaction; a cancelled one throws and has none.
      await this.writes.around(streamed, async () => {
        await this.apply(items, before);
        return { result: undefined, succeeded: true };
      });
      return {};
    });
  }

  /** Makes every write; when a condition fails, undoes those made and cancels with every reason. */
  private async apply(items: TransactItem[], before: Array<Item | undefined>): Promise<void> {
    const made: number[] = [];
    const reasons: Json[] = [];
    try {
      for (const [i, item] of items.entries()) {
        try {
          await this.write(item, before[i]);
          made.push(i);
          reasons.push({ Code: 'None' });
        } catch (error) {
          if (!(error instanceof DynamoError) || error.code !== 'ConditionalCheckFailedException')
            throw error;
          const returnOld = item.input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before[i];
          reasons.push({
            Code: 'ConditionalCheckFailed',
            Message: error.message,
            Item: returnOld || undefined,
          });
        }
      }
    } catch (error) {
      await this.undo(items, before, made);
      throw error;
    }
    if (made.length === items.length) return;
    await this.undo(items, before, made);
    throw new DynamoError(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code as string).join(', ')}]`,
      400,
      { CancellationReasons: reasons },
    );
  }

  private async write({ action, input, table, key }: TransactItem, before: Item | undefined): Promise<void> {
    const { ReturnValuesOnConditionCheckFailure: _, ...request } = input;
    if (action === 'Put') await this.dynalite.call('PutItem', request);
    else if (action === 'Delete') await this.dynalite.call('DeleteItem', request);
    else if (action === 'Update') await this.dynalite.call('UpdateItem', request);
    else {
      // A condition is checked by a conditional put of the item as it is (or of its key, removed again).
      const { Key: __, ...condition } = request;
      await this.dynalite.call('PutItem', { ...condition, Item: before ?? key });
      if (!before) await this.dynalite.call('DeleteItem', { TableName: table, Key: key });
    }
  }

  private async undo(items: TransactItem[], before: Array<Item | undefined>, made: number[]): Promise<void> {
    for (const i of made.reverse()) {
      const { table, key, action } = items[i];
      if (action === 'ConditionCheck') continue;
      const old = before[i];
      if (old) await this.dynalite.call('PutItem', { TableName: table, Item: old });
      else await this.dynalite.call('DeleteItem', { TableName: table, Key: key });
    }
  }

  private async get(table: string, key: Item): Promise<Item | undefined> {
    const output = await this.dynalite.call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
    return output.Item as Item | undefined;
  }

  /** The transaction's writes with their tables and keys; one item may be written only once. */
  private async itemsOf(entries: unknown[]): Promise<TransactItem[]> {
    const schemas = new Map<string, KeyElement[]>();
    const items: TransactItem[] = [];
    for (const [i, entry] of entries.entries()) {
      const actions = isObject(entry) ? ACTIONS.filter((a) => isObject(entry[a])) : [];
      if (actions.length !== 1) {
        throw validation(`TransactItems[${i}] must have exactly one of ${ACTIONS.join(', ')}`);
      }
      const action = actions[0];
      const input = (entry as Record<Action, Json>)[action];
      if (typeof input.TableName !== 'string')
        throw validation(`TransactItems[${i}].${action}.TableName is required`);
      const table = input.TableName;
      if (!schemas.has(table)) schemas.set(table, await this.keySchema(table));
      const source = action === 'Put' ? input.Item : input.Key;
      if (!isObject(source))
        throw validation(`TransactItems[${i}].${action} must have ${action === 'Put' ? 'Item' : 'Key'}`);
      const key = keyOf(source as Item, schemas.get(table) ?? []);
      if (items.some((other) => other.table === table && sameItem(other.key, key))) {
        throw validation('Transaction request cannot include multiple operations on one item');
      }
      items.push({ action, input, table, key });
    }
    return items;
  }

  private async keySchema(table: string): Promise<KeyElement[]> {
    const output = await this.dynalite.call('DescribeTable', { TableName: table });
    return (output.Table as { KeySchema: KeyElement[] }).KeySchema;
  }
}

function transactItems(input: Json): unknown[] {
  const entries = input.TransactItems;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 100) {
    throw validation(
      "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100 and greater than or equal to 1",
    );
  }
  return entries;
}
