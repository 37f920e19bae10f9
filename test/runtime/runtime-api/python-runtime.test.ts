import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/errors';
import type { ProcessInstance } from '../../../src/runtime/runtime-api/process-instance';
import { PYTHON_BOOTSTRAP, PythonRuntime } from '../../../src/runtime/runtime-api/python-runtime';
import type { FunctionConfig, Instance } from '../../../src/runtime/types';
import {
  eventually,
  functionConfig,
  invocation,
  liveProcessesInGroup,
  PYTHON_SERVICE,
  pythonOfVersion,
  run,
  survivorsInGroup,
} from './helpers';

describe('Python runtime', () => {
  const runtime = new PythonRuntime();
  const started: Instance[] = [];
  const start = (fn: FunctionConfig, on: PythonRuntime = runtime) => {
    on.check(fn);
    const instance = on.start(fn);
    started.push(instance);
    return instance;
  };

  afterEach(async () => {
    await Promise.all(started.splice(0).map((instance) => instance.terminate()));
  });

  describe('check', () => {
    it('names the function when its handler file does not exist', () => {
      const fn = functionConfig({ key: 'orders', handler: 'handlers/missing.main' });
      assert.throws(
        () => runtime.check(fn),
        (error: ConfigError) =>
          error instanceof ConfigError &&
          error.code === 'EMULATE_HANDLER_NOT_FOUND' &&
          error.message.includes('"orders"') &&
          error.message.includes('handlers/missing.py'),
      );
    });

    it('refuses a handler with no function part', () => {
      const fn = functionConfig({ key: 'orders', handler: 'handlers/ok' });
      assert.throws(() => runtime.check(fn), { code: 'EMULATE_HANDLER_NOT_FOUND' });
    });

    it('accepts a handler module given as a dotted path or as a package', () => {
      runtime.check(functionConfig({ handler: 'handlers.ok.main' }));
      const dir = mkdtempSync(path.join(os.tmpdir(), 'emulate-py-'));
      try {
        mkdirSync(path.join(dir, 'pkg'));
        writeFileSync(path.join(dir, 'pkg', '__init__.py'), 'def main(e, c):\n    return 1\n');
        runtime.check(functionConfig({ handler: 'pkg.main', serviceDir: dir }));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('says the runtime is unavailable, naming the function, when there is no python3 on PATH', () => {
      const missing = new PythonRuntime({ python: 'python3-that-is-not-installed' });
      assert.throws(
        () => missing.check(functionConfig({ key: 'worker', handler: 'handlers/ok.main' })),
        (error: ConfigError) =>
          error.code === 'EMULATE_RUNTIME_UNAVAILABLE' &&
          error.message.includes('"worker"') &&
          error.message.includes('python3-that-is-not-installed'),
      );
    });

    it('refuses a runtime that is not python3.8 to python3.13', () => {
      assert.throws(
        () => runtime.check(functionConfig({ handler: 'handlers/ok.main', runtime: 'python2.7' })),
        {
          code: 'EMULATE_UNSUPPORTED_RUNTIME',
        },
      );
      for (const version of ['python3.8', 'python3.13']) {
        runtime.check(functionConfig({ handler: 'handlers/ok.main', runtime: version }));
      }
    });
  });

  it('runs a handler and returns its JSON result, loading the module once per instance', async () => {
    const fn = functionConfig({ handler: 'handlers/ok.main' });
    const instance = start(fn);
    assert.equal(instance.initDurationMs, undefined);

    const first = await run(instance, invocation(fn, { order: 1 }));
    assert.deepEqual(first.result, { ok: true, payload: '{"echo": {"order": 1}, "calls": 1, "price": 2.5}' });
    const init = instance.initDurationMs;
    assert.ok(init !== undefined && init > 0 && init < 10_000, `init duration ${init}`);

    const second = await run(instance, invocation(fn, 'again'));
    assert.deepEqual(JSON.parse(second.result.ok ? second.result.payload : '{}').calls, 2);
    assert.equal(instance.initDurationMs, init);
    assert.ok(instance.maxMemoryUsedMb() > 1, `memory ${instance.maxMemoryUsedMb()}`);
  });

  it('returns bytes as they are, None as null, and a MarshalError for what JSON cannot hold', async () => {
    const raw = functionConfig({ handler: 'handlers/ok.raw_bytes' });
    assert.deepEqual((await run(start(raw), invocation(raw, {}))).result, { ok: true, payload: 'not json' });
    const none = functionConfig({ handler: 'handlers/ok.nothing' });
    assert.deepEqual((await run(start(none), invocation(none, {}))).result, { ok: true, payload: 'null' });

    const bad = functionConfig({ handler: 'handlers/ok.unserializable' });
    const input = invocation(bad, {});
    const { result } = await run(start(bad), input);
    assert.deepEqual(result, {
      ok: false,
      error: {
        errorMessage: 'Unable to marshal response: Object of type set is not JSON serializable',
        errorType: 'Runtime.MarshalError',
        requestId: input.requestId,
        stackTrace: [],
      },
    });
  });

  it('returns a raised exception as AWS shapes it, logs it, and keeps the instance', async () => {
    const fn = functionConfig({ handler: 'handlers/raises.main' });
    const instance = start(fn);
    const input = invocation(fn, {});
    const { result, lines } = await run(instance, input);
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.fatal, undefined);
    assert.deepEqual(Object.keys(result.error), ['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    assert.equal(result.error.errorMessage, 'order has no id');
    assert.equal(result.error.errorType, 'ValueError');
    assert.equal((result.error as unknown as { requestId: string }).requestId, input.requestId);
    const trace = result.error.stackTrace ?? [];
    assert.equal(trace.length, 2);
    assert.match(trace[0], /^ {2}File ".*handlers\/raises\.py", line 7, in main\n {4}validate\(event\)\n$/);
    assert.match(trace[1], /line 3, in validate\n {4}raise ValueError\("order has no id"\)\n$/);
    assert.ok(!trace.some((frame) => frame.includes('bootstrap.py')));
    assert.deepEqual(lines.slice(0, 2), [
      '[ERROR] ValueError: order has no id',
      'Traceback (most recent call last):',
    ]);

    assert.deepEqual((await run(instance, invocation(fn, { id: 7 }))).result, {
      ok: true,
      payload: '"valid"',
    });
  });

  it('sends each line the function writes to the invocation, init output first', async () => {
    const fn = functionConfig({ handler: 'handlers/logs.main' });
    const instance = start(fn);
    const input = invocation(fn, {});
    const { result, lines } = await run(instance, input);
    assert.deepEqual(result, { ok: true, payload: '"logged"' });
    const logged = lines.find((line) => line.startsWith('[INFO]'));
    assert.match(
      logged ?? '',
      new RegExp(
        `^\\[INFO\\]\\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${input.requestId}\\tvia logging$`,
      ),
    );
    assert.deepEqual(
      lines.filter((line) => line !== logged && line !== 'to stderr'),
      ['loading logs module', 'first line', 'two', 'lines', 'no newline at the end'],
    );
    assert.ok(lines.includes('to stderr'));

    const again = await run(instance, invocation(fn, {}));
    assert.ok(!again.lines.includes('loading logs module'));
    assert.ok(again.lines.includes('first line'));
  });

  it('fails the init with Runtime.ImportModuleError when the module does not import', async () => {
    const fn = functionConfig({ handler: 'handlers/bad_import.main' });
    const instance = start(fn);
    const expected = {
      errorMessage:
        "Unable to import module 'handlers/bad_import': No module named 'module_that_does_not_exist'",
      errorType: 'Runtime.ImportModuleError',
      requestId: '',
      stackTrace: [],
    };
    const { result, lines } = await run(instance, invocation(fn, {}));
    assert.deepEqual(result, { ok: false, fatal: true, error: expected });
    assert.equal(lines[0], `[ERROR] Runtime.ImportModuleError: ${expected.errorMessage}`);
    assert.ok((instance.initDurationMs ?? 0) > 0);
    assert.deepEqual((await run(instance, invocation(fn, {}))).result, {
      ok: false,
      fatal: true,
      error: expected,
    });
  });

  it('fails the init with Runtime.HandlerNotFound when the module has no such function', async () => {
    const fn = functionConfig({ handler: 'handlers/ok.nope' });
    const { result } = await run(start(fn), invocation(fn, {}));
    assert.deepEqual(result, {
      ok: false,
      fatal: true,
      error: {
        errorMessage: "Handler 'nope' missing on module 'handlers/ok'",
        errorType: 'Runtime.HandlerNotFound',
        requestId: '',
        stackTrace: [],
      },
    });
  });

  it('gives Runtime.ExitError with the exit status when the handler calls sys.exit(3)', async () => {
    const fn = functionConfig({ handler: 'handlers/exits.exit_three' });
    const instance = start(fn);
    const input = invocation(fn, {});
    const { result, lines } = await run(instance, input);
    assert.deepEqual(result, {
      ok: false,
      fatal: true,
      error: {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${input.requestId} Error: Runtime exited with error: exit status 3`,
      },
    });
    assert.deepEqual(lines, ['about to exit']);
    const later = invocation(fn, {});
    const next = await run(instance, later);
    assert.ok(!next.result.ok && next.result.fatal);
    assert.equal(
      !next.result.ok && next.result.error.errorMessage,
      `RequestId: ${later.requestId} Error: Runtime exited with error: exit status 3`,
    );
  });

  it('names the signal as AWS does when the process is killed', async () => {
    const fn = functionConfig({ handler: 'handlers/exits.kill_self' });
    const input = invocation(fn, {});
    const { result } = await run(start(fn), input);
    assert.deepEqual(result, {
      ok: false,
      fatal: true,
      error: {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${input.requestId} Error: Runtime exited with error: signal: killed`,
      },
    });
  });

  it("gives the handler the function's environment only, and the context AWS's runtime builds", async () => {
    process.env.EMULATE_TEST_SECRET = 'must not leak';
    try {
      const fn = functionConfig({ key: 'env', handler: 'handlers/env_context.main' });
      const instance = start(fn);
      const clientContext = Buffer.from(
        JSON.stringify({ custom: { tenant: 't-1' }, client: { app_title: 'shop' }, env: {} }),
      ).toString('base64');
      const input = invocation(fn, {}, { clientContext, deadlineMs: Date.now() + 5000 });
      const { result } = await run(instance, input);
      assert.ok(result.ok);
      const { environ, cwd, context } = JSON.parse(result.payload);

      assert.equal(environ.EMULATE_TEST_SECRET, undefined);
      assert.equal(environ.STAGE, 'dev');
      assert.equal(environ.AWS_LAMBDA_FUNCTION_NAME, 'svc-dev-env');
      assert.equal(environ._HANDLER, 'handlers/env_context.main');
      assert.equal(environ.LAMBDA_TASK_ROOT, PYTHON_SERVICE);
      assert.match(environ.AWS_LAMBDA_RUNTIME_API, /^127\.0\.0\.1:\d+$/);
      assert.match(environ._X_AMZN_TRACE_ID, /^Root=1-/);
      assert.equal(environ.PATH, process.env.PATH);
      const allowed = new Set([
        ...Object.keys(fn.environment),
        '_HANDLER',
        'LAMBDA_TASK_ROOT',
        'AWS_LAMBDA_RUNTIME_API',
        '_X_AMZN_TRACE_ID',
        'PATH',
        'HOME',
        'LANG',
        'LC_CTYPE', // Python's own C-locale coercion (PEP 538) sets it
      ]);
      assert.deepEqual(
        Object.keys(environ).filter((name) => !allowed.has(name)),
        [],
      );
      assert.equal(cwd, PYTHON_SERVICE);

      assert.equal(context.function_name, 'svc-dev-env');
      assert.equal(context.function_version, '$LATEST');
      assert.equal(context.invoked_function_arn, fn.arn);
      assert.equal(context.memory_limit_in_mb, '256');
      assert.equal(context.aws_request_id, input.requestId);
      assert.equal(context.log_group_name, '/aws/lambda/svc-dev-env');
      assert.equal(context.log_stream_name, '2024/01/01/[$LATEST]0123456789abcdef');
      assert.ok(
        context.remaining_ms > 3000 && context.remaining_ms <= 5000,
        `remaining ${context.remaining_ms}`,
      );
      assert.equal(context.identity_id, null);
      assert.deepEqual(context.client_custom, { tenant: 't-1' });
      assert.equal(context.client_app_title, 'shop');
    } finally {
      delete process.env.EMULATE_TEST_SECRET;
    }
  });

  it('terminate() kills a running invocation and leaves no process or port behind', async () => {
    const fn = functionConfig({ handler: 'handlers/exits.sleep' });
    const instance = start(fn) as ProcessInstance;
    const input = invocation(fn, {});
    const lines: string[] = [];
    const pending = instance.invoke(input, (line) => lines.push(line));
    assert.ok(await eventually(() => lines.includes('sleeping')), 'the handler never started sleeping');
    const pid = instance.pid as number;
    assert.deepEqual(liveProcessesInGroup(pid), [pid]);
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    const port = Number(/AWS_LAMBDA_RUNTIME_API=[^:]+:(\d+)/.exec(environ)?.[1]);

    await instance.terminate();
    assert.deepEqual(await pending, {
      ok: false,
      fatal: true,
      error: {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${input.requestId} Error: Runtime exited with error: signal: killed`,
      },
    });
    assert.deepEqual(await survivorsInGroup(pid), []);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });
    assert.ok(refused, `port ${port} still open`);
  });

  it('terminate() before the first invocation stops the process that is starting', async () => {
    const fn = functionConfig({ handler: 'handlers/ok.main' });
    const instance = runtime.start(fn) as ProcessInstance;
    assert.ok(await eventually(() => instance.pid !== undefined), 'the process was never spawned');
    const pid = instance.pid as number;
    await instance.terminate();
    assert.deepEqual(await survivorsInGroup(pid), []);
    const { result } = await run(instance, invocation(fn, {}));
    assert.ok(!result.ok && result.fatal && result.error.errorType === 'Runtime.ExitError');
  });

  describe('bootstrap.py', () => {
    it('parses as Python 3.8', () => {
      execFileSync('python3', [
        '-c',
        'import ast, sys; ast.parse(open(sys.argv[1]).read(), feature_version=(3, 8))',
        PYTHON_BOOTSTRAP,
      ]);
    });

    for (const version of ['3.8', '3.13']) {
      it(`runs handlers under Python ${version} when the machine has it`, async function () {
        const python = pythonOfVersion(version);
        if (!python) this.skip();
        const versioned = new PythonRuntime({ python });
        const fn = functionConfig({ handler: 'handlers/raises.main', runtime: `python${version}` });
        const instance = start(fn, versioned);
        assert.deepEqual((await run(instance, invocation(fn, { id: 1 }))).result, {
          ok: true,
          payload: '"valid"',
        });
        const { result } = await run(instance, invocation(fn, {}));
        assert.ok(!result.ok && result.error.errorType === 'ValueError');
      });
    }
  });
});
