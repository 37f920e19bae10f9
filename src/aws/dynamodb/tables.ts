import type { Clock } from '../../clock';
import { buildArn } from '../../service/arn';
import type { IncomingHttpHeaders } from 'node:http';
import { bodyOf, success, withBody, type Answer } from './answers';
import { isObject } from '../../service/values';
import type { Dynalite, Json } from './dynalite';
import { validation } from './errors';
import type { KeyElement } from './items';
import { changesIndexes, recreateWithIndexes, withoutIndexChanges } from './index-updates';
import type { StreamsStore } from './streams-store';
import type { TableLocks } from './table-locks';

export interface TablesOptions {
  region: string;
  accountId: string;
  clock: Clock;
}

const VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'];

/**
 * The table operations, forwarded to dynalite with what it lacks added: global secondary indexes
 * created or deleted by UpdateTable (`index-updates.ts`), streams (StreamSpecification on CreateTable
 * and UpdateTable; LatestStreamArn, LatestStreamLabel and StreamSpecification in every
 * table description) and the emulator's region and account in the tables' ARNs.
 */
export class Tables {
  constructor(
    private readonly dynalite: Dynalite,
    private readonly streams: StreamsStore,
    private readonly locks: TableLocks,
    private readonly options: TablesOptions,
  ) {}

  /** CreateTable, UpdateTable, DeleteTable or DescribeTable. */
  async handle(operation: string, headers: IncomingHttpHeaders, body: Buffer, input: Json): Promise<Answer> {
    const spec = streamSpecification(input.StreamSpecification);
    const table = String(input.TableName);
    if (operation === 'UpdateTable' && (spec || changesIndexes(input))) {
      const current = this.streams.enabled(table);
      if (spec?.viewType && current) throw validation(`Table already has an enabled stream: ${current.arn}`);
      if (spec && !spec.viewType && !current) throw validation('Table already has no enabled stream');
      let rest = input;
      if (changesIndexes(input)) {
        await this.locks.with([table], () => recreateWithIndexes(this.dynalite, table, input));
        rest = withoutIndexChanges(input);
      }
      const { StreamSpecification: _, ...others } = rest;
      const answer =
        Object.keys(others).length > 1 ? await this.forwardJson(headers, others) : await this.describe(table);
      if (answer.status === 200 && spec) await this.setStream(table, spec.viewType);
      return this.patched(answer);
    }
    const answer = await this.dynalite.forward(headers, body);
    if (answer.status === 200 && operation === 'CreateTable' && spec?.viewType) {
      this.streams.create(
        this.arnOf(table),
        table,
        spec.viewType,
        input.KeySchema as KeyElement[],
        this.options.clock.now(),
      );
    }
    if (answer.status === 200 && operation === 'DeleteTable') this.streams.disable(table);
    return this.patched(answer);
  }

  /** Enables the table's stream with the view type, or disables it (undefined). */
  async setStream(table: string, viewType: string | undefined): Promise<void> {
    this.streams.disable(table);
    if (viewType === undefined) return;
    const { Table } = await this.dynalite.call('DescribeTable', { TableName: table });
    const keySchema = (Table as { KeySchema: KeyElement[] }).KeySchema;
    this.streams.create(this.arnOf(table), table, viewType, keySchema, this.options.clock.now());
  }

  arnOf(table: string): string {
    return buildArn('dynamodb', this.options.region, this.options.accountId, `table/${table}`);
  }

  private async describe(table: string): Promise<Answer> {
    const { Table } = await this.dynalite.call('DescribeTable', { TableName: table });
    return success({ TableDescription: Table });
  }

  private forwardJson(headers: IncomingHttpHeaders, input: Json): Promise<Answer> {
    return this.dynalite.forward(headers, Buffer.from(JSON.stringify(input)));
  }

  /** The answer with the table description completed; its x-amz-crc32 (of dynalite's body) dropped. */
  private patched(answer: Answer): Answer {
    if (answer.status !== 200) return answer;
    const output = bodyOf(answer);
    const description = (output.Table ?? output.TableDescription) as Json | undefined;
    if (!description) return answer;
    this.complete(description);
    return withBody(answer, output);
  }

  private complete(description: Json): void {
    const table = String(description.TableName);
    description.TableArn = this.arnOf(table);
    for (const index of [description.GlobalSecondaryIndexes, description.LocalSecondaryIndexes]) {
      if (!Array.isArray(index)) continue;
      for (const entry of index as Json[])
        entry.IndexArn = `${this.arnOf(table)}/index/${String(entry.IndexName)}`;
    }
    const stream = this.streams.latest(table);
    if (!stream) return;
    description.LatestStreamArn = stream.arn;
    description.LatestStreamLabel = stream.label;
    if (stream.enabled)
      description.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.viewType };
  }
}

/** A StreamSpecification: the view type of an enabled stream, none when disabled; undefined when absent. */
function streamSpecification(value: unknown): { viewType?: string } | undefined {
  if (!isObject(value)) return undefined;
  if (value.StreamEnabled !== true) return {};
  if (typeof value.StreamViewType !== 'string' || !VIEW_TYPES.includes(value.StreamViewType)) {
    throw validation(
      'One or more parameter values were invalid: Stream view type must be one of NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY when the stream is enabled',
    );
  }
  return { viewType: value.StreamViewType };
}
