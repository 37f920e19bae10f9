import type { CreateTableInput } from '@aws-sdk/client-dynamodb';
import type { Dynalite } from './dynalite';
import { DynamoError } from './errors';
import type { KeyElement } from './items';
import type { StreamsStore } from './streams-store';
import { describeTable, untilStatus } from './table-status';
import type { Tables } from './tables';

/**
 * Creates the service's tables that do not exist yet and gives each the stream its definition asks
 * for; a definition dynalite refuses is logged and left out. A table kept from an earlier start keeps its items; when its key schema is no longer the
 * definition's, the table is kept as it is and `log` says so.
 */
export async function ensureTables(
  definitions: CreateTableInput[],
  parts: { dynalite: Dynalite; tables: Tables; streams: StreamsStore; log: (line: string) => void },
): Promise<void> {
  const { dynalite, tables, streams, log } = parts;
  for (const definition of definitions) {
    const name = definition.TableName as string;
    const existing = await describeTable(dynalite, name);
    if (!existing) {
      const { StreamSpecification: _, ...create } = definition;
      try {
        await dynalite.call('CreateTable', create);
      } catch (error) {
        if (!(error instanceof DynamoError)) throw error;
        log(`DynamoDB table ${name} not created: ${error.code}: ${error.message}`);
        continue;
      }
      await untilStatus(dynalite, name, (status) => status === 'ACTIVE');
    } else if (keyText(existing) !== keyText(definition)) {
      log(
        `DynamoDB table ${name}: its key schema (${keyText(existing)}) is not the service's (${keyText(definition)}); ` +
          'the existing table is kept: remove the state folder (or start with --reset) to recreate it',
      );
    }
    const viewType = definition.StreamSpecification?.StreamViewType;
    if (streams.enabled(name)?.viewType !== viewType) await tables.setStream(name, viewType);
  }
}

/** The key schema with each key attribute's type: `id HASH S, at RANGE N`. */
function keyText(table: { KeySchema?: unknown; AttributeDefinitions?: unknown }): string {
  const types = new Map(
    ((table.AttributeDefinitions ?? []) as Array<{ AttributeName: string; AttributeType: string }>).map(
      (d) => [d.AttributeName, d.AttributeType],
    ),
  );
  return ((table.KeySchema ?? []) as KeyElement[])
    .map((k) => `${k.AttributeName} ${k.KeyType} ${types.get(k.AttributeName) ?? '?'}`)
    .join(', ');
}
