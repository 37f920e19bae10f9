import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { setTimeout } from 'node:timers/promises';
import { AwsEndpoint } from '../../src/aws/endpoint';
import { openStateDatabase, type Db } from '../../src/state/database';
import { GroupCommit } from '../../src/state/group-commit';

describe('the group commit of the state databases', () => {
  let dir: string;
  let logged: string[];
  let commits: GroupCommit;
  let db: Db;
  /** Another connection to the same file: it sees only what is committed. */
  let reader: Database.Database;
  const rows = () =>
    (reader.prepare('SELECT v FROM t ORDER BY v').all() as Array<{ v: string }>).map((r) => r.v);
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'group-commit-'));
    logged = [];
    commits = new GroupCommit((line) => logged.push(line));
    db = openStateDatabase(dir, { reset: false, commits });
    db.exec('CREATE TABLE t (v TEXT PRIMARY KEY)');
    reader = new Database(path.join(dir, 'state.sqlite'), { readonly: true });
  });
  afterEach(() => {
    reader.close();
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits the writes of one turn together once the turn is over, and says when', async () => {
    await commits.committed();
    assert.equal(commits.committed(), undefined);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    insert.run('a');
    db.prepare('INSERT INTO t (v) VALUES (?)').run('b');
    db.exec("INSERT INTO t (v) VALUES ('c')");
    assert.deepEqual(rows(), []);
    const committed = commits.committed();
    assert.ok(committed);
    await committed;
    assert.deepEqual(rows(), ['a', 'b', 'c']);
    assert.equal(commits.committed(), undefined);
    insert.run('d');
    await nextTurn();
    assert.deepEqual(rows(), ['a', 'b', 'c', 'd']);
  });

  it('commits at the end of a real turn when a test fakes every timer', async () => {
    await commits.committed();
    const clock = sinon.useFakeTimers();
    try {
      db.exec("INSERT INTO t (v) VALUES ('a')");
      await commits.committed();
      assert.deepEqual(rows(), ['a']);
    } finally {
      clock.restore();
    }
  });

  it('opens no transaction for a read', async () => {
    await commits.committed();
    db.prepare('SELECT * FROM t').all();
    assert.equal(commits.committed(), undefined);
    assert.equal(db.inTransaction, false);
  });

  it('nests a transaction as a savepoint: one that throws undoes only itself', async () => {
    await commits.committed();
    db.prepare('INSERT INTO t (v) VALUES (?)').run('kept');
    const failing = db.transaction(() => {
      db.prepare('INSERT INTO t (v) VALUES (?)').run('undone');
      throw new Error('no');
    });
    assert.throws(() => failing(), /no/);
    db.transaction((v: string) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v))('also kept');
    await commits.committed();
    assert.deepEqual(rows(), ['also kept', 'kept']);
  });

  it('commits what is pending when the database closes', () => {
    db.prepare('INSERT INTO t (v) VALUES (?)').run('before close');
    db.close();
    assert.deepEqual(rows(), ['before close']);
  });

  it('rejects the wait when the commit fails, logs it, rolls back and commits the next turn', async () => {
    db.exec(`CREATE TABLE parent (id TEXT PRIMARY KEY);
      CREATE TABLE child (parent TEXT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
    await commits.committed();
    db.pragma('foreign_keys = ON');
    db.prepare('INSERT INTO t (v) VALUES (?)').run('lost');
    db.prepare('INSERT INTO child (parent) VALUES (?)').run('nobody');
    await assert.rejects(commits.committed() as Promise<void>, /FOREIGN KEY constraint failed/);
    assert.match(logged.join('\n'), /the state database could not commit: FOREIGN KEY constraint failed/);
    assert.equal(db.inTransaction, false);
    db.prepare('INSERT INTO t (v) VALUES (?)').run('next');
    await commits.committed();
    assert.deepEqual(rows(), ['next']);
  });

  it('lets the AWS endpoint answer only once what the request wrote is committed', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let written = false;
    const endpoint = new AwsEndpoint(
      [
        {
          handles: () => true,
          handle: async () => {
            written = true;
            return { status: 200, body: 'written' };
          },
        },
      ],
      { committed: () => (written ? gate : undefined) },
    );
    const url = await endpoint.start('127.0.0.1', 0);
    try {
      let answered = false;
      const answer = fetch(`${url}/x`).then((response) => ((answered = true), response.text()));
      while (!written) await nextTurn();
      await setTimeout(100);
      assert.equal(answered, false);
      open();
      assert.equal(await answer, 'written');
    } finally {
      await endpoint.stop();
    }
  });
});
