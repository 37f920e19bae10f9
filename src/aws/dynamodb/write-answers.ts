import { isObject } from '../../service/values';
import { bodyOf, withBody, type Answer } from './answers';
import type { Dynalite, Json } from './dynalite';
import { keyOf, type Item, type KeyElement } from './items';

/**
 * A PutItem, UpdateItem or DeleteItem answer from dynalite with what AWS answers besides: the item
 * as it is in a ConditionalCheckFailedException when the request asks for it
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`), and no `Attributes` when UpdateItem's
 * ReturnValues select none (dynalite answers `{}`).
 */
export async function completedWrite(
  dynalite: Dynalite,
  operation: string,
  input: Json | undefined,
  answer: Answer,
): Promise<Answer> {
  if (!input) return answer;
  if (answer.status === 200) {
    const output = bodyOf(answer);
    const empty = isObject(output.Attributes) && !Object.keys(output.Attributes).length;
    if (operation !== 'UpdateItem' || !empty) return answer;
    const { Attributes: _, ...rest } = output;
    return withBody(answer, rest);
  }
  const error = bodyOf(answer);
  const failedCondition = String(error.__type).endsWith('#ConditionalCheckFailedException');
  if (!failedCondition || input.ReturnValuesOnConditionCheckFailure !== 'ALL_OLD') return answer;
  const item = await currentItem(dynalite, operation, input);
  return item ? withBody(answer, { ...error, Item: item }) : answer;
}

/** The item a failed write named, read after it (the write changed nothing). */
async function currentItem(dynalite: Dynalite, operation: string, input: Json): Promise<Item | undefined> {
  const table = input.TableName;
  let key = input.Key as Item;
  if (operation === 'PutItem') {
    const { Table } = await dynalite.call('DescribeTable', { TableName: table });
    key = keyOf(input.Item as Item, (Table as { KeySchema: KeyElement[] }).KeySchema);
  }
  const { Item } = await dynalite.call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
  return Item as Item | undefined;
}
