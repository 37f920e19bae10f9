import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { AwsEndpoint } from '../../../src/aws/endpoint';
import { WebsocketFront } from '../../../src/push/websocket/websocket-server';
import { modelOf } from '../../helpers/service';
import { CannedInvoker, close, open, waitFor } from './helpers';

/** The path `@aws-sdk/client-apigatewaymanagementapi` sends: the endpoint's path, then the id URI-encoded. */
const pathOf = (connectionId: string, stage = '') =>
  `${stage}/@connections/${encodeURIComponent(connectionId)}`;

const service = modelOf({
  functions: {
    connect: { handler: 'h.connect', events: [{ websocket: '$connect' }] },
    disconnect: { handler: 'h.disconnect', events: [{ websocket: '$disconnect' }] },
    fallback: { handler: 'h.fallback', events: [{ websocket: '$default' }] },
  },
});

describe('push/websocket the @connections Management API over real HTTP', () => {
  let front: WebsocketFront;
  let base: string;
  let url: string;
  const early: number[] = [];

  const invoker = new CannedInvoker({
    connect: async (event) => {
      if (event.queryStringParameters?.probe) {
        const { connectionId } = event.requestContext;
        const res = await fetch(base + pathOf(connectionId), { method: 'POST', body: 'too early' });
        early.push(res.status);
      }
      return { statusCode: 200 };
    },
    disconnect: () => ({ statusCode: 200 }),
    fallback: () => ({ statusCode: 200 }),
  });

  /** An open client and its connection id, as $connect saw it. */
  async function client(query = '') {
    const opened = await open(url + query, [], { headers: { 'User-Agent': 'agent/1.0' } });
    const connectionId = invoker.of('$connect').at(-1)?.event.requestContext.connectionId as string;
    return { ...opened, connectionId };
  }

  before(async () => {
    front = new WebsocketFront(service, invoker, { host: '127.0.0.1', port: 0 });
    ({ url } = await front.start());
    base = url.replace(/^ws:/, 'http:');
  });

  after(() => front.stop());

  it('sends a POST body to the client as one frame, with or without the stage in the path', async () => {
    const { socket, next, connectionId } = await client();
    const headers = { 'content-type': 'application/octet-stream' };
    const res = await fetch(base + pathOf(connectionId), { method: 'POST', headers, body: '{"hello":1}' });
    assert.equal(res.status, 200);
    assert.equal(await next(), '{"hello":1}');
    const staged = await fetch(base + pathOf(connectionId, '/dev'), { method: 'POST', headers, body: 'two' });
    assert.equal(staged.status, 200);
    assert.equal(await next(), 'two');
    await close(socket);
  });

  it('describes a connection on GET: when it connected, who it is, when it was last active', async () => {
    const { socket, connectionId } = await client();
    const connectedAt = invoker.of('$connect').at(-1)?.event.requestContext.connectedAt as number;
    const first = await fetch(base + pathOf(connectionId));
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), 'application/json');
    const described = (await first.json()) as Record<string, unknown>;
    assert.deepEqual(described, {
      connectedAt: new Date(connectedAt).toISOString(),
      identity: { sourceIp: '127.0.0.1', userAgent: 'agent/1.0' },
      lastActiveAt: new Date(connectedAt).toISOString(),
    });
    const calls = invoker.of('$default').length;
    socket.send('ping');
    await waitFor(() => invoker.of('$default').length === calls + 1, 'the message');
    const later = (await (await fetch(base + pathOf(connectionId))).json()) as { lastActiveAt: string };
    assert.ok(Date.parse(later.lastActiveAt) >= connectedAt);
    assert.match(later.lastActiveAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await close(socket);
  });

  it('closes the connection on DELETE, runs $disconnect, then answers 410 GoneException', async () => {
    const { socket, connectionId } = await client();
    const disconnects = invoker.of('$disconnect').length;
    const closed = once(socket, 'close');
    const res = await fetch(base + pathOf(connectionId, '/dev'), { method: 'DELETE' });
    assert.equal(res.status, 204);
    await closed;
    await waitFor(() => invoker.of('$disconnect').length === disconnects + 1, '$disconnect');
    assert.equal(invoker.of('$disconnect').at(-1)?.event.requestContext.connectionId, connectionId);
    const gone = await fetch(base + pathOf(connectionId), { method: 'POST', body: 'late' });
    assert.equal(gone.status, 410);
    assert.equal(gone.headers.get('x-amzn-errortype'), 'GoneException');
    assert.equal(((await gone.json()) as { __type: string }).__type, 'GoneException');
  });

  it('answers 410 GoneException for a connection that never existed, whatever the method', async () => {
    for (const method of ['POST', 'GET', 'DELETE']) {
      const res = await fetch(base + pathOf('NoSuchConnId='), {
        method,
        ...(method === 'POST' ? { body: 'x' } : {}),
      });
      assert.equal(res.status, 410, method);
      assert.equal(res.headers.get('x-amzn-errortype'), 'GoneException');
      await res.arrayBuffer();
    }
  });

  it('answers 410 to a POST made during $connect: the connection is not established yet', async () => {
    const { socket } = await client('?probe=1');
    assert.deepEqual(early, [410]);
    await close(socket);
  });

  it('refuses a message over 128 KB with 413 PayloadTooLargeException', async () => {
    const { socket, connectionId } = await client();
    const res = await fetch(base + pathOf(connectionId), {
      method: 'POST',
      body: 'x'.repeat(128 * 1024 + 1),
    });
    assert.equal(res.status, 413);
    assert.equal(res.headers.get('x-amzn-errortype'), 'PayloadTooLargeException');
    await res.arrayBuffer();
    await close(socket);
  });

  it('answers 403 to anything that is not the Management API', async () => {
    const res = await fetch(`${base}/dev`);
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), { message: 'Forbidden' });
    const put = await fetch(base + pathOf('abc='), { method: 'PUT', body: 'x' });
    assert.equal(put.status, 403);
    await put.arrayBuffer();
  });

  it('is served by the emulator’s AWS endpoint too, for clients that find it through AWS_ENDPOINT_URL', async () => {
    const aws = new AwsEndpoint([front.connectionsApi]);
    const awsUrl = await aws.start('127.0.0.1', 0);
    try {
      const { socket, next, connectionId } = await client();
      const res = await fetch(awsUrl + pathOf(connectionId), { method: 'POST', body: 'via 4566' });
      assert.equal(res.status, 200);
      assert.equal(await next(), 'via 4566');
      await close(socket);
    } finally {
      await aws.stop();
    }
  });
});
