import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clientConfig, startEmulator, type RunningEmulator } from '../helpers/emulate';
import { NODE_VERSIONS_DIR, nodeBinary } from '../helpers/node-versions';
import { pythonOfVersion } from '../runtime/runtime-api/helpers';

const SERVICE = path.join(NODE_VERSIONS_DIR, 'service');

/** The machine's python3 (its real path) and its version. */
function hostPython(): { executable: string; version: string } {
  const output = execFileSync(
    'python3',
    ['-c', 'import sys; print(sys.executable); print("%d.%d" % sys.version_info[:2])'],
    { encoding: 'utf8' },
  );
  const [executable, version] = output.trim().split('\n');
  return { executable, version };
}

/**
 * `sls emulate` on functions that declare the Node majors and Python versions they run on. The emulator
 * looks for interpreters in a folder the test makes (PATH: python3, and python3.12 where the machine has
 * it; an empty home, pyenv root and n prefix), so what it finds does not depend on the machine, except
 * Node 22 and 24, which come from test/node-versions/node_modules.
 */
describe('sls emulate: each function on the runtime version it declares', function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;
  let lambda: LambdaClient;
  let sandbox: string;
  const python = hostPython();
  const python312 = pythonOfVersion('3.12');

  before(async () => {
    nodeBinary(22);
    nodeBinary(24);
    sandbox = mkdtempSync(path.join(os.tmpdir(), 'emulate-versions-'));
    const bin = path.join(sandbox, 'bin');
    mkdirSync(bin);
    symlinkSync(python.executable, path.join(bin, 'python3'));
    if (python312) symlinkSync(python312, path.join(bin, 'python3.12'));
    emulator = await startEmulator(SERVICE, [], {
      PATH: bin,
      HOME: sandbox,
      N_PREFIX: sandbox,
      PYENV_ROOT: sandbox,
    });
    lambda = new LambdaClient(clientConfig(emulator.aws));
  });

  after(async () => {
    lambda?.destroy();
    assert.equal(await emulator?.stop(), 0);
    rmSync(sandbox, { recursive: true, force: true });
  });

  const invoke = (name: string, payload: unknown = {}) =>
    lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload) }));
  const body = (out: InvokeCommandOutput) => JSON.parse(Buffer.from(out.Payload ?? []).toString());
  const reportOf = (requestId: string) =>
    new RegExp(`REPORT RequestId: ${requestId}\\t.*\\tMax Memory Used: (\\d+) MB`).exec(emulator.output());

  describe('Node.js', () => {
    it("runs nodejs20.x on the emulator's own Node, in a worker thread", async () => {
      const result = body(await invoke('onHost'));
      assert.equal(result.version, process.version);
      assert.equal(result.workerThread, true);
    });

    it('runs nodejs22.x and nodejs24.x on Node 22 and 24, each a process of its own', async () => {
      const on22 = body(await invoke('onNode22'));
      const on24 = body(await invoke('onNode24'));
      assert.match(on22.version, /^v22\./);
      assert.match(on24.version, /^v24\./);
      assert.equal(on22.workerThread, false);
      await emulator.waitForOutput(/\[onNode22\] \S+\t\S+\tINFO\trunning on v22\./);
    });

    it('keeps an instance on another Node warm: the second invocation finds the first one’s state', async () => {
      const first = body(await invoke('onNode22'));
      const second = body(await invoke('onNode22'));
      assert.equal(second.initializedAt, first.initializedAt);
      assert.equal(second.invocations, first.invocations + 1);
    });

    it('times a function on another Node out, reports the memory it used, and starts a new instance', async () => {
      const slow = await invoke('sleeperOn22', { ms: 5000 });
      assert.equal(slow.FunctionError, 'Unhandled');
      const error = body(slow);
      assert.equal(error.errorType, 'Sandbox.Timedout');
      const requestId = /\S+ (\S+) Task timed out after 1\.00 seconds$/.exec(error.errorMessage)?.[1] ?? '';
      await emulator.waitForOutput(`REPORT RequestId: ${requestId}`);
      assert.ok(Number(reportOf(requestId)?.[1]) > 0, 'the REPORT of the timeout has no Max Memory Used');
      assert.deepEqual(body(await invoke('sleeperOn22', { ms: 10 })), { slept: 10 });
    });

    it("answers a thrown error on another Node with Lambda's error body", async () => {
      const out = await invoke('throwerOn22');
      assert.equal(out.FunctionError, 'Unhandled');
      const error = body(out);
      assert.equal(error.errorType, 'OrderError');
      assert.equal(error.errorMessage, 'order 42 is invalid');
      assert.equal(error.trace[0], 'OrderError: order 42 is invalid');
    });

    it('runs a TypeScript handler on another Node, its stack trace pointing at the .ts lines', async () => {
      const error = body(await invoke('typescriptOn22', { id: -1 }));
      assert.equal(error.errorType, 'RangeError');
      assert.match(error.trace[1], /at handler \(.*src[/\\]typed\.ts:6:\d+\)$/);
      assert.match(body(await invoke('typescriptOn22', { id: 7 })).version, /^v22\./);
    });

    it("fails a callback handler on nodejs24.x as Lambda's Node.js 24 runtime does", async () => {
      const error = body(await invoke('callbackOn24'));
      assert.equal(error.errorType, 'Runtime.CallbackHandlerDeprecated');
      assert.match(
        error.errorMessage,
        /^ERROR: AWS Lambda has removed support for callback-based function handlers/,
      );
    });

    it("runs a function whose Node cannot be had on the emulator's own, with one warning at start", async () => {
      const warnings = emulator
        .output()
        .split('\n')
        .filter((line) => line.startsWith('Function "onNode18"'));
      assert.deepEqual(warnings, [
        `Function "onNode18" declares nodejs18.x: no Node 18 found (PATH, nvm, fnm, volta, asdf, n, node_modules), so it runs on this machine's Node ${process.version}`,
      ]);
      assert.ok(emulator.output().indexOf(warnings[0]) < emulator.output().indexOf('Ready.'));
      assert.equal(body(await invoke('onNode18')).version, process.version);
    });
  });

  describe('Python', () => {
    it('runs a python3.12 function on Python 3.12', async function () {
      if (!python312) {
        console.log('      (skipped: this machine has no Python 3.12 on PATH or in pyenv)');
        this.skip();
      }
      assert.deepEqual(body(await invoke('python312')), { version: '3.12' });
    });

    it('runs a function whose Python cannot be had on python3, with one warning at start', async function () {
      if (python.version === '3.9') this.skip();
      const warnings = emulator
        .output()
        .split('\n')
        .filter((line) => line.startsWith('Function "python39"'));
      assert.deepEqual(warnings, [
        `Function "python39" declares python3.9: no Python 3.9 found (PATH, pyenv), so it runs on Python ${python.version} (${path.join(sandbox, 'bin', 'python3')})`,
      ]);
      assert.deepEqual(body(await invoke('python39')), { version: python.version });
    });
  });
});
