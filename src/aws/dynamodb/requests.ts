import type { IncomingHttpHeaders } from 'node:http';
import { isObject } from '../../service/values';
import type { AwsRequest } from '../endpoint';
import { jsonObject } from '../json-protocol';
import type { Json } from './dynalite';
import { withTableNames } from './table-arns';
import { removalsFromTheEnd } from './update-expression';

/** A DynamoDB request as dynalite should get it, with its input when the body is a JSON object. */
export interface DynamoRequest {
  headers: IncomingHttpHeaders;
  body: Buffer;
  input?: Json;
  /** The batch request maps' ARNs by table name (their answers are keyed by ARN again). */
  arns: Map<string, string>;
}

/**
 * The request with what dynalite reads otherwise than AWS rewritten: table ARNs as names, and
 * REMOVE clauses' list indexes from the highest down (`removalsFromTheEnd`). A body that is not a
 * JSON object is left for dynalite to refuse.
 */
export function normalized({ headers, body }: AwsRequest): DynamoRequest {
  const parsed = jsonObject(body);
  if (!parsed) return { headers, body, arns: new Map() };
  const { input: named, arns } = withTableNames(parsed);
  const input = withOrderedRemovals(named);
  const text = JSON.stringify(input);
  if (text === JSON.stringify(parsed)) return { headers, body, input: parsed, arns };
  const rewritten = Buffer.from(text);
  return {
    headers: { ...headers, 'content-length': String(rewritten.length) },
    body: rewritten,
    input,
    arns,
  };
}

/** UpdateItem's expression, and each transaction Update's, with list removals reordered. */
function withOrderedRemovals(input: Json): Json {
  const ordered = (update: Json): Json =>
    typeof update.UpdateExpression === 'string'
      ? { ...update, UpdateExpression: removalsFromTheEnd(update.UpdateExpression) }
      : update;
  const result = ordered(input);
  if (!Array.isArray(input.TransactItems)) return result;
  return {
    ...result,
    TransactItems: input.TransactItems.map((entry: unknown) =>
      isObject(entry) && isObject(entry.Update) ? { ...entry, Update: ordered(entry.Update) } : entry,
    ),
  };
}
