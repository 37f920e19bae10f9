import { originText } from '../../../src/classify/origin';
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../../../src/errors';
import { NO_STATUS_REASON } from '../../../src/push/websocket/events';
import { WebsocketFront } from '../../../src/push/websocket/websocket-server';
import { ManualClock } from '../../helpers/manual-clock';
import { modelOf } from '../../helpers/service';
import { CannedInvoker, close, open, sleep, THROTTLE, waitFor } from './helpers';

const service = modelOf({
  functions: {
    connect: { handler: 'h.connect', events: [{ websocket: { route: '$connect' } }] },
    disconnect: { handler: 'h.disconnect', events: [{ websocket: '$disconnect' }] },
    fallback: {
      handler: 'h.fallback',
      events: [{ websocket: { route: '$default', routeResponseSelectionExpression: '$default' } }],
    },
    echo: {
      handler: 'h.echo',
      events: [{ websocket: { route: 'echo', routeResponseSelectionExpression: '$default' } }],
    },
    quiet: { handler: 'h.quiet', events: [{ websocket: 'quiet' }] },
    fails: {
      handler: 'h.fails',
      events: [{ websocket: { route: 'fails', routeResponseSelectionExpression: '$default' } }],
    },
    busy: { handler: 'h.busy', events: [{ websocket: 'busy' }] },
    slow: { handler: 'h.slow', events: [{ websocket: 'slow' }] },
  },
});

/** The `slow` function answers only once the test lets it (after the front has timed it out). */
let answerSlow = () => {};

const invoker = new CannedInvoker({
  connect: (event) => {
    const query = event.queryStringParameters ?? {};
    if (query.fail) throw new Error('no entry');
    if (query.throttle) throw THROTTLE;
    if (query.status) return { statusCode: Number(query.status) };
    if (query.protocol) return { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': query.protocol } };
    return { statusCode: 200 };
  },
  disconnect: () => ({ statusCode: 200 }),
  fallback: (event) => ({ statusCode: 200, body: `default:${event.body}` }),
  echo: (event) => ({ statusCode: 200, body: JSON.stringify(event) }),
  quiet: () => ({ statusCode: 200, body: 'never sent' }),
  fails: () => {
    throw new Error('boom');
  },
  busy: () => {
    throw THROTTLE;
  },
  slow: () =>
    new Promise((resolve) => {
      answerSlow = () => resolve({ statusCode: 200 });
    }),
});

const ID = /^[0-9a-f]{15}=$/;

describe('push/websocket WebsocketFront over real WebSockets', () => {
  const clock = new ManualClock();
  let front: WebsocketFront;
  let url: string;

  before(async () => {
    front = new WebsocketFront(service, invoker, { host: '127.0.0.1', port: 0, timeoutMs: 60, clock });
    ({ url } = await front.start());
  });

  after(() => front.stop());

  it('starts on ws://host:port and lists the routes the service defines', () => {
    assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(front.routes(), [
      '$connect',
      '$disconnect',
      '$default',
      'echo',
      'quiet',
      'fails',
      'busy',
      'slow',
    ]);
  });

  it('refuses a handshake whose Host names another machine (DNS rebinding), before $connect', async () => {
    const before = invoker.of('$connect').length;
    await assert.rejects(open(`${url}/dev`, [], { headers: { Host: 'evil.example' } }), /403/);
    assert.equal(invoker.of('$connect').length, before);
  });

  it('lets a client in when $connect answers 200, with the CONNECT event API Gateway sends', async () => {
    const { socket } = await open(`${url}/dev?name=me&tag=a&tag=b`, [], {
      headers: { 'User-Agent': 'test-agent' },
    });
    const [call] = invoker.of('$connect').slice(-1);
    assert.equal(call.name, 'svc-dev-connect');
    assert.equal(call.request.type, 'RequestResponse');
    assert.equal(originText(call.request.origin), 'websocket $connect');
    const { event } = call;
    const context = event.requestContext;
    assert.equal(context.routeKey, '$connect');
    assert.equal(context.eventType, 'CONNECT');
    assert.equal(context.messageDirection, 'IN');
    assert.equal(context.stage, 'dev');
    assert.match(context.apiId, /^[a-z0-9]{10}$/);
    assert.equal(context.domainName, `${context.apiId}.execute-api.us-east-1.amazonaws.com`);
    assert.match(context.connectionId, ID);
    assert.match(context.requestId, ID);
    assert.equal(context.extendedRequestId, context.requestId);
    assert.match(context.requestTime, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    assert.equal(typeof context.requestTimeEpoch, 'number');
    assert.equal(context.connectedAt, context.requestTimeEpoch);
    assert.deepEqual(context.identity, { sourceIp: '127.0.0.1', userAgent: 'test-agent' });
    assert.equal('messageId' in context, false);
    assert.deepEqual(event.queryStringParameters, { name: 'me', tag: 'b' });
    assert.deepEqual(event.multiValueQueryStringParameters, { name: ['me'], tag: ['a', 'b'] });
    assert.equal(event.headers?.['Sec-WebSocket-Version'], '13');
    assert.deepEqual(event.multiValueHeaders?.['User-Agent'], ['test-agent']);
    assert.ok(event.headers?.Host);
    assert.equal(event.headers?.Connection, undefined);
    assert.equal(event.headers?.Upgrade, undefined);
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.body, undefined);
    await close(socket);
  });

  it('adds the headers API Gateway adds to the upgrade request, and shares its trace root with the invocation', async () => {
    const { socket } = await open(`${url}/dev`, [], { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    const [call] = invoker.of('$connect').slice(-1);
    const { headers, multiValueHeaders } = call.event;
    assert.equal(headers?.['X-Forwarded-For'], '203.0.113.7, 127.0.0.1');
    assert.equal(headers?.['X-Forwarded-Port'], new URL(url).port);
    assert.equal(headers?.['X-Forwarded-Proto'], 'http');
    assert.match(headers?.['X-Amzn-Trace-Id'] ?? '', /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.deepEqual(multiValueHeaders?.['X-Forwarded-For'], ['203.0.113.7, 127.0.0.1']);
    assert.equal(call.request.traceHeader, headers?.['X-Amzn-Trace-Id']);
    await close(socket);
  });

  it('refuses the upgrade with the statusCode $connect returns', async () => {
    await assert.rejects(open(`${url}?status=401`), /Unexpected server response: 401/);
    await assert.rejects(open(`${url}?status=302`), /Unexpected server response: 302/);
  });

  it('refuses the upgrade with 502 when $connect fails and 500 when it is throttled', async () => {
    await assert.rejects(open(`${url}?fail=1`), /Unexpected server response: 502/);
    await assert.rejects(open(`${url}?throttle=1`), /Unexpected server response: 500/);
  });

  it('agrees on the subprotocol $connect returns, and on none when it returns none', async () => {
    const { socket } = await open(`${url}?protocol=chat`, ['chat', 'other']);
    assert.equal(socket.protocol, 'chat');
    await close(socket);
    await assert.rejects(open(url, ['chat']), /Server sent no subprotocol/);
  });

  it('sends a message to the route its action selects, with the MESSAGE event', async () => {
    const { socket, next } = await open(url);
    const connectionId = invoker.of('$connect').at(-1)?.event.requestContext.connectionId;
    const body = JSON.stringify({ action: 'echo', text: 'hi' });
    socket.send(body);
    const event = JSON.parse(await next());
    assert.equal(event.body, body);
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.headers, undefined);
    const context = event.requestContext;
    assert.equal(context.routeKey, 'echo');
    assert.equal(context.eventType, 'MESSAGE');
    assert.equal(context.messageDirection, 'IN');
    assert.equal(context.connectionId, connectionId);
    assert.match(context.messageId, ID);
    assert.match(context.requestId, ID);
    assert.notEqual(context.messageId, context.requestId);
    assert.equal(context.extendedRequestId, context.requestId);
    assert.equal(context.identity.sourceIp, '127.0.0.1');
    const call = invoker.of('echo').at(-1);
    assert.equal(call?.name, 'svc-dev-echo');
    assert.equal(call && originText(call.request.origin), 'websocket echo');
    assert.equal(call?.request.type, 'RequestResponse');
    await close(socket);
  });

  it('sends to $default a message that is not JSON or whose action names no route', async () => {
    const { socket, next } = await open(url);
    socket.send('plain text');
    assert.equal(await next(), 'default:plain text');
    socket.send('{"action":"nowhere"}');
    assert.equal(await next(), 'default:{"action":"nowhere"}');
    socket.send('{"action":"$connect"}');
    assert.equal(await next(), 'default:{"action":"$connect"}');
    assert.equal(invoker.of('$default').at(-1)?.event.requestContext.routeKey, '$default');
    await close(socket);
  });

  it('sends nothing back from a route without routeResponseSelectionExpression', async () => {
    const { socket, next } = await open(url);
    socket.send('{"action":"quiet"}');
    await waitFor(() => invoker.of('quiet').length === 1, 'the quiet route');
    await sleep(20);
    socket.send('{"action":"echo"}');
    assert.equal(JSON.parse(await next()).requestContext.routeKey, 'echo');
    await close(socket);
  });

  it('sends API Gateway’s error frame when the function fails or is throttled, and keeps the connection', async () => {
    const { socket, next } = await open(url);
    const connectionId = invoker.of('$connect').at(-1)?.event.requestContext.connectionId as string;
    socket.send('{"action":"fails"}');
    const frame = await next();
    const requestId = invoker.of('fails').at(-1)?.event.requestContext.requestId;
    assert.equal(
      frame,
      `{"message": "Internal server error", "connectionId":"${connectionId}", "requestId":"${requestId}"}`,
    );
    socket.send('{"action":"busy"}');
    assert.match(await next(), /^\{"message": "Internal server error", "connectionId":"[0-9a-f]{15}=", /);
    socket.send('{"action":"echo"}');
    assert.equal(JSON.parse(await next()).requestContext.routeKey, 'echo');
    await close(socket);
  });

  it('sends the timeout frame when the function outlasts the integration timeout', async () => {
    const { socket, next } = await open(url);
    const before = invoker.of('slow').length;
    socket.send('{"action":"slow"}');
    await waitFor(() => invoker.of('slow').length === before + 1, 'the slow route');
    clock.advance(60);
    assert.match(
      await next(),
      /^\{"message": "Endpoint request timed out", "connectionId":"[0-9a-f]{15}=", /,
    );
    answerSlow();
    await close(socket);
  });

  it('runs $disconnect with the close code and reason once the client closes', async () => {
    const { socket } = await open(url);
    const connectionId = invoker.of('$connect').at(-1)?.event.requestContext.connectionId;
    const before = invoker.of('$disconnect').length;
    await close(socket, 4000, 'bye');
    await waitFor(() => invoker.of('$disconnect').length === before + 1, '$disconnect');
    const call = invoker.of('$disconnect').at(-1);
    assert.equal(call?.name, 'svc-dev-disconnect');
    assert.equal(call && originText(call.request.origin), 'websocket $disconnect');
    const event = call?.event;
    const context = event?.requestContext;
    assert.equal(context?.eventType, 'DISCONNECT');
    assert.equal(context?.connectionId, connectionId);
    assert.equal(context?.disconnectStatusCode, 4000);
    assert.equal(context?.disconnectReason, 'bye');
    assert.equal('messageId' in (context ?? {}), false);
    assert.deepEqual(event?.headers, {
      Host: context?.domainName,
      'x-api-key': '',
      'X-Forwarded-For': '',
      'x-restapi': '',
    });
  });

  it('reports a close frame without a status as 1005, in API Gateway’s words', async () => {
    const { socket } = await open(url);
    const before = invoker.of('$disconnect').length;
    await close(socket);
    await waitFor(() => invoker.of('$disconnect').length === before + 1, '$disconnect');
    const context = invoker.of('$disconnect').at(-1)?.event.requestContext;
    assert.equal(context?.disconnectStatusCode, 1005);
    assert.equal(context?.disconnectReason, NO_STATUS_REASON);
  });

  it('does not run $disconnect for a client $connect refused', async () => {
    const before = invoker.of('$disconnect').length;
    await assert.rejects(open(`${url}?status=403`), /403/);
    await sleep(20);
    assert.equal(invoker.of('$disconnect').length, before);
  });

  it('closes the connection with 1003 on a binary frame', async () => {
    const { socket } = await open(url);
    const closed = once(socket, 'close') as Promise<[number]>;
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal((await closed)[0], 1003);
  });

  it('closes the connection on a message over 128 KB', async () => {
    const { socket } = await open(url);
    const closed = once(socket, 'close') as Promise<[number]>;
    socket.send(JSON.stringify({ action: 'echo', data: 'x'.repeat(128 * 1024) }));
    assert.equal((await closed)[0], 1009);
  });

  it('refuses a port in use with EMULATE_PORT_IN_USE naming the option', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as AddressInfo;
    try {
      const second = new WebsocketFront(service, invoker, { host: '127.0.0.1', port });
      await assert.rejects(second.start(), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.code, 'EMULATE_PORT_IN_USE');
        assert.match(
          error.message,
          new RegExp(`Port ${port} on 127.0.0.1 is already in use.*--websocket-port`),
        );
        return true;
      });
      await second.stop();
    } finally {
      blocker.close();
    }
  });
});

describe('push/websocket WebsocketFront without $connect or $default', () => {
  const bare = modelOf({
    provider: { websocketsApiRouteSelectionExpression: '$request.body.route.name' },
    functions: {
      echo: {
        handler: 'h.echo',
        events: [{ websocket: { route: 'echo', routeResponseSelectionExpression: '$default' } }],
      },
    },
  });
  const calls = new CannedInvoker({ echo: (event) => ({ statusCode: 200, body: event.body }) });
  const clock = new ManualClock();
  let front: WebsocketFront;
  let url: string;

  before(async () => {
    front = new WebsocketFront(bare, calls, { host: '127.0.0.1', port: 0, idleTimeoutMs: 150, clock });
    ({ url } = await front.start());
  });

  after(() => front.stop());

  it('lets every client in without invoking anything', async () => {
    const { socket } = await open(url);
    assert.equal(calls.calls.length, 0);
    await close(socket);
  });

  it('selects the route with the provider’s selection expression', async () => {
    const { socket, next } = await open(url);
    socket.send('{"route":{"name":"echo"}}');
    assert.equal(await next(), '{"route":{"name":"echo"}}');
    await close(socket);
  });

  it('sends the Forbidden frame for a message no route takes', async () => {
    const { socket, next } = await open(url);
    socket.send('{"action":"echo"}');
    assert.match(
      await next(),
      /^\{"message": "Forbidden", "connectionId":"[0-9a-f]{15}=", "requestId":"[0-9a-f]{15}="\}$/,
    );
    socket.send('not json');
    assert.match(await next(), /^\{"message": "Forbidden", /);
    await close(socket);
  });

  it('closes an idle connection with 1001 Going away, and not one that keeps talking', async () => {
    const idle = await open(url);
    const busy = await open(url);
    const closed = once(idle.socket, 'close') as Promise<[number, Buffer]>;
    const message = '{"route":{"name":"echo"}}';
    for (let i = 0; i < 4; i++) {
      clock.advance(50);
      busy.socket.send(message);
      // Its echo comes back once the front has heard it, and so has re-armed its idle timer.
      assert.equal(await busy.next(), message);
    }
    const [code, reason] = await closed;
    assert.equal(code, 1001);
    assert.equal(String(reason), 'Going away');
    assert.equal(busy.socket.readyState, busy.socket.OPEN);
    await close(busy.socket);
  });

  it('closes its connections and its port on stop', async () => {
    const other = new WebsocketFront(bare, calls, { host: '127.0.0.1', port: 0 });
    const { url: otherUrl } = await other.start();
    const { socket } = await open(otherUrl);
    const closed = once(socket, 'close');
    await other.stop();
    await closed;
    await assert.rejects(open(otherUrl), /ECONNREFUSED/);
  });
});
