import type { Db } from './database';

// Taken at load: the testing API runs the emulator in the test's process, where fake timers (sinon,
// jest) may replace the global `setImmediate`; the commit must still come at the end of a real turn.
const afterThisTurn = setImmediate;

/**
 * Group commit for the state databases. A commit is SQLite's dearest step (it writes the WAL frames of
 * every page touched, then the WAL index), and one request used to make up to three (an S3 object, the
 * notification's async event, that event's removal once it ran). Here the writes one turn of the event
 * loop makes share one transaction per database, committed once the turn's I/O is handled
 * (`setImmediate`); an answer that acknowledges a write waits for `committed()` before it goes out.
 * So a killed emulator still loses nothing it has answered for, and a busy one commits once per turn.
 */
export class GroupCommit {
  /** The databases in the turn's transaction, each with its own `exec`. */
  private readonly open = new Map<Db, Db['exec']>();
  private turn: { done: Promise<void>; settle: (error?: unknown) => void } | undefined;

  constructor(private readonly log: (line: string) => void) {}

  /**
   * Makes every write to `db` join the turn's transaction: its statements that write, `exec` and
   * `transaction` (which then nests as a savepoint). `close` commits first.
   */
  attach(db: Db): Db {
    const { prepare, exec, transaction, close } = db;
    const join = () => this.join(db, exec);
    db.prepare = ((source: string) => {
      const statement = prepare.call(db, source);
      if (!statement.readonly) {
        for (const method of ['run', 'get', 'all', 'iterate'] as const) {
          const run = statement[method] as (...args: unknown[]) => unknown;
          (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
            join();
            return run.apply(statement, args);
          };
        }
      }
      return statement;
    }) as Db['prepare'];
    db.exec = (source: string) => {
      join();
      return exec.call(db, source);
    };
    db.transaction = ((fn: (...args: unknown[]) => unknown) => {
      const inner = transaction.call(db, fn);
      const joined = (...args: unknown[]) => {
        join();
        return inner(...args);
      };
      // Inside the turn's transaction every kind of transaction is a savepoint.
      return Object.assign(joined, {
        default: joined,
        deferred: joined,
        immediate: joined,
        exclusive: joined,
      });
    }) as Db['transaction'];
    db.close = () => {
      try {
        this.commit(db);
      } finally {
        close.call(db);
      }
      return db;
    };
    return db;
  }

  /** Resolves once every write made so far is committed (rejects if its commit failed); none pending: undefined. */
  committed(): Promise<void> | undefined {
    return this.turn?.done;
  }

  private join(db: Db, exec: Db['exec']): void {
    if (this.open.has(db)) return;
    exec.call(db, 'BEGIN');
    this.open.set(db, exec);
    if (this.turn) return;
    let settle: (error?: unknown) => void = () => undefined;
    const done = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    // Nobody may be waiting: a failed commit is then only logged.
    done.catch(() => undefined);
    this.turn = { done, settle };
    afterThisTurn(() => this.commitTurn());
  }

  private commitTurn(): void {
    const turn = this.turn;
    this.turn = undefined;
    let failure: unknown;
    for (const db of [...this.open.keys()]) {
      try {
        this.commit(db);
      } catch (error) {
        failure ??= error;
      }
    }
    turn?.settle(failure);
  }

  private commit(db: Db): void {
    const exec = this.open.get(db);
    if (!exec) return;
    this.open.delete(db);
    try {
      exec.call(db, 'COMMIT');
    } catch (error) {
      this.log(`the state database could not commit: ${(error as Error).message}`);
      if (db.inTransaction) exec.call(db, 'ROLLBACK');
      throw error;
    }
  }
}
