import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/errors';
import { findOnPath } from '../../../src/runtime/runtime-api/find-executable';
import type { ProcessInstance } from '../../../src/runtime/runtime-api/process-instance';
import { ProvidedRuntime } from '../../../src/runtime/runtime-api/provided-runtime';
import type { FunctionConfig, Instance } from '../../../src/runtime/types';
import {
  eventually,
  functionConfig,
  invocation,
  liveProcessesInGroup,
  PROVIDED_SERVICE,
  run,
  survivorsInGroup,
} from './helpers';

const provided = (overrides: Partial<FunctionConfig> = {}) =>
  functionConfig({
    handler: 'bootstrap',
    runtime: 'provided.al2',
    serviceDir: PROVIDED_SERVICE,
    ...overrides,
  });

describe('provided runtime', () => {
  const runtime = new ProvidedRuntime();
  const started: Instance[] = [];
  const start = (fn: FunctionConfig) => {
    runtime.check(fn);
    const instance = runtime.start(fn);
    started.push(instance);
    return instance;
  };

  afterEach(async () => {
    await Promise.all(started.splice(0).map((instance) => instance.terminate()));
  });

  describe('check', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'emulate-provided-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('names the function and where it looked when there is no bootstrap', () => {
      const fn = provided({ key: 'api', handler: 'bin/api/bootstrap', serviceDir: dir });
      assert.throws(
        () => runtime.check(fn),
        (error: ConfigError) =>
          error instanceof ConfigError &&
          error.code === 'EMULATE_HANDLER_NOT_FOUND' &&
          error.message.includes('"api"') &&
          error.message.includes('bin/api/bootstrap and bootstrap'),
      );
    });

    it('refuses a bootstrap that is not executable', () => {
      writeFileSync(path.join(dir, 'bootstrap'), '#!/bin/sh\n');
      chmodSync(path.join(dir, 'bootstrap'), 0o644);
      assert.throws(
        () => runtime.check(provided({ serviceDir: dir })),
        /is not an executable file \(chmod \+x it\)/,
      );
    });

    it("prefers the bootstrap in the handler's directory, then the service's", () => {
      mkdirSync(path.join(dir, 'bin', 'orders'), { recursive: true });
      for (const file of ['bootstrap', 'bin/orders/bootstrap']) {
        writeFileSync(path.join(dir, file), '#!/bin/sh\n');
        chmodSync(path.join(dir, file), 0o755);
      }
      const fn = provided({ handler: 'bin/orders/bootstrap', serviceDir: dir });
      assert.deepEqual(ProvidedRuntime.candidates(fn), [
        path.join(dir, 'bin/orders/bootstrap'),
        path.join(dir, 'bootstrap'),
      ]);
      runtime.check(fn);
      runtime.check(provided({ handler: 'bin/elsewhere/main', serviceDir: dir }));
      assert.deepEqual(ProvidedRuntime.candidates(provided({ handler: 'main.handler', serviceDir: dir })), [
        path.join(dir, 'bootstrap'),
      ]);
    });

    it('takes provided, provided.al2 and provided.al2023 only', () => {
      for (const name of ['provided', 'provided.al2', 'provided.al2023'])
        runtime.check(provided({ runtime: name }));
      assert.throws(() => runtime.check(provided({ runtime: 'go1.x' })), {
        code: 'EMULATE_UNSUPPORTED_RUNTIME',
      });
    });
  });

  describe('a POSIX sh bootstrap using curl', function () {
    before(function () {
      if (!findOnPath('curl')) this.skip();
    });

    it('runs unchanged: events come back as responses, its output goes to the invocation', async () => {
      const fn = provided();
      const instance = start(fn);
      const input = invocation(fn, { order: 42, note: 'héllo' });
      const { result, lines } = await run(instance, input);
      assert.deepEqual(result, { ok: true, payload: input.event });
      assert.deepEqual(lines, ['bootstrap starting, handler bootstrap', `handling ${input.requestId}`]);
      assert.ok((instance.initDurationMs ?? 0) > 0);

      const again = invocation(fn, [1, 2, 3]);
      assert.deepEqual((await run(instance, again)).result, { ok: true, payload: '[1,2,3]' });
    });

    it('hands on the error document the bootstrap posts', async () => {
      const fn = provided();
      const instance = start(fn);
      const { result } = await run(instance, invocation(fn, { fail: true }));
      assert.deepEqual(result, {
        ok: false,
        error: { errorMessage: 'asked to fail', errorType: 'EchoError', stackTrace: [] },
      });
      assert.deepEqual((await run(instance, invocation(fn, 'fine'))).result, { ok: true, payload: '"fine"' });
    });

    it('gives Runtime.ExitError when the bootstrap exits during an invocation', async () => {
      const fn = provided();
      const input = invocation(fn, { exit: true });
      const { result, lines } = await run(start(fn), input);
      assert.deepEqual(result, {
        ok: false,
        fatal: true,
        error: {
          errorType: 'Runtime.ExitError',
          errorMessage: `RequestId: ${input.requestId} Error: Runtime exited with error: exit status 4`,
        },
      });
      assert.equal(lines.at(-1), 'exiting');
    });

    it('terminate() kills the shell and the curl it waits on', async () => {
      const fn = provided();
      const instance = start(fn) as ProcessInstance;
      await run(instance, invocation(fn, {}));
      const pid = instance.pid as number;
      // Parked in `next`: the shell waits on curl.
      let group: number[] = [];
      await eventually(() => (group = liveProcessesInGroup(pid)).length >= 2, 1000);
      assert.ok(group.length >= 2, `process group ${group.join(', ')}`);
      await instance.terminate();
      assert.deepEqual(await survivorsInGroup(pid), []);
    });
  });
});
