import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors';
import type { GroupCommit } from './group-commit';
import { LOCK_FILE } from './lock';

export type Db = Database.Database;

/**
 * The emulator's durable state (accepted async events, the embedded services' data) in one SQLite
 * file under the state folder. WAL mode: a write is on disk when its transaction commits (in the
 * emulator, a group commit that answers wait for), so a killed emulator loses nothing it has
 * acknowledged. A file SQLite cannot read is a ConfigError naming it; so is a better-sqlite3 without
 * its native module, which no --reset would cure.
 *
 * Opens the state folder's database. `reset` empties the folder first: `true` entirely (`--reset`),
 * `'state'` all but the caches of built code (`build`, `runtime`), which running instances still use.
 * With `commits`, its writes join that group commit; without, each statement commits as it runs.
 */
export function openStateDatabase(
  stateDir: string,
  options: { reset: boolean | 'state'; commits?: GroupCommit },
): Db {
  if (options.reset) emptyStateFolder(stateDir, options.reset === 'state' ? CACHES : []);
  mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, 'state.sqlite');
  let db: Db | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // A truncated file opens, and fails only when a lost page is read: find it now, not mid-request.
    const check: unknown = db.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') throw new Error(String(check));
    return options.commits ? options.commits.attach(db) : db;
  } catch (error) {
    db?.close();
    throw isMissingNativeModule(error) ? nativeModuleMissing(error) : unreadable(file, stateDir, error);
  }
}

/** better-sqlite3's addon was not built (install scripts skipped) or was built for another Node. */
function isMissingNativeModule(error: unknown): error is Error {
  return (
    error instanceof Error && /bindings file|NODE_MODULE_VERSION|better_sqlite3\.node/.test(error.message)
  );
}

function nativeModuleMissing(error: Error): ConfigError {
  return new ConfigError(
    `better-sqlite3, which keeps the emulator's state, has no native module for Node ${process.version} ` +
      `(${error.message.split('\n')[0]}). Run \`npm rebuild better-sqlite3\` in the project ` +
      '(an install with --ignore-scripts, or under another Node version, leaves it unbuilt). The state folder is untouched.',
    'EMULATE_SQLITE_NOT_BUILT',
  );
}

const CACHES = ['build', 'runtime'];

/** Everything in the folder but the lock this emulator holds on it (and what `keep` names). */
function emptyStateFolder(stateDir: string, keep: string[]): void {
  if (!existsSync(stateDir)) return;
  for (const entry of readdirSync(stateDir)) {
    if (entry !== LOCK_FILE && !keep.includes(entry)) {
      rmSync(path.join(stateDir, entry), { recursive: true, force: true });
    }
  }
}

function unreadable(file: string, stateDir: string, error: unknown): ConfigError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ConfigError(
    `The state database ${file} cannot be read (${reason}). ` +
      `sls emulate --reset deletes the state folder ${stateDir} (accepted async events, S3 objects, topics, ` +
      'rules, queues and messages, streams and their checkpoints, DynamoDB tables) and starts empty.',
    'EMULATE_STATE_UNREADABLE',
  );
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

/**
 * Adds to `table` the columns (`name definition`) it gained after an older state folder created it,
 * so that folder opens with everything it holds.
 */
export function addMissingColumns(db: Db, table: string, columns: readonly string[]): void {
  const present = new Set((db.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name));
  for (const column of columns) {
    if (!present.has(column.split(' ')[0])) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column}`);
  }
}
