import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { clientConfig, startEmulator, type RunningEmulator } from '../helpers/emulate';

const SERVICE = fixture('runtime');

describe('sls emulate: the Lambda runtime through the Invoke API (@aws-sdk/client-lambda)', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let lambda: LambdaClient;

  before(async () => {
    emulator = await startEmulator(SERVICE, [], { EMULATOR_ONLY_SECRET: 'must-not-leak' });
    lambda = new LambdaClient(clientConfig(emulator.aws));
  });

  after(async () => {
    lambda?.destroy();
    assert.equal(await emulator?.stop(), 0);
  });

  const invoke = (name: string, payload: unknown = {}, extra: Partial<InvokeCommand['input']> = {}) =>
    lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload), ...extra }));
  const body = (out: InvokeCommandOutput) => JSON.parse(Buffer.from(out.Payload ?? []).toString() || 'null');

  describe('handler styles and module kinds', () => {
    it('runs an async CommonJS handler and returns its result with 200', async () => {
      const out = await invoke('asyncHandler', { a: 1 });
      assert.equal(out.StatusCode, 200);
      assert.equal(out.FunctionError, undefined);
      assert.equal(out.ExecutedVersion, '$LATEST');
      assert.deepEqual(body(out), { echo: { a: 1 }, style: 'async' });
    });

    it('waits for the event loop to empty before answering a callback handler', async () => {
      assert.deepEqual(body(await invoke('callbackHandler')), { style: 'callback', timerRanBefore: false });
      // The timer of the first call ran before it answered, so the warm instance has seen it.
      assert.deepEqual(body(await invoke('callbackHandler')), { style: 'callback', timerRanBefore: true });
    });

    it('answers null for a synchronous handler that takes no callback, as Lambda does', async () => {
      assert.equal(body(await invoke('syncHandler')), null);
    });

    it('finds a nested export', async () => {
      assert.equal(body(await invoke('nestedHandler')), 'nested');
    });

    it('loads .mjs modules and .js under "type": "module" with their relative imports', async () => {
      assert.deepEqual(body(await invoke('mjsHandler')), { module: 'mjs', url: true });
      assert.deepEqual(body(await invoke('esmHandler', { value: 21 })), { module: 'esm', value: 42 });
    });

    it('transpiles a TypeScript handler and its local imports without a build step', async () => {
      assert.deepEqual(body(await invoke('tsHandler', { name: 'Ada' })), {
        message: 'hello Ada from TypeScript',
        fn: 'runtime-dev-tsHandler',
      });
    });

    it('runs a Python handler over the Runtime API', async () => {
      const out = await invoke('python', { n: 1 });
      assert.equal(out.FunctionError, undefined);
      assert.deepEqual(body(out), {
        greeting: 'hello from python',
        function: 'runtime-dev-python',
        echo: { n: 1 },
      });
    });
  });

  describe('context and environment', () => {
    it('gives the context object Lambda gives', async () => {
      const context = body(await invoke('contextHandler'));
      assert.match(context.awsRequestId, /^[0-9a-f-]{36}$/);
      assert.equal(context.functionName, 'runtime-dev-contextHandler');
      assert.equal(context.functionVersion, '$LATEST');
      assert.equal(
        context.invokedFunctionArn,
        'arn:aws:lambda:us-east-1:000000000000:function:runtime-dev-contextHandler',
      );
      assert.equal(context.memoryLimitInMB, '256');
      assert.equal(context.logGroupName, '/aws/lambda/runtime-dev-contextHandler');
      assert.ok(context.remaining > 0 && context.remaining <= 3000, String(context.remaining));
      assert.equal(context.callbackWaitsForEmptyEventLoop, true);
    });

    it("sets Lambda's variables and the function's own, and nothing of the emulator's or another function's", async () => {
      const env = body(await invoke('envHandler'));
      assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'runtime-dev-envHandler');
      assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '1024');
      assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
      assert.equal(env.AWS_REGION, 'us-east-1');
      assert.equal(env.AWS_DEFAULT_REGION, 'us-east-1');
      assert.equal(env._HANDLER, 'src/handlers.envHandler');
      assert.equal(env.LAMBDA_TASK_ROOT, SERVICE);
      assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, '/aws/lambda/runtime-dev-envHandler');
      assert.equal(env.AWS_ENDPOINT_URL, emulator.aws);
      assert.equal(env.SHARED, 'from-provider');
      assert.equal(env.ONLY_ASYNC, undefined, "another function's environment leaked");
      assert.equal(env.EMULATOR_ONLY_SECRET, undefined, "the emulator's environment leaked");
    });

    it('returns the last 4 KB of the log with LogType Tail', async () => {
      const out = await invoke('envHandler', {}, { LogType: 'Tail' });
      const log = Buffer.from(out.LogResult ?? '', 'base64').toString();
      assert.match(log, /^START RequestId: \S+ Version: \$LATEST/m);
      assert.match(log, /\tINFO\treading the environment/);
      assert.match(log, /^END RequestId: /m);
      assert.match(
        log,
        /^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 1024 MB\tMax Memory Used: \d+ MB/m,
      );
    });
  });

  describe('errors, each an invocation error and never an emulator crash', () => {
    it("answers a thrown error with 200, X-Amz-Function-Error and Lambda's error body", async () => {
      const out = await invoke('thrower');
      assert.equal(out.StatusCode, 200);
      assert.equal(out.FunctionError, 'Unhandled');
      const error = body(out);
      assert.equal(error.errorType, 'OrderError');
      assert.equal(error.errorMessage, 'order 42 is invalid');
      assert.ok(Array.isArray(error.trace) && error.trace[0] === 'OrderError: order 42 is invalid');
    });

    it('times a function out after its timeout, then serves the next invocation on a new instance', async () => {
      const slow = await invoke('sleeper', { ms: 5000 });
      assert.equal(slow.FunctionError, 'Unhandled');
      const error = body(slow);
      assert.equal(error.errorType, 'Sandbox.Timedout');
      assert.match(error.errorMessage, /Task timed out after 1\.00 seconds$/);
      const next = await invoke('sleeper', { ms: 10 });
      assert.equal(next.FunctionError, undefined);
      assert.deepEqual(body(next), { slept: 10 });
    });

    it('reports process.exit as Runtime.ExitError and recovers', async () => {
      const error = body(await invoke('exiter'));
      assert.equal(error.errorType, 'Runtime.ExitError');
      assert.match(error.errorMessage, /Runtime exited with error: exit status 3/);
      assert.equal(body(await invoke('asyncHandler', 1)).style, 'async');
    });

    it('bounds the heap by memorySize and reports running out as an invocation error', async () => {
      const out = await invoke('hog');
      assert.equal(out.FunctionError, 'Unhandled');
      assert.equal(body(out).errorType, 'Runtime.OutOfMemory');
    });

    it('reports a module that cannot load as Runtime.ImportModuleError', async () => {
      const error = body(await invoke('brokenImport'));
      assert.equal(error.errorType, 'Runtime.ImportModuleError');
      assert.match(error.errorMessage, /this-module-does-not-exist/);
    });

    it('reports a missing export as Runtime.HandlerNotFound', async () => {
      const error = body(await invoke('missingExport'));
      assert.equal(error.errorType, 'Runtime.HandlerNotFound');
      assert.equal(error.errorMessage, 'src/handlers.doesNotExist is undefined or not exported');
    });
  });

  describe('concurrency and throttling', () => {
    it('throttles a call beyond reservedConcurrency with 429 TooManyRequestsException', async () => {
      const results = await Promise.allSettled([
        invoke('single', { ms: 500 }),
        invoke('single', { ms: 500 }),
      ]);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(rejected.length, 1);
      assert.equal(rejected[0].reason.name, 'TooManyRequestsException');
      assert.equal(rejected[0].reason.$metadata.httpStatusCode, 429);
    });

    it('throttles every call of a function with reservedConcurrency 0', async () => {
      await assert.rejects(invoke('disabled'), { name: 'TooManyRequestsException' });
    });

    it('runs concurrent calls of one function on separate instances, each keeping its module state', async () => {
      const outs = await Promise.all([1, 2, 3, 4].map(() => invoke('initCounter')));
      const starts = new Set(outs.map((o) => body(o).initializedAt));
      assert.ok(starts.size > 1, 'concurrent calls shared one instance');
      const again = body(await invoke('initCounter'));
      assert.ok(again.invocations >= 2, 'a warm instance re-ran its init');
    });
  });

  describe('the Invoke API', () => {
    it('queues an Event invocation and answers 202 at once', async () => {
      const out = await invoke('asyncHandler', { queued: true }, { InvocationType: 'Event' });
      assert.equal(out.StatusCode, 202);
      await emulator.waitForOutput(/λ asyncHandler ← Invoke API \(direct\/async\) ok/);
    });

    it('validates a DryRun with 204', async () => {
      assert.equal((await invoke('asyncHandler', {}, { InvocationType: 'DryRun' })).StatusCode, 204);
    });

    it('accepts the deployed name and the ARN as the function name', async () => {
      assert.equal(body(await invoke('runtime-dev-nestedHandler')), 'nested');
      const arn = 'arn:aws:lambda:us-east-1:000000000000:function:runtime-dev-nestedHandler';
      assert.equal(body(await invoke(arn)), 'nested');
      // The ARN a service writes with its own (real) account id still names the function.
      assert.equal(body(await invoke(arn.replace('000000000000', '123456789012'))), 'nested');
    });

    it('answers an unknown function with 404 ResourceNotFoundException', async () => {
      await assert.rejects(invoke('nope'), (error: Error & { $metadata: { httpStatusCode: number } }) => {
        assert.equal(error.name, 'ResourceNotFoundException');
        assert.equal(error.$metadata.httpStatusCode, 404);
        return true;
      });
    });

    it('runs Qualifier $LATEST, and names the version or alias it does not emulate', async () => {
      assert.equal(body(await invoke('runtime-dev-nestedHandler', {}, { Qualifier: '$LATEST' })), 'nested');
      assert.equal(body(await invoke('nestedHandler:$LATEST')), 'nested');
      const arn = 'arn:aws:lambda:us-east-1:000000000000:function:runtime-dev-nestedHandler';
      assert.equal(body(await invoke(`${arn}:$LATEST`, {}, { Qualifier: '$LATEST' })), 'nested');
      await assert.rejects(invoke(`${arn}:live`, {}, { Qualifier: '$LATEST' }), (error: Error) => {
        assert.equal(error.name, 'InvalidParameterValueException');
        return true;
      });
      await assert.rejects(invoke('nestedHandler:7'), { name: 'ResourceNotFoundException' });
      await assert.rejects(invoke('runtime-dev-nestedHandler', {}, { Qualifier: 'live' }), (error: Error) => {
        assert.equal(error.name, 'ResourceNotFoundException');
        assert.equal(
          error.message,
          `Function not found: ${arn}:live (sls emulate runs $LATEST: versions and aliases are not emulated)`,
        );
        return true;
      });
      await assert.rejects(invoke('nope'), (error: Error) => {
        assert.equal(
          error.message,
          'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
        );
        return true;
      });
    });

    it('answers a payload over 6 MB with 413 RequestEntityTooLargeException', async () => {
      await assert.rejects(invoke('asyncHandler', { big: 'x'.repeat(6 * 1024 * 1024) }), (error: Error) => {
        assert.equal(error.name, 'RequestEntityTooLargeException');
        return true;
      });
    });

    it('answers a payload that is not JSON with 400 InvalidRequestContentException', async () => {
      const response = await fetch(`${emulator.aws}/2015-03-31/functions/asyncHandler/invocations`, {
        method: 'POST',
        body: '{not json',
      });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('x-amzn-errortype'), 'InvalidRequestContentException');
    });

    it('answers a payload that is not UTF-8 with 400 InvalidRequestContentException, never replacing bytes', async () => {
      const response = await fetch(`${emulator.aws}/2015-03-31/functions/asyncHandler/invocations`, {
        method: 'POST',
        body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('x-amzn-errortype'), 'InvalidRequestContentException');
    });

    it('refuses a ClientContext that is not Base64-encoded JSON, without running the handler', async () => {
      for (const ClientContext of [
        'not base64!',
        Buffer.from('[1,2]').toString('base64'),
        Buffer.from('{x').toString('base64'),
      ]) {
        await assert.rejects(invoke('asyncHandler', {}, { ClientContext }), (error: Error) => {
          assert.equal(error.name, 'InvalidRequestContentException');
          assert.equal(error.message, 'Client context must be a valid Base64-encoded JSON object.');
          return true;
        });
      }
      const context = Buffer.from(JSON.stringify({ custom: { a: 1 } })).toString('base64');
      assert.equal((await invoke('asyncHandler', {}, { ClientContext: context })).StatusCode, 200);
    });
  });

  describe('hot reload', () => {
    const file = path.join(SERVICE, 'src', 'init-counter.js');
    let original: string;
    before(() => {
      original = readFileSync(file, 'utf8');
    });
    after(() => writeFileSync(file, original));

    it('runs new code on new instances after a change, without re-running init on every call', async () => {
      const before = body(await invoke('initCounter'));
      assert.equal(before.version, 1);
      writeFileSync(file, original.replace('version: 1', 'version: 2'));
      await emulator.waitForOutput('↻ initCounter: code changed');
      const first = body(await invoke('initCounter'));
      const second = body(await invoke('initCounter'));
      assert.equal(first.version, 2);
      assert.equal(second.initializedAt, first.initializedAt, 'init ran again on a warm instance');
      assert.equal(second.invocations, first.invocations + 1);
    });
  });
});
