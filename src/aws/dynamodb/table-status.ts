import type { Dynalite, Json } from './dynalite';
import { DynamoError } from './errors';

/** The table's description, or undefined when there is no such table. */
export async function describeTable(dynalite: Dynalite, table: string): Promise<Json | undefined> {
  try {
    return (await dynalite.call('DescribeTable', { TableName: table })).Table as Json;
  } catch (error) {
    if (error instanceof DynamoError && error.code === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** Waits until the table's status (undefined: no table) is one `done` accepts; dynalite moves it on its next ticks. */
export async function untilStatus(
  dynalite: Dynalite,
  table: string,
  done: (status: string | undefined) => boolean,
): Promise<void> {
  while (!done((await describeTable(dynalite, table))?.TableStatus as string | undefined)) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
