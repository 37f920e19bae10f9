import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export type Db = Database.Database;

/**
 * The emulator's durable state (accepted async events, the embedded services' data) in one SQLite
 * file under the state folder. WAL mode: a write is on disk when the statement returns, so a killed
 * emulator loses nothing it has acknowledged.
 */
export function openStateDatabase(stateDir: string, options: { reset: boolean }): Db {
  if (options.reset) rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const db = new Database(path.join(stateDir, 'state.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** An in-memory database with the same interface, for tests of the modules that use one. */
export function memoryDatabase(): Db {
  return new Database(':memory:');
}

export type Statement = Database.Statement;

/**
 * Prepares each SQL text once, so a request does not compile its statements again. Only for
 * statements run to completion (`get`, `all`, `run`): an `iterate` in progress would hold a shared
 * statement busy.
 */
export function statementCache(db: Db): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
