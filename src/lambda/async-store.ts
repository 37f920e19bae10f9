import type { Db } from '../state/database';

/** One accepted asynchronous invocation, waiting for its next attempt. */
export interface QueuedEvent {
  id: string;
  functionKey: string;
  payload: string;
  source: string;
  acceptedAt: number;
  /** Attempts that ran the function (throttles do not count). */
  attempts: number;
  /** Throttled tries since the last attempt, for the backoff. */
  throttles: number;
  nextAttemptAt: number;
  /** The last attempt's error body (JSON text), when there was one. */
  lastError?: string;
}

interface Row {
  id: string;
  function_key: string;
  payload: string;
  source: string;
  accepted_at: number;
  attempts: number;
  throttles: number;
  next_attempt_at: number;
  last_error: string | null;
}

const fromRow = (r: Row): QueuedEvent => ({
  id: r.id,
  functionKey: r.function_key,
  payload: r.payload,
  source: r.source,
  acceptedAt: r.accepted_at,
  attempts: r.attempts,
  throttles: r.throttles,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error ?? undefined,
});

/**
 * Lambda's internal queue of accepted async events, in SQLite: an event is written before Invoke
 * answers 202, and deleted only once its outcome is recorded, so a crash loses nothing.
 */
export class AsyncStore {
  private readonly statements;

  constructor(db: Db) {
    db.exec(`CREATE TABLE IF NOT EXISTS lambda_async_events (
      id TEXT PRIMARY KEY, function_key TEXT NOT NULL, payload TEXT NOT NULL, source TEXT NOT NULL,
      accepted_at INTEGER NOT NULL, attempts INTEGER NOT NULL, throttles INTEGER NOT NULL,
      next_attempt_at INTEGER NOT NULL, last_error TEXT, leased INTEGER NOT NULL DEFAULT 0)`);
    db.exec('CREATE INDEX IF NOT EXISTS lambda_async_due ON lambda_async_events (next_attempt_at)');
    this.statements = {
      add: db.prepare(
        `INSERT INTO lambda_async_events VALUES (@id, @functionKey, @payload, @source, @acceptedAt, @attempts,
         @throttles, @nextAttemptAt, @lastError, 0)`,
      ),
      lease: db.prepare('UPDATE lambda_async_events SET leased = 1, next_attempt_at = ? WHERE id = ?'),
      releaseLeases: db.prepare(
        'UPDATE lambda_async_events SET leased = 0, next_attempt_at = ? WHERE leased = 1',
      ),
      due: db.prepare(
        'SELECT * FROM lambda_async_events WHERE next_attempt_at <= ? ORDER BY next_attempt_at',
      ),
      waiting: db.prepare('SELECT * FROM lambda_async_events WHERE function_key = ?'),
      next: db.prepare('SELECT MIN(next_attempt_at) AS at FROM lambda_async_events'),
      update: db.prepare(
        `UPDATE lambda_async_events SET attempts = @attempts, throttles = @throttles,
         next_attempt_at = @nextAttemptAt, last_error = @lastError, leased = 0 WHERE id = @id`,
      ),
      remove: db.prepare('DELETE FROM lambda_async_events WHERE id = ?'),
      count: db.prepare('SELECT COUNT(*) AS n FROM lambda_async_events'),
    };
  }

  add(event: QueuedEvent): void {
    this.statements.add.run({ ...event, lastError: event.lastError ?? null });
  }

  due(now: number): QueuedEvent[] {
    return (this.statements.due.all(now) as Row[]).map(fromRow);
  }

  waiting(functionKey: string): QueuedEvent[] {
    return (this.statements.waiting.all(functionKey) as Row[]).map(fromRow);
  }

  /** When the earliest waiting event is due, if any waits. */
  nextDueAt(): number | undefined {
    const { at } = this.statements.next.get() as { at: number | null };
    return at ?? undefined;
  }

  update(event: QueuedEvent): void {
    this.statements.update.run({ ...event, lastError: event.lastError ?? null });
  }

  /** Holds an event while an attempt runs: should the emulator die, it is due again at `until`. */
  lease(id: string, until: number): void {
    this.statements.lease.run(until, id);
  }

  /** At start: what the previous run was attempting when it stopped is due now. */
  releaseLeases(now: number): void {
    this.statements.releaseLeases.run(now);
  }

  remove(id: string): void {
    this.statements.remove.run(id);
  }

  size(): number {
    return (this.statements.count.get() as { n: number }).n;
  }
}
