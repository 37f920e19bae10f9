import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture, serverless, SERVERLESS_BIN, SLS_ENV } from '../helpers/cli';
import { startEmulator } from '../helpers/emulate';

const SERVICE = fixture('package-state');
const EPHEMERAL = ['--port', '0', '--aws-port', '0', '--websocket-port', '0'];

const emulate = (stateDir: string, extra: string[] = []) =>
  serverless(SERVICE, ['emulate', ...EPHEMERAL, '--state-dir', stateDir, ...extra]);

const portOf = (url: string | undefined) => Number(new URL(url ?? '').port);

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** Polls `check` every 50 ms until it holds, for at most `ms`. */
async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('sls emulate: the state folder', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const stateDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'emulate-state-'));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  describe('one emulator at a time', () => {
    it("refuses a second one on the same folder, naming the first one's PID and ports", async () => {
      const dir = stateDir();
      const first = await startEmulator(SERVICE, ['--state-dir', dir]);
      try {
        const second = await emulate(dir);
        const output = second.stdout + second.stderr;
        assert.equal(second.code, 1, output);
        assert.match(output, new RegExp(`in use by another sls emulate \\(PID ${first.pid}`));
        assert.match(output, new RegExp(`AWS endpoint ${portOf(first.aws)}, HTTP ${portOf(first.http)}`));
        assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
      } finally {
        assert.equal(await first.stop(), 0);
      }
      assert.equal(existsSync(path.join(dir, 'emulate.lock')), false, 'the lock is removed at stop');
    });

    it('takes over the lock of a process that is gone', async () => {
      const dir = stateDir();
      const gone = spawn(process.execPath, ['-e', '']);
      await new Promise((resolve) => gone.once('exit', resolve));
      writeFileSync(path.join(dir, 'emulate.lock'), JSON.stringify({ pid: gone.pid, ports: { HTTP: 3000 } }));

      const emulator = await startEmulator(SERVICE, ['--state-dir', dir]);
      const lock = JSON.parse(readFileSync(path.join(dir, 'emulate.lock'), 'utf8'));
      assert.deepEqual(lock, {
        pid: emulator.pid,
        ports: { 'AWS endpoint': portOf(emulator.aws), HTTP: portOf(emulator.http) },
      });
      assert.equal(await emulator.stop(), 0);
    });
  });

  describe('an unreadable database', () => {
    const refused = async (dir: string) => {
      const result = await emulate(dir);
      const output = result.stdout + result.stderr;
      assert.equal(result.code, 1, output);
      assert.ok(
        output.includes(`The state database ${path.join(dir, 'state.sqlite')} cannot be read`),
        output,
      );
      assert.ok(output.includes(`sls emulate --reset deletes the state folder ${dir}`), output);
      assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
    };

    it('garbage bytes: a clear error naming the file and what --reset deletes; --reset starts empty', async () => {
      const dir = stateDir();
      writeFileSync(path.join(dir, 'state.sqlite'), 'not a database, '.repeat(512));
      await refused(dir);

      const emulator = await startEmulator(SERVICE, ['--state-dir', dir, '--reset']);
      assert.equal(await emulator.stop(), 0);
    });

    it('a truncated file', async () => {
      const dir = stateDir();
      const file = path.join(dir, 'state.sqlite');
      const db = new Database(file);
      db.exec('CREATE TABLE filler (text TEXT)');
      const insert = db.prepare('INSERT INTO filler VALUES (?)');
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(200));
      db.close();
      truncateSync(file, Math.floor(readFileSync(file).length / 2));
      await refused(dir);
    });

    it('a directory where the file should be', async () => {
      const dir = stateDir();
      mkdirSync(path.join(dir, 'state.sqlite'));
      await refused(dir);
    });
  });

  describe('when what started it goes away', () => {
    it('stops and frees its ports when its parent process is killed', async () => {
      // A parent that starts sls emulate with our pipes, as npm start does, then dies with SIGKILL.
      const parent = spawn(
        process.execPath,
        [
          '-e',
          `const { spawn } = require('node:child_process');
           const child = spawn(process.execPath, process.argv.slice(1), { stdio: 'inherit' });
           process.stderr.write('emulator pid ' + child.pid + '\\n');
           setInterval(() => {}, 1000);`,
          SERVERLESS_BIN,
          'emulate',
          ...EPHEMERAL,
          '--state-dir',
          stateDir(),
        ],
        { cwd: SERVICE, env: SLS_ENV, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      parent.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      parent.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await eventually('the emulator is ready', () => stdout.includes('Ready.'), 30_000);
      const pid = Number(/emulator pid (\d+)/.exec(stderr)?.[1]);
      const ports = [
        portOf(/AWS endpoint: (\S+)/.exec(stdout)?.[1]),
        portOf(/HTTP: (\S+)/.exec(stdout)?.[1]),
      ];
      assert.ok(isAlive(pid));

      parent.kill('SIGKILL');
      await eventually('the emulator has exited', () => !isAlive(pid));
      for (const port of ports) assert.equal(await portIsFree(port), true, `port ${port} is free`);
      assert.match(stderr, /Stopping \(the process that started it \(PID \d+\) is gone\)/);
    });

    it('stops on SIGHUP (a closed terminal) and frees its ports', async () => {
      const emulator = await startEmulator(SERVICE, ['--state-dir', stateDir()]);
      process.kill(emulator.pid, 'SIGHUP');
      await eventually('the emulator has exited', () => !isAlive(emulator.pid));
      assert.equal(await emulator.stop(), 0);
      assert.equal(await portIsFree(portOf(emulator.aws)), true);
    });
  });
});
