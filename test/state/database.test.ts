import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/cli';
import { nodeBinary } from '../helpers/node-versions';

describe('the state database', function () {
  this.timeout(120_000);
  const stateDir = mkdtempSync(path.join(tmpdir(), 'state-db-'));
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  it('says how to build better-sqlite3 when its native module is for another Node', () => {
    // The root's better-sqlite3 is built for the host's Node: Node 24 cannot load it.
    const script = `
      try { require(${JSON.stringify(path.join(ROOT, 'src', 'state', 'database.ts'))}).openStateDatabase(process.argv[1], { reset: false }); }
      catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
    const output = execFileSync(
      nodeBinary(24),
      ['--require', require.resolve('tsx/cjs'), '-e', script, stateDir],
      {
        encoding: 'utf8',
      },
    );
    const { code, message } = JSON.parse(output) as { code: string; message: string };
    assert.equal(code, 'EMULATE_SQLITE_NOT_BUILT');
    assert.match(message, /no native module for Node v24\./);
    assert.match(message, /npm rebuild better-sqlite3/);
    assert.doesNotMatch(message, /--reset/);
  });
});
