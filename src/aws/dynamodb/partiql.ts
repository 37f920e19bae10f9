import { isObject } from '../../service/values';
import { bodyOf } from './answers';
import type { CapturedWrites } from './captured-writes';
import { internalHeaders, type Dynalite, type Json } from './dynalite';
import { DynamoError, validation } from './errors';
import type { Item, KeyElement, WireValue } from './items';
import {
  parseStatement,
  type Condition,
  type Operand,
  type Path,
  type SetValue,
  type Statement,
} from './partiql-parser';
import type { Transactions } from './transactions';
import { removalsFromTheEnd } from './update-expression';
import { completedWrite } from './write-answers';

const DUPLICATE = 'Duplicate primary key exists in table';
const NO_KEY = 'Where clause does not contain a mandatory equality on all key attributes';

interface Schema {
  key: KeyElement[];
  indexes: Map<string, KeyElement[]>;
}

type Write = Extract<Statement, { kind: 'insert' | 'update' | 'delete' | 'exists' }>;

/**
 * PartiQL for DynamoDB (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction), translated into
 * the operations the rest of the service runs: a SELECT is a Query when its WHERE has an equality on
 * the partition key (of the table or of `"table"."index"`), else a Scan; INSERT is a PutItem that must
 * not find the key, UPDATE an UpdateItem that must find it, DELETE a DeleteItem, and transactions are
 * TransactWriteItems or TransactGetItems. Writes pass through `CapturedWrites`, so tables with a stream
 * get their records.
 */
export class PartiQL {
  constructor(
    private readonly dynalite: Dynalite,
    private readonly writes: CapturedWrites,
    private readonly transactions: Transactions,
  ) {}

  async executeStatement(input: Json): Promise<Json> {
    const statement = parseStatement(statementText(input.Statement), parametersOf(input.Parameters));
    if (statement.kind === 'select') return this.select(statement, input);
    if (statement.kind === 'exists') throw validation('EXISTS is supported only in ExecuteTransaction');
    return this.write(statement, input.ReturnValuesOnConditionCheckFailure);
  }

  async batchExecuteStatement(input: Json): Promise<Json> {
    const entries = input.Statements;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > 25) {
      throw validation(
        "1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25 and greater than or equal to 1",
      );
    }
    const parsed = entries.map((entry: unknown): Statement | DynamoError => {
      try {
        const request = isObject(entry) ? entry : {};
        return parseStatement(statementText(request.Statement), parametersOf(request.Parameters));
      } catch (error) {
        if (error instanceof DynamoError) return error;
        throw error;
      }
    });
    const statements = parsed.filter((s): s is Statement => !(s instanceof DynamoError));
    if (new Set(statements.map((s) => s.kind === 'select')).size > 1) {
      throw validation('Batch statements must be either all reads or all writes');
    }
    const responses: Json[] = [];
    for (const [i, statement] of parsed.entries()) {
      const request = entries[i] as Json;
      if (statement instanceof DynamoError) {
        responses.push({ Error: batchError(statement) });
        continue;
      }
      try {
        if (statement.kind === 'select') {
          const Item = await this.getItem(statement, request.ConsistentRead === true);
          responses.push({ TableName: statement.table, ...(Item ? { Item } : {}) });
        } else if (statement.kind === 'exists') {
          throw validation('EXISTS is supported only in ExecuteTransaction');
        } else {
          await this.write(statement, request.ReturnValuesOnConditionCheckFailure);
          responses.push({ TableName: statement.table });
        }
      } catch (error) {
        if (!(error instanceof DynamoError)) throw error;
        responses.push({ TableName: statement.table, Error: batchError(error) });
      }
    }
    return { Responses: responses };
  }

  async executeTransaction(input: Json): Promise<Json> {
    return this.transactions.tokens.run('ExecuteTransaction', input, async () => {
      const entries = input.TransactStatements;
      if (!Array.isArray(entries) || entries.length < 1 || entries.length > 100) {
        throw validation(
          "1 validation error detected: Value at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to 100 and greater than or equal to 1",
        );
      }
      const requests = entries.map((entry: unknown) => (isObject(entry) ? entry : {}));
      const statements = requests.map((r) =>
        parseStatement(statementText(r.Statement), parametersOf(r.Parameters)),
      );
      const reads = statements.filter((s) => s.kind === 'select');
      if (reads.length && reads.length !== statements.length) {
        throw validation('Transaction must contain either reads or writes, not both');
      }
      if (reads.length) return this.transactGet(reads as Array<Extract<Statement, { kind: 'select' }>>);
      const items = await Promise.all(
        (statements as Write[]).map((s, i) => this.transactItem(s, requests[i])),
      );
      try {
        await this.transactions.transactWrite({ TransactItems: items });
      } catch (error) {
        throw withDuplicateReasons(error, statements);
      }
      return {};
    });
  }

  private async select(statement: Extract<Statement, { kind: 'select' }>, input: Json): Promise<Json> {
    const schema = await this.schema(statement.table);
    const key = statement.index === undefined ? schema.key : schema.indexes.get(statement.index);
    if (!key) {
      throw validation(`The table does not have the specified index: ${statement.index}`);
    }
    const names = new Names();
    const request: Json = { TableName: statement.table };
    if (statement.index !== undefined) request.IndexName = statement.index;
    if (statement.projection)
      request.ProjectionExpression = statement.projection.map((p) => names.path(p)).join(', ');
    if (typeof input.Limit === 'number') request.Limit = input.Limit;
    if (input.ConsistentRead === true) request.ConsistentRead = true;
    if (input.NextToken !== undefined) request.ExclusiveStartKey = fromToken(input.NextToken);
    const query = keyCondition(statement.where, key, [...schema.key, ...key]);
    let operation = 'Scan';
    if (statement.order) {
      // AWS orders a Query only: by its partition or sort key.
      if (!statement.where) {
        throw validation('Must have WHERE clause in the statement when using ORDER BY clause.');
      }
      const [name, ...deeper] = statement.order.path;
      if (!query || deeper.length || !key.some((k) => k.AttributeName === name)) {
        throw validation(
          'ORDER BY is supported only on a key attribute of a SELECT with an equality on the partition key',
        );
      }
      if (statement.order.descending) request.ScanIndexForward = false;
    }
    if (query) {
      operation = 'Query';
      request.KeyConditionExpression = names.all(query.key);
      if (query.rest.length) request.FilterExpression = names.all(query.rest);
    } else if (statement.where) {
      request.FilterExpression = names.condition(statement.where);
    }
    const output = await this.dynalite.call(operation, names.attach(request));
    const result: Json = { Items: output.Items ?? [] };
    if (isObject(output.LastEvaluatedKey)) {
      result.NextToken = toToken(output.LastEvaluatedKey);
      result.LastEvaluatedKey = output.LastEvaluatedKey;
    }
    return result;
  }

  /** A SELECT of one item by its whole primary key (batches and transactions allow no other). */
  private async getItem(statement: Extract<Statement, { kind: 'select' }>, consistent: boolean) {
    const { Get } = await this.getRequest(statement);
    const { Item } = await this.dynalite.call('GetItem', { ...Get, ConsistentRead: consistent });
    return isObject(Item) ? (Item as Item) : undefined;
  }

  private async getRequest(statement: Extract<Statement, { kind: 'select' }>): Promise<{ Get: Json }> {
    if (statement.index !== undefined) throw validation('Reads of an index must be run by ExecuteStatement');
    const { key, rest } = keyOf(statement.where, (await this.schema(statement.table)).key);
    if (rest.length) throw validation('Only the key attributes may be in the WHERE clause of this read');
    const names = new Names();
    const Get: Json = { TableName: statement.table, Key: key };
    if (statement.projection)
      Get.ProjectionExpression = statement.projection.map((p) => names.path(p)).join(', ');
    return { Get: names.attach(Get, false) };
  }

  private async transactGet(statements: Array<Extract<Statement, { kind: 'select' }>>): Promise<Json> {
    const items = await Promise.all(statements.map((s) => this.getRequest(s)));
    return this.transactions.transactGet({ TransactItems: items });
  }

  /** A write as the input of its operation (PutItem, UpdateItem, DeleteItem, or a condition check). */
  private async writeRequest(statement: Write): Promise<{ operation: string; request: Json }> {
    const { key: schema } = await this.schema(statement.table);
    const names = new Names();
    const TableName = statement.table;
    if (statement.kind === 'insert') {
      const absent = schema.map(({ AttributeName }) => `attribute_not_exists(${names.name(AttributeName)})`);
      const request = { TableName, Item: statement.item, ConditionExpression: absent.join(' AND ') };
      return { operation: 'PutItem', request: names.attach(request) };
    }
    const { key, rest } = keyOf(statement.where, schema);
    const request: Json = { TableName, Key: key };
    const condition = names.all(rest);
    const hash = () => names.name(schema[0].AttributeName);
    if (statement.kind === 'delete') {
      // A DELETE of no item succeeds; its other conditions are checked on an item that is there.
      if (condition) request.ConditionExpression = `attribute_not_exists(${hash()}) OR ${condition}`;
      if (statement.returning) request.ReturnValues = statement.returning;
      return { operation: 'DeleteItem', request: names.attach(request) };
    }
    request.ConditionExpression = `attribute_exists(${hash()})${rest.length ? ` AND ${condition}` : ''}`;
    if (statement.kind === 'exists') return { operation: 'ConditionCheck', request: names.attach(request) };
    request.UpdateExpression = updateExpression(statement.actions, names);
    if (statement.returning) request.ReturnValues = statement.returning;
    return { operation: 'UpdateItem', request: names.attach(request) };
  }

  private async write(statement: Write, returnOnFailure: unknown): Promise<Json> {
    const { operation, request } = await this.writeRequest(statement);
    if (returnOnFailure === 'ALL_OLD') request.ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
    const body = Buffer.from(JSON.stringify(request));
    const answer = await completedWrite(
      this.dynalite,
      operation,
      request,
      await this.writes.forward(operation, internalHeaders(operation), body),
    );
    const output = bodyOf(answer);
    if (answer.status !== 200) {
      const error = DynamoError.fromBody(answer.status, output);
      if (statement.kind === 'insert' && error.code === 'ConditionalCheckFailedException') {
        throw new DynamoError('DuplicateItemException', DUPLICATE);
      }
      throw new DynamoError(
        error.code,
        error.message,
        answer.status,
        output.Item ? { Item: output.Item } : {},
      );
    }
    const returned = (statement.kind === 'update' || statement.kind === 'delete') && statement.returning;
    return { Items: returned && isObject(output.Attributes) ? [output.Attributes] : [] };
  }

  private async transactItem(statement: Write, entry: Json): Promise<Json> {
    const { operation, request } = await this.writeRequest(statement);
    const { ReturnValues: _, ...item } = request;
    if (entry.ReturnValuesOnConditionCheckFailure === 'ALL_OLD')
      item.ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
    const action = { PutItem: 'Put', UpdateItem: 'Update', DeleteItem: 'Delete' }[operation] ?? operation;
    return { [action]: item };
  }

  private async schema(table: string): Promise<Schema> {
    const { Table } = await this.dynalite.call('DescribeTable', { TableName: table });
    const description = Table as {
      KeySchema: KeyElement[];
      GlobalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: KeyElement[] }>;
      LocalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: KeyElement[] }>;
    };
    const indexes = [
      ...(description.GlobalSecondaryIndexes ?? []),
      ...(description.LocalSecondaryIndexes ?? []),
    ];
    return {
      key: description.KeySchema,
      indexes: new Map(indexes.map((index) => [index.IndexName, index.KeySchema])),
    };
  }
}

/** Expression attribute names and values, each made once as the expressions use them. */
class Names {
  private readonly names = new Map<string, string>();
  private readonly values: Record<string, WireValue> = {};
  private count = 0;

  name(name: string): string {
    let placeholder = this.names.get(name);
    if (!placeholder) {
      placeholder = `#n${this.names.size}`;
      this.names.set(name, placeholder);
    }
    return placeholder;
  }

  value(value: WireValue): string {
    const placeholder = `:v${this.count++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  path(path: Path): string {
    return path
      .map((element, i) =>
        typeof element === 'number' ? `[${element}]` : `${i ? '.' : ''}${this.name(element)}`,
      )
      .join('');
  }

  operand(operand: Operand): string {
    if (operand.kind === 'path') return this.path(operand.path);
    if (operand.kind === 'size') return `size(${this.path(operand.path)})`;
    return this.value(operand.value);
  }

  /**
   * The condition as a DynamoDB expression, parenthesized only where precedence needs it: DynamoDB
   * refuses redundant parentheses.
   */
  condition(condition: Condition, within: 'or' | 'and' | 'not' = 'or'): string {
    const rank = { or: 1, and: 2, not: 3 };
    const text = this.unparenthesized(condition);
    const own = condition.kind === 'or' || condition.kind === 'and' ? rank[condition.kind] : 4;
    return own < rank[within] ? `(${text})` : text;
  }

  private unparenthesized(condition: Condition): string {
    switch (condition.kind) {
      case 'compare':
        return `${this.operand(condition.left)} ${condition.op} ${this.operand(condition.right)}`;
      case 'between':
        return `${this.operand(condition.operand)} BETWEEN ${this.operand(condition.low)} AND ${this.operand(condition.high)}`;
      case 'in':
        return `${this.operand(condition.operand)} IN (${condition.values.map((v) => this.operand(v)).join(', ')})`;
      case 'and':
      case 'or':
        return `${this.condition(condition.left, condition.kind)} ${condition.kind.toUpperCase()} ${this.condition(condition.right, condition.kind)}`;
      case 'not':
        return `NOT ${this.condition(condition.condition, 'not')}`;
      case 'function':
        return `${condition.name}(${condition.args.map((a) => this.operand(a)).join(', ')})`;
    }
  }

  /** Conditions joined by AND. */
  all(conditions: Condition[]): string {
    return conditions.map((c) => this.condition(c, 'and')).join(' AND ');
  }

  /** The request with the names and values its expressions use (none: no member). */
  attach(request: Json, withValues = true): Json {
    const result = { ...request };
    if (this.names.size) {
      result.ExpressionAttributeNames = Object.fromEntries([...this.names].map(([name, p]) => [p, name]));
    }
    if (withValues && Object.keys(this.values).length) result.ExpressionAttributeValues = this.values;
    return result;
  }
}

/** The SET, REMOVE, ADD (set_add) and DELETE (set_delete) clauses of an UPDATE. */
function updateExpression(actions: Extract<Statement, { kind: 'update' }>['actions'], names: Names): string {
  const clauses: Record<'SET' | 'REMOVE' | 'ADD' | 'DELETE', string[]> = {
    SET: [],
    REMOVE: [],
    ADD: [],
    DELETE: [],
  };
  for (const action of actions) {
    const path = names.path(action.path);
    if (action.kind === 'remove') {
      clauses.REMOVE.push(path);
      continue;
    }
    const value: SetValue = action.value;
    if (value.kind === 'set_add' || value.kind === 'set_delete') {
      if (names.path(value.path) !== path) {
        throw validation(`${value.kind} must name the attribute it sets`);
      }
      clauses[value.kind === 'set_add' ? 'ADD' : 'DELETE'].push(`${path} ${names.operand(value.value)}`);
    } else if (value.kind === 'operand') {
      clauses.SET.push(`${path} = ${names.operand(value.operand)}`);
    } else if (value.kind === 'arithmetic') {
      clauses.SET.push(`${path} = ${names.operand(value.left)} ${value.op} ${names.operand(value.right)}`);
    } else if (value.kind === 'list_append') {
      clauses.SET.push(`${path} = list_append(${names.operand(value.left)}, ${names.operand(value.right)})`);
    } else {
      clauses.SET.push(`${path} = if_not_exists(${names.path(value.path)}, ${names.operand(value.value)})`);
    }
  }
  const expression = Object.entries(clauses)
    .filter(([, list]) => list.length)
    .map(([clause, list]) => `${clause} ${list.join(', ')}`)
    .join(' ');
  return removalsFromTheEnd(expression);
}

/** The conditions joined by AND at the top of a WHERE clause. */
function conjuncts(condition: Condition | undefined): Condition[] {
  if (!condition) return [];
  if (condition.kind === 'and') return [...conjuncts(condition.left), ...conjuncts(condition.right)];
  return [condition];
}

/** The value an equality conjunct gives a top-level attribute, either way round. */
function equality(condition: Condition, attribute: string): WireValue | undefined {
  if (condition.kind !== 'compare' || condition.op !== '=') return undefined;
  const { left, right } = condition;
  if (isAttribute(left, attribute) && right.kind === 'value') return right.value;
  if (isAttribute(right, attribute) && left.kind === 'value') return left.value;
  return undefined;
}

const isAttribute = (operand: Operand, attribute: string) =>
  operand.kind === 'path' && operand.path.length === 1 && operand.path[0] === attribute;

/** The whole primary key from the WHERE clause's equalities, and the conjuncts left. */
function keyOf(where: Condition | undefined, schema: KeyElement[]): { key: Item; rest: Condition[] } {
  const rest = conjuncts(where);
  const key: Item = {};
  for (const { AttributeName } of schema) {
    const i = rest.findIndex((c) => equality(c, AttributeName) !== undefined);
    if (i < 0) throw validation(NO_KEY);
    key[AttributeName] = equality(rest[i], AttributeName) as WireValue;
    rest.splice(i, 1);
  }
  return { key, rest };
}

/**
 * A Query's key conditions from the WHERE clause (an equality on the partition key, and a condition of
 * a form KeyConditionExpression takes on the sort key), and its other conjuncts as a filter; none when
 * there is no such equality, or when a filter would name a key attribute (the SELECT is then a Scan).
 */
function keyCondition(
  where: Condition | undefined,
  schema: KeyElement[],
  keyAttributes: KeyElement[],
): { key: Condition[]; rest: Condition[] } | undefined {
  const rest = conjuncts(where);
  const hash = schema.find((k) => k.KeyType === 'HASH')?.AttributeName as string;
  const range = schema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  const h = rest.findIndex((c) => equality(c, hash) !== undefined);
  if (h < 0) return undefined;
  const key = rest.splice(h, 1);
  const r = range === undefined ? -1 : rest.findIndex((c) => isSortKeyCondition(c, range));
  if (r >= 0) key.push(...rest.splice(r, 1));
  const names = new Set(keyAttributes.map((k) => k.AttributeName));
  if (rest.some((c) => mentions(c, names))) return undefined;
  return { key, rest };
}

function isSortKeyCondition(condition: Condition, attribute: string): boolean {
  if (condition.kind === 'compare') {
    return (
      condition.op !== '<>' && isAttribute(condition.left, attribute) && condition.right.kind === 'value'
    );
  }
  if (condition.kind === 'between') {
    return (
      isAttribute(condition.operand, attribute) &&
      condition.low.kind === 'value' &&
      condition.high.kind === 'value'
    );
  }
  return (
    condition.kind === 'function' &&
    condition.name === 'begins_with' &&
    isAttribute(condition.args[0], attribute) &&
    condition.args[1].kind === 'value'
  );
}

function mentions(condition: Condition, names: Set<string>): boolean {
  const operands = (c: Condition): Operand[] => {
    switch (c.kind) {
      case 'compare':
        return [c.left, c.right];
      case 'between':
        return [c.operand, c.low, c.high];
      case 'in':
        return [c.operand, ...c.values];
      case 'and':
      case 'or':
        return [...operands(c.left), ...operands(c.right)];
      case 'not':
        return operands(c.condition);
      case 'function':
        return c.args;
    }
  };
  return operands(condition).some((o) => o.kind !== 'value' && names.has(String(o.path[0])));
}

/** An INSERT's failed condition in a cancelled transaction is DuplicateItem, as AWS reports it. */
function withDuplicateReasons(error: unknown, statements: Statement[]): unknown {
  if (!(error instanceof DynamoError) || error.code !== 'TransactionCanceledException') return error;
  const reasons = (error.fields.CancellationReasons as Json[]).map((reason, i) =>
    statements[i].kind === 'insert' && reason.Code === 'ConditionalCheckFailed'
      ? { Code: 'DuplicateItem', Message: DUPLICATE }
      : reason,
  );
  return new DynamoError(
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code as string).join(', ')}]`,
    400,
    { CancellationReasons: reasons },
  );
}

/** A statement's error as BatchExecuteStatement reports it (`ConditionalCheckFailed`, ...). */
function batchError(error: DynamoError): Json {
  const code =
    error.code === 'ValidationException' ? 'ValidationError' : error.code.replace(/Exception$/, '');
  return { Code: code, Message: error.message, ...(error.fields.Item ? { Item: error.fields.Item } : {}) };
}

function statementText(value: unknown): string {
  if (typeof value !== 'string' || !value.length || value.length > 8192) {
    throw validation(
      "1 validation error detected: Value at 'statement' failed to satisfy constraint: Member must have length less than or equal to 8192 and greater than or equal to 1",
    );
  }
  return value;
}

function parametersOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.length) {
    throw validation(
      "1 validation error detected: Value at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  return value;
}

/** NextToken: the LastEvaluatedKey, carried by the caller. */
const toToken = (key: Json) => Buffer.from(JSON.stringify(key)).toString('base64');

function fromToken(token: unknown): Json {
  try {
    const key: unknown = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8'));
    if (isObject(key)) return key;
  } catch {
    // refused below
  }
  throw validation('The provided starting key is invalid: NextToken');
}
