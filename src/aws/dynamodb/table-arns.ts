import { isObject } from '../../service/values';
import type { Json } from './dynalite';

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/([A-Za-z0-9_.-]{3,255})$/;
const BATCH_MAPS = ['Responses', 'UnprocessedKeys', 'UnprocessedItems', 'ItemCollectionMetrics'];

/** The table an ARN names, or the name as given. */
export const tableNameOf = (name: string) => TABLE_ARN.exec(name)?.[1] ?? name;

/**
 * AWS takes a table's ARN wherever it takes its name (dynalite only names): the input with every
 * table ARN turned into the table's name (TableName, the request maps of BatchGetItem and
 * BatchWriteItem, each TransactItems entry), and the ARNs the batch request maps were keyed by.
 */
export function withTableNames(input: Json): { input: Json; arns: Map<string, string> } {
  const arns = new Map<string, string>();
  const named = (value: unknown) => (typeof value === 'string' ? tableNameOf(value) : value);
  const output: Json = { ...input };
  if (input.TableName !== undefined) output.TableName = named(input.TableName);
  if (isObject(input.RequestItems)) {
    output.RequestItems = Object.fromEntries(
      Object.entries(input.RequestItems).map(([table, request]) => {
        const name = tableNameOf(table);
        if (name !== table) arns.set(name, table);
        return [name, request];
      }),
    );
  }
  if (Array.isArray(input.TransactItems)) {
    output.TransactItems = input.TransactItems.map((entry: unknown) =>
      isObject(entry)
        ? Object.fromEntries(
            Object.entries(entry).map(([action, request]) => [
              action,
              isObject(request) && request.TableName !== undefined
                ? { ...request, TableName: named(request.TableName) }
                : request,
            ]),
          )
        : entry,
    );
  }
  return { input: output, arns };
}

/** A batch answer with its maps keyed again by the ARNs the request used. */
export function keyedByArns(output: Json, arns: Map<string, string>): Json {
  if (!arns.size) return output;
  const result: Json = { ...output };
  for (const member of BATCH_MAPS) {
    const map = output[member];
    if (!isObject(map)) continue;
    result[member] = Object.fromEntries(Object.entries(map).map(([name, v]) => [arns.get(name) ?? name, v]));
  }
  return result;
}
