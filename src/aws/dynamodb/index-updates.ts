import { isObject } from '../../service/values';
import type { Dynalite, Json } from './dynalite';
import { DynamoError, resourceNotFound, validation } from './errors';
import type { KeyElement } from './items';
import { untilStatus } from './table-status';

interface Definition {
  AttributeName: string;
  AttributeType: string;
}

interface IndexDescription {
  IndexName: string;
  KeySchema: KeyElement[];
  Projection: Json;
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
}

const BATCH = 25;

/** Whether an UpdateTable creates or deletes a global secondary index (which dynalite ignores). */
export function changesIndexes(input: Json): boolean {
  return indexChanges(input).length > 0;
}

/** The UpdateTable input without its index creations and deletions (done by `recreateWithIndexes`). */
export function withoutIndexChanges(input: Json): Json {
  const { GlobalSecondaryIndexUpdates: updates, AttributeDefinitions: _, ...rest } = input;
  const others = (updates as unknown[]).filter((update) => !isChange(update));
  return others.length ? { ...rest, GlobalSecondaryIndexUpdates: others } : rest;
}

/**
 * Creates or deletes a global secondary index as UpdateTable's GlobalSecondaryIndexUpdates ask: dynalite
 * builds indexes only when it creates a table, so the table is made again with its new set of indexes
 * and its items and tags copied into it (the index is ACTIVE, backfilled, when UpdateTable answers).
 * The caller holds the table's write lock; a read during the copy may find the table missing.
 */
export async function recreateWithIndexes(dynalite: Dynalite, tableName: string, input: Json): Promise<void> {
  const changes = indexChanges(input);
  if (changes.length > 1) {
    throw new DynamoError(
      'LimitExceededException',
      'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
    );
  }
  const table = (await dynalite.call('DescribeTable', { TableName: tableName })).Table as Json;
  const indexes = nextIndexes(table, changes[0], tableName);
  const billing = String((table.BillingModeSummary as Json | undefined)?.BillingMode ?? 'PROVISIONED');
  const definitions = mergedDefinitions(table, input);
  const keySchemas = [table.KeySchema, ...[...indexes, ...localIndexes(table)].map((i) => i.KeySchema)];
  const used = new Set(keySchemas.flatMap((schema) => (schema as KeyElement[]).map((k) => k.AttributeName)));
  for (const name of used) {
    if (!definitions.some((d) => d.AttributeName === name)) {
      throw validation(
        `One or more parameter values were invalid: Global Secondary Index ${String(changes[0].Create?.IndexName)} has a key attribute ${name} that is not defined in the AttributeDefinitions`,
      );
    }
  }
  const throughput = (t: IndexDescription['ProvisionedThroughput'] | undefined) =>
    billing === 'PROVISIONED' && t
      ? { ReadCapacityUnits: t.ReadCapacityUnits || 1, WriteCapacityUnits: t.WriteCapacityUnits || 1 }
      : undefined;
  const create: Json = {
    TableName: tableName,
    KeySchema: table.KeySchema,
    AttributeDefinitions: definitions.filter((d) => used.has(d.AttributeName)),
    BillingMode: billing,
    ProvisionedThroughput: throughput(
      table.ProvisionedThroughput as IndexDescription['ProvisionedThroughput'],
    ),
    LocalSecondaryIndexes: localIndexes(table).map(({ IndexName, KeySchema, Projection }) => ({
      IndexName,
      KeySchema,
      Projection,
    })),
    GlobalSecondaryIndexes: indexes.map(({ IndexName, KeySchema, Projection, ProvisionedThroughput }) => ({
      IndexName,
      KeySchema,
      Projection,
      ProvisionedThroughput: throughput(ProvisionedThroughput),
    })),
  };
  if (!(create.LocalSecondaryIndexes as unknown[]).length) delete create.LocalSecondaryIndexes;
  if (!indexes.length) delete create.GlobalSecondaryIndexes;
  const items = await allItems(dynalite, tableName);
  const { Tags: tags } = await dynalite.call('ListTagsOfResource', { ResourceArn: table.TableArn });
  await dynalite.call('DeleteTable', { TableName: tableName });
  await untilStatus(dynalite, tableName, (status) => status === undefined);
  await dynalite.call('CreateTable', create);
  await untilStatus(dynalite, tableName, (status) => status === 'ACTIVE');
  if (Array.isArray(tags) && tags.length)
    await dynalite.call('TagResource', { ResourceArn: table.TableArn, Tags: tags });
  for (let i = 0; i < items.length; i += BATCH) {
    const requests = items.slice(i, i + BATCH).map((Item) => ({ PutRequest: { Item } }));
    await dynalite.call('BatchWriteItem', { RequestItems: { [tableName]: requests } });
  }
}

interface Change {
  Create?: Json;
  Delete?: Json;
}

const isChange = (update: unknown): update is Change =>
  isObject(update) && (isObject(update.Create) || isObject(update.Delete));

function indexChanges(input: Json): Change[] {
  return Array.isArray(input.GlobalSecondaryIndexUpdates)
    ? input.GlobalSecondaryIndexUpdates.filter(isChange)
    : [];
}

const localIndexes = (table: Json) => (table.LocalSecondaryIndexes ?? []) as IndexDescription[];

function nextIndexes(table: Json, change: Change, tableName: string): IndexDescription[] {
  const current = (table.GlobalSecondaryIndexes ?? []) as IndexDescription[];
  if (change.Delete) {
    const name = change.Delete.IndexName;
    if (!current.some((index) => index.IndexName === name)) {
      throw resourceNotFound(
        `Requested resource not found: Index: ${String(name)} not found for table: ${tableName}`,
      );
    }
    return current.filter((index) => index.IndexName !== name);
  }
  const created = change.Create as unknown as IndexDescription;
  if ([...current, ...localIndexes(table)].some((index) => index.IndexName === created.IndexName)) {
    throw validation(
      `One or more parameter values were invalid: Index with name ${created.IndexName} already exists on table ${tableName}`,
    );
  }
  return [...current, created];
}

function mergedDefinitions(table: Json, input: Json): Definition[] {
  const given = (Array.isArray(input.AttributeDefinitions) ? input.AttributeDefinitions : []) as Definition[];
  const existing = (table.AttributeDefinitions ?? []) as Definition[];
  return [...existing.filter((d) => !given.some((g) => g.AttributeName === d.AttributeName)), ...given];
}

async function allItems(dynalite: Dynalite, table: string): Promise<Json[]> {
  const items: Json[] = [];
  let start: unknown;
  do {
    const page = await dynalite.call('Scan', {
      TableName: table,
      ConsistentRead: true,
      ExclusiveStartKey: start,
    });
    items.push(...(page.Items as Json[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
