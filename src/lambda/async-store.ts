import type { Origin } from '../classify/origin';
import { addMissingColumns, type Db } from '../state/database';
import type { PendingDelivery } from './async-records';

/** One accepted asynchronous invocation, waiting for its next attempt or, once ended, for its deliveries. */
export interface QueuedEvent {
  id: string;
  functionKey: string;
  payload: string;
  origin: Origin;
  /** The trace header of the call that made the event, when it had one. */
  traceHeader?: string;
  acceptedAt: number;
  /** Attempts that ran the function (throttles do not count). */
  attempts: number;
  nextAttemptAt: number;
  /** The last attempt's error body (JSON text), when there was one. */
  lastError?: string;
  /**
   * Set once an attempt's outcome has ended the event: the deliveries still to make. Such an event is
   * never attempted again; a restart makes these deliveries, then deletes it.
   */
  ending?: PendingDelivery[];
}

interface Row {
  id: string;
  function_key: string;
  payload: string;
  /** The origin as JSON. */
  source: string;
  accepted_at: number;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  ending: string | null;
  trace_header: string | null;
  /** Before `trace_header`: the caller's root alone. */
  trace_root: string | null;
}

/** A state folder from before typed origins holds the log text: it stays readable as the detail. */
function originOf(stored: string): Origin {
  if (!stored.startsWith('{')) return { kind: 'unknown', model: 'unknown', detail: stored };
  return JSON.parse(stored) as Origin;
}

const fromRow = (r: Row): QueuedEvent => ({
  id: r.id,
  functionKey: r.function_key,
  payload: r.payload,
  origin: originOf(r.source),
  traceHeader: r.trace_header ?? (r.trace_root === null ? undefined : `Root=${r.trace_root}`),
  acceptedAt: r.accepted_at,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error ?? undefined,
  ending: r.ending === null ? undefined : (JSON.parse(r.ending) as PendingDelivery[]),
});

/**
 * Lambda's internal queue of accepted async events, in SQLite: an event is written before Invoke
 * answers 202, and deleted only once its outcome is recorded, so a crash loses nothing. An event being
 * attempted (or waiting for a free instance) is leased: not due until the next start releases it. The
 * outcome that ends an event is written into its row (`ending`) before it is delivered, so a restart
 * finishes the delivery rather than running the function again.
 */
export class AsyncStore {
  private readonly statements;

  constructor(db: Db) {
    db.exec(`CREATE TABLE IF NOT EXISTS lambda_async_queue (
      id TEXT PRIMARY KEY, function_key TEXT NOT NULL, payload TEXT NOT NULL, source TEXT NOT NULL,
      accepted_at INTEGER NOT NULL, attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL,
      last_error TEXT, leased INTEGER NOT NULL, ending TEXT)`);
    // A state folder from before `ending`, `trace_root` and `trace_header` existed.
    addMissingColumns(db, 'lambda_async_queue', ['ending TEXT', 'trace_root TEXT', 'trace_header TEXT']);
    db.exec(
      'CREATE INDEX IF NOT EXISTS lambda_async_queue_due ON lambda_async_queue (leased, next_attempt_at)',
    );
    this.statements = {
      add: db.prepare(
        `INSERT INTO lambda_async_queue (id, function_key, payload, source, trace_header, accepted_at, attempts,
         next_attempt_at, last_error, leased) VALUES (@id, @functionKey, @payload, @source, @traceHeader,
         @acceptedAt, @attempts, @nextAttemptAt, @lastError, @leased)`,
      ),
      due: db.prepare(
        'SELECT * FROM lambda_async_queue WHERE leased = 0 AND next_attempt_at <= ? ORDER BY next_attempt_at',
      ),
      next: db.prepare('SELECT MIN(next_attempt_at) AS at FROM lambda_async_queue WHERE leased = 0'),
      reschedule: db.prepare(
        `UPDATE lambda_async_queue SET attempts = @attempts, next_attempt_at = @nextAttemptAt,
         last_error = @lastError, leased = 0 WHERE id = @id`,
      ),
      end: db.prepare('UPDATE lambda_async_queue SET ending = ? WHERE id = ?'),
      lease: db.prepare('UPDATE lambda_async_queue SET leased = 1 WHERE id = ?'),
      releaseLeases: db.prepare(
        'UPDATE lambda_async_queue SET leased = 0, next_attempt_at = ? WHERE leased = 1',
      ),
      remove: db.prepare('DELETE FROM lambda_async_queue WHERE id = ?'),
      count: db.prepare('SELECT COUNT(*) AS n FROM lambda_async_queue'),
      waiting: db.prepare('SELECT * FROM lambda_async_queue ORDER BY next_attempt_at LIMIT ?'),
    };
  }

  /** Adds an event, leased when it is attempted right away. */
  add(event: QueuedEvent, leased: boolean): void {
    this.statements.add.run({
      ...event,
      source: JSON.stringify(event.origin),
      traceHeader: event.traceHeader ?? null,
      lastError: event.lastError ?? null,
      leased: leased ? 1 : 0,
    });
  }

  /** The first `limit` events by when their next attempt is due (the live view's async queue). */
  waiting(limit: number): QueuedEvent[] {
    return (this.statements.waiting.all(limit) as Row[]).map(fromRow);
  }

  /** Events due now that nothing holds. */
  due(now: number): QueuedEvent[] {
    return (this.statements.due.all(now) as Row[]).map(fromRow);
  }

  /** When the earliest event nothing holds is due, if any. */
  nextDueAt(): number | undefined {
    const { at } = this.statements.next.get() as { at: number | null };
    return at ?? undefined;
  }

  /** Releases an event to be attempted again at `nextAttemptAt`. */
  reschedule(event: QueuedEvent): void {
    this.statements.reschedule.run({ ...event, lastError: event.lastError ?? null });
  }

  /** Records that the event has ended, with the deliveries it still has to make. */
  end(id: string, deliveries: PendingDelivery[]): void {
    this.statements.end.run(JSON.stringify(deliveries), id);
  }

  lease(id: string): void {
    this.statements.lease.run(id);
  }

  /** At start: what the previous run held when it stopped is due now. */
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
