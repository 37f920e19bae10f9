import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import WebSocket from 'ws';
import { fixture } from '../helpers/cli';
import { startEmulator, type RunningEmulator } from '../helpers/emulate';

describe('sls emulate: the WebSocket front', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator(fixture('websocket'));
  });
  after(async () => assert.equal(await emulator?.stop(), 0));

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
