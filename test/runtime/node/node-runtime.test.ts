import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HOST_NODE_MAJOR, NodeRuntime } from '../../../src/runtime/node/node-runtime';
import { Transpiler } from '../../../src/runtime/node/transpiler';
import type { FunctionConfig, Instance } from '../../../src/runtime/types';
import { NODE_VERSIONS_DIR, nodeBinary } from '../../helpers/node-versions';
import { functionConfig, invocation, run } from '../runtime-api/helpers';

const SERVICE = path.join(NODE_VERSIONS_DIR, 'service');
const CALLBACK_DEPRECATED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

const nodeFunction = (handler: string, runtime: string, extra: Partial<FunctionConfig> = {}) =>
  functionConfig({ handler, runtime, serviceDir: SERVICE, ...extra });

describe('Node.js runtime: the worker thread and the process of another Node', function () {
  this.timeout(60_000);
  let buildDir: string;
  let transpiler: Transpiler;
  let onHost: NodeRuntime;
  let on22: NodeRuntime;
  const started: Instance[] = [];

  before(() => {
    buildDir = mkdtempSync(path.join(os.tmpdir(), 'emulate-node-'));
    transpiler = new Transpiler(SERVICE, buildDir);
    onHost = new NodeRuntime(transpiler);
    on22 = new NodeRuntime(transpiler, { node: { executable: nodeBinary(22), version: 'v22' } });
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((instance) => instance.terminate()));
  });

  after(() => rmSync(buildDir, { recursive: true, force: true }));

  const start = (runtime: NodeRuntime, fn: FunctionConfig) => {
    runtime.check(fn);
    const instance = runtime.start(fn);
    started.push(instance);
    return instance;
  };

  const kinds = () => [
    {
      name: `a worker thread (Node ${HOST_NODE_MAJOR})`,
      runtime: onHost,
      declared: `nodejs${HOST_NODE_MAJOR}.x`,
    },
    { name: 'a process of Node 22', runtime: on22, declared: 'nodejs22.x' },
  ];

  for (const index of [0, 1]) {
    describe(`on ${index === 0 ? 'a worker thread' : 'a process of Node 22'}`, () => {
      const kind = () => kinds()[index];

      it('logs a process warning of the module (the SDK NodeVersionSupportWarning) as plain lines, not as ERROR', async () => {
        const fn = nodeFunction('src/lines.handler', kind().declared);
        const instance = start(kind().runtime, fn);
        const { result, lines } = await run(instance, invocation(fn, { n: 1 }));
        assert.deepEqual(result, { ok: true, payload: '1' });
        const warning = lines.findIndex((line) =>
          /^\(node:\d+\) Warning: NodeVersionSupportWarning: The AWS SDK for JavaScript \(v3\)$/.test(line),
        );
        assert.ok(warning >= 0, lines.join('\n'));
        assert.equal(lines[warning + 1], 'will require node >=22.');
        assert.ok(!lines.some((line) => line.includes('\tERROR\t')), lines.join('\n'));
      });

      it("hands a line written between invocations to the next invocation's log", async () => {
        const fn = nodeFunction('src/lines.handler', kind().declared);
        const instance = start(kind().runtime, fn);
        await run(instance, invocation(fn, { n: 1 }));
        await new Promise((resolve) => setTimeout(resolve, 300));
        const { lines } = await run(instance, invocation(fn, { n: 2 }));
        assert.ok(
          lines.some((line) => line.endsWith('\tINFO\tafter invocation 1')),
          lines.join('\n'),
        );
      });

      it('reads the memory used while an invocation is still running (what a timeout reports)', async () => {
        const fn = nodeFunction('src/failures.sleeper', kind().declared);
        const instance = start(kind().runtime, fn);
        const pending = run(instance, invocation(fn, { ms: 2000 }));
        // The first sample is taken once the handler has loaded: under load that can outlast any fixed wait.
        await instance.initialized;
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.ok(instance.maxMemoryUsedMb() > 0, `Max Memory Used: ${instance.maxMemoryUsedMb()} MB`);
        await instance.terminate();
        void pending;
      });

      it("points a TypeScript handler's stack trace at its .ts source lines", async () => {
        const fn = nodeFunction('src/typed.handler', kind().declared, { key: `typed${index}` });
        const instance = start(kind().runtime, fn);
        const { result } = await run(instance, invocation(fn, { id: -1 }));
        assert.ok(!result.ok);
        assert.equal(result.error.errorType, 'RangeError');
        assert.match(result.error.trace?.[1] ?? '', /at handler \(.*src[/\\]typed\.ts:6:\d+\)$/);
      });
    });
  }

  describe('nodejs24.x, as Lambda runs it', () => {
    it('fails the init of a callback handler with Runtime.CallbackHandlerDeprecated', async () => {
      const fn = nodeFunction('src/failures.callback', 'nodejs24.x');
      const { result } = await run(start(onHost, fn), invocation(fn, {}));
      assert.ok(!result.ok && result.fatal);
      assert.equal(result.error.errorType, 'Runtime.CallbackHandlerDeprecated');
      assert.equal(result.error.errorMessage, CALLBACK_DEPRECATED);
    });

    it('still runs the same callback handler on nodejs22.x', async () => {
      const fn = nodeFunction('src/failures.callback', 'nodejs22.x');
      assert.deepEqual((await run(start(on22, fn), invocation(fn, {}))).result, {
        ok: true,
        payload: '"never on nodejs24.x"',
      });
    });

    it('gives a context without succeed, fail, done and callbackWaitsForEmptyEventLoop', async () => {
      const keysOn = async (runtime: string) => {
        const fn = nodeFunction('src/failures.contextKeys', runtime);
        const { result } = await run(start(onHost, fn), invocation(fn, {}));
        assert.ok(result.ok);
        return JSON.parse(result.payload) as string[];
      };
      const removed = ['callbackWaitsForEmptyEventLoop', 'done', 'fail', 'succeed'];
      const before = await keysOn(`nodejs${HOST_NODE_MAJOR}.x`);
      const after = await keysOn('nodejs24.x');
      assert.deepEqual(
        before.filter((key) => !after.includes(key)),
        removed,
      );
      assert.ok(after.includes('getRemainingTimeInMillis') && after.includes('awsRequestId'));
    });
  });

  describe('the warning when the declared Node cannot be had', () => {
    it('names the function and both versions, once, at check', () => {
      const lines: string[] = [];
      const runtime = new NodeRuntime(transpiler, { warn: (line) => lines.push(line) });
      runtime.check(nodeFunction('src/version.handler', 'nodejs18.x', { key: 'legacy' }));
      assert.deepEqual(lines, [
        `Function "legacy" declares nodejs18.x: no Node 18 found (PATH, nvm, fnm, volta, asdf, n, node_modules), so it runs on this machine's Node ${process.version}`,
      ]);
      runtime.check(nodeFunction('src/version.handler', `nodejs${HOST_NODE_MAJOR}.x`));
      assert.equal(lines.length, 1, 'a function on the Node it declares got a warning');
    });
  });
});
