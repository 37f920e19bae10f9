import { isObject } from '../../service/values';
import { bodyOf, withBody, type Answer } from './answers';
import type { Dynalite, Json } from './dynalite';
import { itemSize, type Item } from './items';
import type { DynamoRequest } from './requests';

/** BatchGetItem answers at most 16 MB of items; the keys left are its UnprocessedKeys. */
const MAX_BYTES = 16 * 1024 * 1024;

/**
 * BatchGetItem, forwarded to dynalite (which checks the request). dynalite stops at about 1 MB, AWS's
 * old limit, and its UnprocessedKeys lose the projection: such an answer is made again from single
 * reads of the keys, in the request's order, until the next item would pass 16 MB; the keys from
 * there are UnprocessedKeys with the table's other request members, as AWS answers them.
 */
export async function batchGet(dynalite: Dynalite, request: DynamoRequest): Promise<Answer> {
  const answer = await dynalite.forward(request.headers, request.body);
  if (answer.status !== 200 || !request.input) return answer;
  const output = bodyOf(answer);
  if (!isObject(output.UnprocessedKeys) || !Object.keys(output.UnprocessedKeys).length) return answer;
  const responses: Record<string, Item[]> = {};
  const unprocessed: Record<string, Json> = {};
  let size = 0;
  for (const [table, { Keys: keys, ...read }] of Object.entries(
    request.input.RequestItems as Record<string, Json>,
  )) {
    responses[table] = [];
    for (const [i, key] of (keys as Item[]).entries()) {
      const { Item: item } = await dynalite.call('GetItem', { TableName: table, Key: key, ...read });
      if (!isObject(item)) continue;
      if (size + itemSize(item as Item) > MAX_BYTES) {
        unprocessed[table] = { ...read, Keys: (keys as Item[]).slice(i) };
        break;
      }
      size += itemSize(item as Item);
      responses[table].push(item as Item);
    }
  }
  return withBody(answer, { ...output, Responses: responses, UnprocessedKeys: unprocessed });
}
