import { statementCache, type Db } from '../../state/database';
import { invalidParameter } from './errors';
import type { SnsTopology } from './types';

export interface Topic {
  arn: string;
  name: string;
  /** The attributes set on the topic (CreateTopic, SetTopicAttributes); SNS's defaults are added on read. */
  attributes: Record<string, string>;
  tags: Array<{ Key: string; Value: string }>;
}

export interface Subscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  attributes: Record<string, string>;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

interface TopicRow {
  rowid: number;
  arn: string;
  name: string;
  attributes: string;
  tags: string;
}

interface SubscriptionRow {
  rowid: number;
  arn: string;
  topic_arn: string;
  protocol: string;
  endpoint: string;
  attributes: string;
}

const PAGE_SIZE = 100;

/**
 * SNS's topics and subscriptions in the state database. Those the service defines (origin `model`) are
 * replaced from its configuration at every start; those created through the API (origin `api`) persist.
 */
export class SnsStore {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
    db.exec(`
      CREATE TABLE IF NOT EXISTS sns_topics (
        arn TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        origin TEXT NOT NULL,
        sequence INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS sns_subscriptions (
        arn TEXT PRIMARY KEY,
        topic_arn TEXT NOT NULL,
        protocol TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        attributes TEXT NOT NULL,
        origin TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS sns_subscriptions_by_topic ON sns_subscriptions (topic_arn);
    `);
  }

  /** Replaces the service's own topics and subscriptions with the configuration's. */
  seed(
    topology: SnsTopology,
    subscriptionArn: (topicArn: string, protocol: string, endpoint: string) => string,
  ) {
    this.db.transaction(() => {
      this.sql(`DELETE FROM sns_subscriptions WHERE origin = 'model'`).run();
      this.sql(`DELETE FROM sns_topics WHERE origin = 'model'`).run();
      const topic = this.sql(
        `INSERT INTO sns_topics (arn, name, attributes, origin) VALUES (?, ?, ?, 'model') ON CONFLICT DO NOTHING`,
      );
      for (const t of topology.topics) topic.run(t.arn, t.name, JSON.stringify(t.attributes));
      const subscription = this.sql(
        `INSERT INTO sns_subscriptions (arn, topic_arn, protocol, endpoint, attributes, origin)
         VALUES (?, ?, ?, ?, ?, 'model') ON CONFLICT DO NOTHING`,
      );
      for (const s of topology.subscriptions) {
        const arn = subscriptionArn(s.topicArn, s.protocol, s.endpoint);
        subscription.run(arn, s.topicArn, s.protocol, s.endpoint, JSON.stringify(s.attributes));
      }
    })();
  }

  topic(arn: string): Topic | undefined {
    const row = this.sql(`SELECT rowid, * FROM sns_topics WHERE arn = ?`).get(arn) as TopicRow | undefined;
    return row && toTopic(row);
  }

  /** Every topic, in creation order, a page at a time. */
  topics(token: string | undefined): Page<Topic> {
    const rows = this.sql(`SELECT rowid, * FROM sns_topics WHERE rowid > ? ORDER BY rowid LIMIT ?`).all(
      fromToken(token),
      PAGE_SIZE + 1,
    ) as TopicRow[];
    return page(rows, toTopic);
  }

  addTopic(topic: Topic): void {
    this.sql(`INSERT INTO sns_topics (arn, name, attributes, tags, origin) VALUES (?, ?, ?, ?, 'api')`).run(
      topic.arn,
      topic.name,
      JSON.stringify(topic.attributes),
      JSON.stringify(topic.tags),
    );
  }

  setTopicAttributes(arn: string, attributes: Record<string, string>): void {
    this.sql(`UPDATE sns_topics SET attributes = ? WHERE arn = ?`).run(JSON.stringify(attributes), arn);
  }

  setTopicTags(arn: string, tags: Topic['tags']): void {
    this.sql(`UPDATE sns_topics SET tags = ? WHERE arn = ?`).run(JSON.stringify(tags), arn);
  }

  /** Deletes a topic and its subscriptions. */
  deleteTopic(arn: string): void {
    this.db.transaction(() => {
      this.sql(`DELETE FROM sns_subscriptions WHERE topic_arn = ?`).run(arn);
      this.sql(`DELETE FROM sns_topics WHERE arn = ?`).run(arn);
    })();
  }

  /** The next FIFO sequence number of a topic, as the 20-digit string SNS returns. */
  nextSequenceNumber(arn: string): string {
    const row = this.sql(
      `UPDATE sns_topics SET sequence = sequence + 1 WHERE arn = ? RETURNING sequence`,
    ).get(arn) as { sequence: number } | undefined;
    return String(10_000_000_000_000_000_000n + BigInt(row?.sequence ?? 0));
  }

  subscription(arn: string): Subscription | undefined {
    const row = this.sql(`SELECT rowid, * FROM sns_subscriptions WHERE arn = ?`).get(arn) as
      SubscriptionRow | undefined;
    return row && toSubscription(row);
  }

  findSubscription(topicArn: string, protocol: string, endpoint: string): Subscription | undefined {
    const row = this.sql(
      `SELECT rowid, * FROM sns_subscriptions WHERE topic_arn = ? AND protocol = ? AND endpoint = ?`,
    ).get(topicArn, protocol, endpoint) as SubscriptionRow | undefined;
    return row && toSubscription(row);
  }

  /** Every subscription of a topic, for a publish. */
  subscriptionsOf(topicArn: string): Subscription[] {
    const rows = this.sql(`SELECT rowid, * FROM sns_subscriptions WHERE topic_arn = ? ORDER BY rowid`).all(
      topicArn,
    ) as SubscriptionRow[];
    return rows.map(toSubscription);
  }

  /** Subscriptions of one topic, or all of them, in creation order, a page at a time. */
  subscriptions(topicArn: string | undefined, token: string | undefined): Page<Subscription> {
    const rows = this.sql(
      `SELECT rowid, * FROM sns_subscriptions WHERE (? IS NULL OR topic_arn = ?) AND rowid > ?
         ORDER BY rowid LIMIT ?`,
    ).all(topicArn ?? null, topicArn ?? null, fromToken(token), PAGE_SIZE + 1) as SubscriptionRow[];
    return page(rows, toSubscription);
  }

  addSubscription(subscription: Subscription): void {
    const { arn, topicArn, protocol, endpoint, attributes } = subscription;
    this.sql(
      `INSERT INTO sns_subscriptions (arn, topic_arn, protocol, endpoint, attributes, origin)
         VALUES (?, ?, ?, ?, ?, 'api')`,
    ).run(arn, topicArn, protocol, endpoint, JSON.stringify(attributes));
  }

  setSubscriptionAttributes(arn: string, attributes: Record<string, string>): void {
    this.sql(`UPDATE sns_subscriptions SET attributes = ? WHERE arn = ?`).run(
      JSON.stringify(attributes),
      arn,
    );
  }

  deleteSubscription(arn: string): void {
    this.sql(`DELETE FROM sns_subscriptions WHERE arn = ?`).run(arn);
  }
}

function toTopic(row: TopicRow): Topic {
  return { arn: row.arn, name: row.name, attributes: JSON.parse(row.attributes), tags: JSON.parse(row.tags) };
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    arn: row.arn,
    topicArn: row.topic_arn,
    protocol: row.protocol,
    endpoint: row.endpoint,
    attributes: JSON.parse(row.attributes),
  };
}

function page<R extends { rowid: number }, T>(rows: R[], map: (row: R) => T): Page<T> {
  const items = rows.slice(0, PAGE_SIZE);
  const last = items.at(-1);
  const more = rows.length > PAGE_SIZE && last !== undefined;
  return {
    items: items.map(map),
    nextToken: more ? Buffer.from(String(last.rowid)).toString('base64') : undefined,
  };
}

/** The position a NextToken stands for. */
function fromToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const position = Number(Buffer.from(token, 'base64').toString('utf8'));
  if (!Number.isInteger(position) || position <= 0) throw invalidParameter('Invalid parameter: NextToken');
  return position;
}
