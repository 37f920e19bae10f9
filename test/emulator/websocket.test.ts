import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { fixture } from '../helpers/cli';
import { emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';

// The logged event is read loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A `$connect` event captured from AWS (test/fixtures/golden-events/README.md). */
const GOLDEN_CONNECT: Json = JSON.parse(
  readFileSync(
    path.join(__dirname, '..', 'fixtures', 'golden-events', 'apigw-websocket-connect.json'),
    'utf8',
  ),
);

/** Every key path of an event with its value's type (`headers.*` left out: they are the client's). */
function shape(value: unknown, at = '', out = new Map<string, string>()): Map<string, string> {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (at !== '') out.set(at, type);
  if (type === 'object' && !/^(headers|multiValueHeaders)$/.test(at)) {
    for (const [key, item] of Object.entries(value as object)) shape(item, at ? `${at}.${key}` : key, out);
  }
  return out;
}

/** The key paths whose types differ between ours and AWS's (as test/emulator/api-gateway.test.ts). */
function shapeDifferences(ours: unknown, aws: unknown): Record<string, string> {
  const mine = shape(ours);
  const theirs = shape(aws);
  const found: Record<string, string> = {};
  for (const key of new Set([...mine.keys(), ...theirs.keys()])) {
    if (mine.get(key) !== theirs.get(key)) found[key] = `ours ${mine.get(key)}, AWS ${theirs.get(key)}`;
  }
  return found;
}

describe('sls emulate: the WebSocket front', function () {
  this.timeout(60_000);
  let emulator: EmulatorUnderTest;
  before(async () => {
    emulator = await emulateInProcess(fixture('websocket'));
  });
  after(async () => await emulator?.stop());

  const connect = async (query: string) => {
    const socket = new WebSocket(`${emulator.websocket}${query}`);
    const frames: string[] = [];
    socket.on('message', (data) => frames.push(data.toString()));
    const nextFrame = async () => {
      while (frames.length === 0) await new Promise((r) => setTimeout(r, 10));
      return frames.shift();
    };
    return { socket, nextFrame };
  };

  it('refuses a connection that $connect answers with 401', async () => {
    const socket = new WebSocket(`${emulator.websocket}?token=wrong`);
    socket.on('error', () => undefined); // closing a refused upgrade reports an error; it is expected
    const [, response] = (await once(socket, 'unexpected-response')) as [unknown, { statusCode: number }];
    assert.equal(response.statusCode, 401);
    socket.terminate();
  });

  it("gives $connect the event AWS sends: the captured keys and types, the upgrade's headers and the gateway's", async () => {
    const run = Math.random().toString(36).slice(2);
    const socket = new WebSocket(emulator.websocket ?? '', { headers: { 'x-golden-run': run } });
    socket.on('error', () => undefined); // no token: $connect answers 401, after the handler has seen the event
    await once(socket, 'unexpected-response');
    socket.terminate();
    const logged = new RegExp(`\\$connect event: (\\{.*"x-golden-run":"${run}".*\\})$`, 'm');
    await emulator.waitForOutput(logged);
    const event: Json = JSON.parse(logged.exec(emulator.output())?.[1] ?? '');
    delete event.headers['x-golden-run'];
    delete event.multiValueHeaders['x-golden-run'];
    assert.deepEqual(shapeDifferences(event, GOLDEN_CONNECT), {});
    // The same header names in the same case: Connection and Upgrade gone, X-Forwarded-*, X-Amzn-Trace-Id added.
    assert.deepEqual(Object.keys(event.headers).sort(), Object.keys(GOLDEN_CONNECT.headers).sort());
    assert.deepEqual(Object.keys(event.multiValueHeaders).sort(), Object.keys(GOLDEN_CONNECT.headers).sort());
    assert.equal(event.headers['X-Forwarded-For'], event.requestContext.identity.sourceIp);
    assert.equal(event.requestContext.requestId, event.requestContext.extendedRequestId);
    assert.equal(
      event.requestContext.domainName,
      `${event.requestContext.apiId}.execute-api.us-east-1.amazonaws.com`,
    );
  });

  it('routes by $request.body.action and sends the route response back', async () => {
    const { socket, nextFrame } = await connect('?token=let-me-in');
    await once(socket, 'open');
    socket.send(JSON.stringify({ action: 'echo', text: 'hi' }));
    assert.equal(await nextFrame(), 'echo: hi');
    socket.close();
  });

  it('sends other messages to $default, whose handler replies through @connections', async () => {
    const { socket, nextFrame } = await connect('?token=let-me-in');
    await once(socket, 'open');
    socket.send('plain text');
    assert.equal(await nextFrame(), 'fallback got: plain text');
    socket.close();
    await emulator.waitForOutput(/λ fallback ← websocket \$default \(push\/sync\) ok/);
  });
});
