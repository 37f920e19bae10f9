import type { Db } from '../state/database';

/** Where a shard's reading resumes: after a sequence number, or (a LATEST start) at a time. */
export type Checkpoint = { sequenceNumber: string } | { timestamp: number };

/**
 * The stream mappings' checkpoints, per mapping and shard, in the state database: a restart resumes
 * after the last settled record, so it neither replays what was processed nor skips what was not.
 */
export class Checkpoints {
  private readonly select;
  private readonly upsert;
  private readonly list;
  /** A shard's iterator age when its checkpoint last moved (since this start): the live view shows it. */
  private readonly ages = new Map<string, number>();

  constructor(db: Db) {
    db.exec(`CREATE TABLE IF NOT EXISTS pull_checkpoints (
      mapping TEXT NOT NULL, shard TEXT NOT NULL, position TEXT NOT NULL, PRIMARY KEY (mapping, shard))`);
    this.select = db.prepare<[string, string], { position: string }>(
      'SELECT position FROM pull_checkpoints WHERE mapping = ? AND shard = ?',
    );
    this.upsert = db.prepare<[string, string, string]>(
      `INSERT INTO pull_checkpoints (mapping, shard, position) VALUES (?, ?, ?)
       ON CONFLICT (mapping, shard) DO UPDATE SET position = excluded.position`,
    );
    this.list = db.prepare<[], { mapping: string; shard: string; position: string }>(
      'SELECT mapping, shard, position FROM pull_checkpoints ORDER BY mapping, shard',
    );
  }

  /** Every mapping's checkpoint per shard (the live view's streams). */
  all(): Array<{ mapping: string; shard: string; checkpoint: Checkpoint; iteratorAgeMs?: number }> {
    return this.list.all().map(({ mapping, shard, position }) => {
      const iteratorAgeMs = this.ages.get(`${mapping}\n${shard}`);
      return {
        mapping,
        shard,
        checkpoint: JSON.parse(position) as Checkpoint,
        ...(iteratorAgeMs === undefined ? {} : { iteratorAgeMs }),
      };
    });
  }

  get(mapping: string, shard: string): Checkpoint | undefined {
    const row = this.select.get(mapping, shard);
    return row ? (JSON.parse(row.position) as Checkpoint) : undefined;
  }

  /** `iteratorAgeMs`: how old the last record read was when it was settled (Lambda's IteratorAge). */
  set(mapping: string, shard: string, checkpoint: Checkpoint, iteratorAgeMs?: number): void {
    this.upsert.run(mapping, shard, JSON.stringify(checkpoint));
    if (iteratorAgeMs !== undefined) this.ages.set(`${mapping}\n${shard}`, iteratorAgeMs);
  }
}
