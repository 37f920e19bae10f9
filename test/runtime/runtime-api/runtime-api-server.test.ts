import { strict as assert } from 'node:assert';
import { MAX_RESPONSE_BYTES } from '../../../src/runtime/lambda-errors';
import { RuntimeApiServer } from '../../../src/runtime/runtime-api/runtime-api-server';
import type { InvocationInput } from '../../../src/runtime/types';

const input = (requestId: string, extra: Partial<InvocationInput> = {}): InvocationInput => ({
  requestId,
  event: JSON.stringify({ hello: 'world', accent: 'é' }),
  deadlineMs: 1_900_000_000_000,
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:svc-dev-fn',
  traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0',
  ...extra,
});

describe('Runtime API server', () => {
  let api: RuntimeApiServer;
  let readyCalls: number;
  /** Resolves when the server has taken the runtime's first next. */
  let firstNextTaken: Promise<void>;
  const url = (path: string) => `http://${api.address}/2018-06-01/runtime${path}`;
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url(path), { method: 'POST', body, headers });
  /** A round trip to the server: what it had already answered has reached the client by its end. */
  const roundTrip = async () => (await fetch(`http://${api.address}/`)).text();

  beforeEach(async () => {
    readyCalls = 0;
    let taken = () => {};
    firstNextTaken = new Promise((resolve) => (taken = resolve));
    api = await RuntimeApiServer.start({ onReady: () => (readyCalls++, taken()) });
  });

  afterEach(() => api.close());

  it('listens on 127.0.0.1 on an ephemeral port', () => {
    assert.match(api.address, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(api.address, '127.0.0.1:0');
  });

  it('holds next until an invocation is handed over, then gives the event with its headers', async () => {
    let answered = false;
    const next = fetch(url('/invocation/next')).then((res) => ((answered = true), res));
    await firstNextTaken;
    // Had the server answered next when it took it, that answer would have come before this one.
    await roundTrip();
    assert.equal(answered, false);
    assert.equal(readyCalls, 1);

    const clientContext = Buffer.from(JSON.stringify({ custom: { user: 'zoë' } })).toString('base64');
    const result = api.invoke(input('req-1', { clientContext }));
    // Handing the invocation over answers next at once: before a request made after it.
    await roundTrip();
    assert.equal(answered, true);
    const res = await next;
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('lambda-runtime-aws-request-id'), 'req-1');
    assert.equal(res.headers.get('lambda-runtime-deadline-ms'), '1900000000000');
    assert.equal(
      res.headers.get('lambda-runtime-invoked-function-arn'),
      'arn:aws:lambda:eu-west-1:000000000000:function:svc-dev-fn',
    );
    assert.match(
      res.headers.get('lambda-runtime-trace-id') ?? '',
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
    );
    assert.deepEqual(JSON.parse(res.headers.get('lambda-runtime-client-context') ?? ''), {
      custom: { user: 'zoë' },
    });
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), { hello: 'world', accent: 'é' });

    const accepted = await post('/invocation/req-1/response', '{"ok":true}');
    assert.equal(accepted.status, 202);
    assert.deepEqual(await accepted.json(), { status: 'OK' });
    assert.deepEqual(await result, { kind: 'response', payload: '{"ok":true}' });
  });

  it('gives an invocation made before the first next to that next, without a client context header', async () => {
    const result = api.invoke(input('req-early'));
    const res = await fetch(url('/invocation/next'));
    assert.equal(res.headers.get('lambda-runtime-aws-request-id'), 'req-early');
    assert.equal(res.headers.has('lambda-runtime-client-context'), false);
    await res.text();
    await post('/invocation/req-early/response', '"done"');
    assert.deepEqual(await result, { kind: 'response', payload: '"done"' });
  });

  it('hands on an invocation error as Lambda error body, keeping the keys the runtime sent', async () => {
    const result = api.invoke(input('req-2'));
    await (await fetch(url('/invocation/next'))).text();
    const body = {
      errorMessage: 'order has no id',
      errorType: 'ValueError',
      requestId: 'req-2',
      stackTrace: ['  File "handler.py", line 3, in main\n'],
    };
    const res = await post('/invocation/req-2/error', JSON.stringify(body), {
      'Lambda-Runtime-Function-Error-Type': 'Unhandled',
    });
    assert.equal(res.status, 202);
    const answer = await result;
    assert.deepEqual(answer, { kind: 'error', error: body });
    assert.equal(JSON.stringify(answer.kind === 'error' && answer.error), JSON.stringify(body));
  });

  it('takes the error type from the header and the message from the body when the body is not an error document', async () => {
    const result = api.invoke(input('req-3'));
    await (await fetch(url('/invocation/next'))).text();
    await post('/invocation/req-3/error', 'segfault in native code', {
      'Lambda-Runtime-Function-Error-Type': 'Runtime.NativeCrash',
    });
    assert.deepEqual(await result, {
      kind: 'error',
      error: { errorType: 'Runtime.NativeCrash', errorMessage: 'segfault in native code' },
    });
  });

  it('answers 400 InvalidRequestID for an id that is not the current invocation', async () => {
    const early = await post('/invocation/nobody/response', '{}');
    assert.equal(early.status, 400);
    assert.deepEqual(await early.json(), {
      errorMessage: 'Invalid request ID',
      errorType: 'InvalidRequestID',
    });

    const result = api.invoke(input('req-4'));
    await (await fetch(url('/invocation/next'))).text();
    const wrong = await post('/invocation/someone-else/error', '{}');
    assert.equal(wrong.status, 400);
    await post('/invocation/req-4/response', '1');
    assert.deepEqual(await result, { kind: 'response', payload: '1' });
  });

  it('answers 403 InvalidStateTransition to a second answer for the same invocation', async () => {
    const result = api.invoke(input('req-5'));
    await (await fetch(url('/invocation/next'))).text();
    assert.equal((await post('/invocation/req-5/response', '1')).status, 202);
    const again = await post('/invocation/req-5/response', '2');
    assert.equal(again.status, 403);
    assert.deepEqual(await again.json(), {
      errorMessage:
        'State transition from RuntimeResponseSentState to InvocationResponse failed for runtime. Error: State transition is not allowed',
      errorType: 'InvalidStateTransition',
    });
    assert.deepEqual(await result, { kind: 'response', payload: '1' });
  });

  it('fails the init on init/error: every pending and later invocation gets that error', async () => {
    const pending = api.invoke(input('req-6'));
    const error = {
      errorMessage: "Unable to import module 'handler': No module named 'x'",
      errorType: 'Runtime.ImportModuleError',
      requestId: '',
      stackTrace: [],
    };
    const res = await post('/init/error', JSON.stringify(error), {
      'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError',
    });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { status: 'OK' });
    assert.deepEqual(await pending, { kind: 'init-error', error });
    assert.deepEqual(await api.invoke(input('req-7')), { kind: 'init-error', error });
    assert.deepEqual(api.initError, error);

    const next = await fetch(url('/invocation/next'));
    assert.equal(next.status, 403);
    assert.deepEqual(await next.json(), {
      errorMessage:
        'State transition from InitError to Ready failed for runtime. Error: State transition is not allowed',
      errorType: 'InvalidStateTransition',
    });
    assert.equal(readyCalls, 0);
  });

  it('refuses init/error once the runtime has asked for its first invocation', async () => {
    const parked = fetch(url('/invocation/next')).catch(() => undefined);
    await firstNextTaken;
    const res = await post('/init/error', '{"errorMessage":"late","errorType":"Late"}');
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), {
      errorMessage:
        'State transition from Ready to InitError failed for runtime. Error: State transition is not allowed',
      errorType: 'InvalidStateTransition',
    });
    assert.equal(api.initError, undefined);
    await api.close();
    await parked;
  });

  it('answers 413 to a response over 6 MiB + 100 bytes and gives the caller Function.ResponseSizeTooLarge', async () => {
    const result = api.invoke(input('req-8'));
    await (await fetch(url('/invocation/next'))).text();
    const size = MAX_RESPONSE_BYTES + 1;
    const res = await post('/invocation/req-8/response', 'x'.repeat(size));
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), {
      errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'RequestEntityTooLarge',
    });
    assert.deepEqual(await result, {
      kind: 'error',
      error: {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (6291556 bytes).`,
      },
    });
  });

  it('answers 404 outside the API and 405 to a wrong method', async () => {
    assert.equal((await fetch(`http://${api.address}/2018-06-01/runtime/nope`)).status, 404);
    assert.equal((await fetch(`http://${api.address}/runtime/invocation/next`)).status, 404);
    assert.equal((await post('/invocation/next', '')).status, 405);
    assert.equal((await fetch(url('/init/error'))).status, 405);
  });

  it('drops a parked next when it closes', async () => {
    const parked = fetch(url('/invocation/next')).then(
      () => 'answered',
      () => 'dropped',
    );
    await firstNextTaken;
    await api.close();
    assert.equal(await parked, 'dropped');
  });
});
