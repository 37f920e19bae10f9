import type { Statement } from 'better-sqlite3';
import { addMissingColumns, type Db } from '../../state/database';

export interface QueueRow {
  name: string;
  /** The attributes set on the queue, as JSON (SQS's defaults are added on read). */
  attributes: string;
  tags: string;
  origin: 'model' | 'api';
  /** Epoch seconds. */
  created: number;
  modified: number;
}

export interface MessageRow {
  seq: number;
  queue: string;
  id: string;
  body: string;
  md5_body: string;
  /** The message attributes as JSON (binary values in Base64), null when it has none. */
  attributes: string | null;
  md5_attributes: string | null;
  /** Epoch milliseconds. */
  sent: number;
  visible_at: number;
  receive_count: number;
  first_receive: number | null;
  group_id: string | null;
  dedup_id: string | null;
  sequence_number: string | null;
  sender_id: string;
  /** The `AWSTraceHeader` system attribute (an X-Ray trace header), when the sender gave one. */
  trace_header: string | null;
  /** `DeadLetterQueueSourceArn`: the queue a redriven message came from. */
  dead_letter_source: string | null;
}

export type NewMessage = Omit<
  MessageRow,
  'seq' | 'receive_count' | 'first_receive' | 'trace_header' | 'dead_letter_source'
> &
  Partial<Pick<MessageRow, 'receive_count' | 'first_receive' | 'trace_header' | 'dead_letter_source'>>;

/**
 * SQS's queues and messages in the state database. A receive reads a queue's messages by
 * visibility time (standard queues) or in order of arrival (FIFO queues) through an index; the
 * receipt handle names a message by its row and its receive count, so no handle is stored.
 */
export class SqsStore {
  private readonly statements;
  private readonly inTransaction;
  /** When each queue was last swept of expired messages. */
  private readonly swept = new Map<string, number>();

  constructor(db: Db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS sqs_queues (
        name TEXT PRIMARY KEY,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        origin TEXT NOT NULL,
        created INTEGER NOT NULL,
        modified INTEGER NOT NULL,
        sequence INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS sqs_messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        queue TEXT NOT NULL,
        id TEXT NOT NULL,
        body TEXT NOT NULL,
        md5_body TEXT NOT NULL,
        attributes TEXT,
        md5_attributes TEXT,
        sent INTEGER NOT NULL,
        visible_at INTEGER NOT NULL,
        receive_count INTEGER NOT NULL DEFAULT 0,
        first_receive INTEGER,
        group_id TEXT,
        dedup_id TEXT,
        sequence_number TEXT,
        sender_id TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS sqs_messages_by_visibility ON sqs_messages (queue, visible_at);
      CREATE INDEX IF NOT EXISTS sqs_messages_by_arrival ON sqs_messages (queue, seq);
      CREATE TABLE IF NOT EXISTS sqs_deduplication (
        queue TEXT NOT NULL,
        id TEXT NOT NULL,
        expires INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        sequence_number TEXT,
        PRIMARY KEY (queue, id)
      );
    `);
    addMissingColumns(db, 'sqs_messages', ['trace_header TEXT', 'dead_letter_source TEXT']);
    this.inTransaction = db.transaction((work: () => unknown) => work());
    const prepare = (sql: string) => db.prepare(sql);
    this.statements = {
      queue: prepare(
        'SELECT name, attributes, tags, origin, created, modified FROM sqs_queues WHERE name = ?',
      ),
      queues: prepare('SELECT name FROM sqs_queues WHERE name > ? ORDER BY name'),
      insertQueue: prepare(
        `INSERT INTO sqs_queues (name, attributes, tags, origin, created, modified) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET attributes = excluded.attributes, origin = excluded.origin,
           modified = excluded.modified`,
      ),
      setAttributes: prepare('UPDATE sqs_queues SET attributes = ?, modified = ? WHERE name = ?'),
      setTags: prepare('UPDATE sqs_queues SET tags = ? WHERE name = ?'),
      deleteQueue: prepare('DELETE FROM sqs_queues WHERE name = ?'),
      nextSequence: prepare(
        'UPDATE sqs_queues SET sequence = sequence + 1 WHERE name = ? RETURNING sequence',
      ),
      insert: prepare(
        `INSERT INTO sqs_messages (queue, id, body, md5_body, attributes, md5_attributes, sent, visible_at,
           receive_count, first_receive, group_id, dedup_id, sequence_number, sender_id, trace_header,
           dead_letter_source)
         VALUES (@queue, @id, @body, @md5_body, @attributes, @md5_attributes, @sent, @visible_at,
           @receive_count, @first_receive, @group_id, @dedup_id, @sequence_number, @sender_id, @trace_header,
           @dead_letter_source)`,
      ),
      visibleByTime: prepare(
        'SELECT * FROM sqs_messages WHERE queue = ? AND visible_at <= ? AND sent > ? ORDER BY visible_at LIMIT ?',
      ),
      byArrival: prepare('SELECT * FROM sqs_messages WHERE queue = ? ORDER BY seq'),
      markReceived: prepare(
        `UPDATE sqs_messages SET visible_at = ?, receive_count = receive_count + 1,
           first_receive = coalesce(first_receive, ?) WHERE seq = ?`,
      ),
      deleteReceived: prepare('DELETE FROM sqs_messages WHERE seq = ? AND queue = ? AND receive_count = ?'),
      deleteRow: prepare('DELETE FROM sqs_messages WHERE seq = ?'),
      changeVisibility: prepare(
        `UPDATE sqs_messages SET visible_at = ?
         WHERE seq = ? AND queue = ? AND receive_count = ? AND visible_at > ?`,
      ),
      message: prepare('SELECT * FROM sqs_messages WHERE seq = ? AND queue = ?'),
      purge: prepare('DELETE FROM sqs_messages WHERE queue = ?'),
      expire: prepare('DELETE FROM sqs_messages WHERE queue = ? AND sent <= ?'),
      counts: prepare(
        `SELECT
           sum(visible_at <= @now) AS visible,
           sum(visible_at > @now AND receive_count > 0) AS inFlight,
           sum(visible_at > @now AND receive_count = 0) AS delayed
         FROM sqs_messages WHERE queue = @queue`,
      ),
      nextVisible: prepare(
        'SELECT min(visible_at) AS at FROM sqs_messages WHERE queue = ? AND visible_at > ?',
      ),
      duplicate: prepare(
        'SELECT message_id, sequence_number FROM sqs_deduplication WHERE queue = ? AND id = ? AND expires > ?',
      ),
      remember: prepare(
        `INSERT OR REPLACE INTO sqs_deduplication (queue, id, expires, message_id, sequence_number)
         VALUES (?, ?, ?, ?, ?)`,
      ),
      forget: prepare('DELETE FROM sqs_deduplication WHERE queue = ? AND expires <= ?'),
      forgetQueue: prepare('DELETE FROM sqs_deduplication WHERE queue = ?'),
    } satisfies Record<string, Statement>;
  }

  transaction<T>(work: () => T): T {
    return this.inTransaction(work) as T;
  }

  queue(name: string): QueueRow | undefined {
    return this.statements.queue.get(name) as QueueRow | undefined;
  }

  /** Queue names in order, after `after`. */
  queueNames(after = ''): string[] {
    return (this.statements.queues.all(after) as Array<{ name: string }>).map((row) => row.name);
  }

  /** Creates the queue, or replaces the attributes and origin of one of that name (keeping its messages). */
  putQueue(row: QueueRow): void {
    const { name, attributes, tags, origin, created, modified } = row;
    this.statements.insertQueue.run(name, attributes, tags, origin, created, modified);
  }

  setAttributes(name: string, attributes: string, modified: number): void {
    this.statements.setAttributes.run(attributes, modified, name);
  }

  setTags(name: string, tags: string): void {
    this.statements.setTags.run(tags, name);
  }

  deleteQueue(name: string): void {
    this.transaction(() => {
      this.statements.purge.run(name);
      this.statements.forgetQueue.run(name);
      this.statements.deleteQueue.run(name);
    });
  }

  /** The next FIFO sequence number of the queue (1, 2, ...). */
  nextSequence(queue: string): number {
    return (this.statements.nextSequence.get(queue) as { sequence: number }).sequence;
  }

  insert(message: NewMessage): number {
    const row = {
      receive_count: 0,
      first_receive: null,
      trace_header: null,
      dead_letter_source: null,
      ...message,
    };
    return Number(this.statements.insert.run(row).lastInsertRowid);
  }

  /** Up to `limit` messages visible at `now` and sent after `sentAfter`, the earliest visible first. */
  visible(queue: string, now: number, sentAfter: number, limit: number): MessageRow[] {
    return this.statements.visibleByTime.all(queue, now, sentAfter, limit) as MessageRow[];
  }

  /** The queue's messages in order of arrival, read lazily. */
  inArrivalOrder(queue: string): IterableIterator<MessageRow> {
    return this.statements.byArrival.iterate(queue) as IterableIterator<MessageRow>;
  }

  markReceived(seq: number, visibleAt: number, now: number): void {
    this.statements.markReceived.run(visibleAt, now, seq);
  }

  /** Deletes the message if the handle's receive is its latest; true when it did. */
  deleteReceived(queue: string, seq: number, receiveCount: number): boolean {
    return this.statements.deleteReceived.run(seq, queue, receiveCount).changes > 0;
  }

  deleteRow(seq: number): void {
    this.statements.deleteRow.run(seq);
  }

  /** Sets the visibility of an in-flight message received last with this count; false when it is not. */
  changeVisibility(
    queue: string,
    seq: number,
    receiveCount: number,
    visibleAt: number,
    now: number,
  ): boolean {
    return this.statements.changeVisibility.run(visibleAt, seq, queue, receiveCount, now).changes > 0;
  }

  message(queue: string, seq: number): MessageRow | undefined {
    return this.statements.message.get(seq, queue) as MessageRow | undefined;
  }

  purge(queue: string): void {
    this.statements.purge.run(queue);
  }

  /**
   * Deletes the messages sent at or before `sentBefore` and the deduplication ids expired at `now`;
   * `often` ones (receives) at most once a second, as reads skip expired messages anyway.
   */
  expire(queue: string, sentBefore: number, now: number, often = false): void {
    if (often && now - (this.swept.get(queue) ?? -Infinity) < 1000) return;
    this.swept.set(queue, now);
    this.statements.expire.run(queue, sentBefore);
    this.statements.forget.run(queue, now);
  }

  counts(queue: string, now: number): { visible: number; inFlight: number; delayed: number } {
    const row = this.statements.counts.get({ queue, now }) as Record<string, number | null>;
    return { visible: row.visible ?? 0, inFlight: row.inFlight ?? 0, delayed: row.delayed ?? 0 };
  }

  /** When the next message of the queue that is invisible now becomes visible. */
  nextVisible(queue: string, now: number): number | undefined {
    return (this.statements.nextVisible.get(queue, now) as { at: number | null }).at ?? undefined;
  }

  duplicate(
    queue: string,
    id: string,
    now: number,
  ): { message_id: string; sequence_number: string | null } | undefined {
    return this.statements.duplicate.get(queue, id, now) as
      { message_id: string; sequence_number: string | null } | undefined;
  }

  remember(queue: string, id: string, expires: number, messageId: string, sequenceNumber?: string): void {
    this.statements.remember.run(queue, id, expires, messageId, sequenceNumber ?? null);
  }
}
