import { originText } from '../../../src/classify/origin';
import { strict as assert } from 'node:assert';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { once } from 'node:events';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../../../src/errors';
import { throttled } from '../../../src/lambda/errors';
import type { InvokeOutcome, InvokeRequest, Invoker } from '../../../src/lambda/types';
import { HttpFront } from '../../../src/push/http/http-server';
import { ManualClock } from '../../helpers/manual-clock';
import { modelOf } from '../../helpers/service';

type Answer = (event: Record<string, unknown>, request: InvokeRequest) => Promise<unknown> | unknown;

/** An Invoker whose functions are plain functions of the event, by deployed name; errors become `Unhandled`. */
class CannedInvoker implements Invoker {
  readonly calls: Array<{ name: string; request: InvokeRequest }> = [];
  readonly finished: string[] = [];

  constructor(private readonly answers: Record<string, Answer>) {}

  async invoke(name: string, request: InvokeRequest): Promise<InvokeOutcome> {
    this.calls.push({ name, request });
    const key = name.replace(/^svc-dev-/, '');
    if (key === 'busy') throw throttled(name);
    const outcome = (payload: string, failed = false): InvokeOutcome => ({
      requestId: 'lambda-request-id',
      statusCode: request.type === 'Event' ? 202 : 200,
      payload,
      durationMs: 1,
      ...(failed ? { functionError: 'Unhandled' as const } : {}),
    });
    if (request.type === 'Event') return outcome('');
    try {
      const value = await this.answers[key](JSON.parse(request.payload) as Record<string, unknown>, request);
      this.finished.push(key);
      return outcome(JSON.stringify(value));
    } catch (error) {
      const errorMessage = error instanceof Error ? error.message : String(error);
      return outcome(JSON.stringify({ errorType: 'Error', errorMessage, trace: [] }), true);
    }
  }
}

/** What the slow function waits for: it answers only once the test lets it. */
const slowRelease = (() => {
  let release: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release: () => release() };
})();
const clock = new ManualClock();
const settle = () => new Promise((resolve) => setImmediate(resolve));
const echo: Answer = (event) => ({
  statusCode: 200,
  headers: { 'X-Fn': 'echo' },
  body: JSON.stringify(event),
});
const listener = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/1/2';

const service = modelOf({
  functions: {
    echo: { handler: 'h.echo', events: [{ http: 'GET hello/{name}' }, { httpApi: 'GET /v2/{id}' }] },
    fails: { handler: 'h.fails', events: [{ http: 'GET fails' }, { httpApi: 'GET /fails' }] },
    slow: { handler: 'h.slow', events: [{ http: 'GET slow' }, { httpApi: 'GET /slow' }] },
    busy: {
      handler: 'h.busy',
      url: true,
      events: [
        { http: 'GET busy' },
        { httpApi: 'GET /busy' },
        { alb: { listenerArn: listener, priority: 1, conditions: { path: '/alb/busy' } } },
      ],
    },
    plain: { handler: 'h.plain', events: [{ httpApi: 'GET /plain' }] },
    badHeader: { handler: 'h.badHeader', events: [{ httpApi: 'GET /bad-header' }] },
    v1: { handler: 'h.v1', httpApi: { payload: '1.0' }, events: [{ httpApi: 'POST /v1' }] },
    lambda: {
      handler: 'h.lambda',
      events: [{ http: { method: 'post', path: 'lambda', integration: 'lambda' } }],
    },
    queued: { handler: 'h.queued', events: [{ http: { method: 'post', path: 'queued', async: true } }] },
    upload: { handler: 'h.upload', events: [{ http: { method: 'post', path: 'upload', cors: true } }] },
    alb: {
      handler: 'h.alb',
      events: [{ alb: { listenerArn: listener, priority: 2, conditions: { path: '/alb*' } } }],
    },
    web: { handler: 'h.web', url: true },
  },
});

const invoker = new CannedInvoker({
  echo,
  fails: () => {
    throw new Error('boom');
  },
  slow: async () => {
    await slowRelease.promise;
    return { statusCode: 200, body: 'late' };
  },
  plain: () => ({ hello: 'world' }),
  badHeader: () => ({ statusCode: 200, headers: { 'x-split': 'a\r\nb' }, body: 'x' }),
  v1: (event) => ({ statusCode: 200, body: JSON.stringify({ version: event.version, body: event.body }) }),
  lambda: (event) => {
    const body = event.body as { fail?: string };
    if (body.fail) throw new Error(body.fail);
    return { got: event.body, requestPath: event.requestPath };
  },
  upload: (event) => ({
    statusCode: 200,
    body: event.body as string,
    isBase64Encoded: event.isBase64Encoded,
  }),
  alb: (event) => {
    if (event.path === '/alb/fail') throw new Error('no');
    return {
      statusCode: 201,
      statusDescription: '201 Created',
      headers: { 'x-path': event.path },
      body: 'alb',
    };
  },
  web: (event) => ({
    statusCode: 200,
    cookies: ['a=1', 'b=2'],
    body: JSON.stringify({ rawPath: event.rawPath, cookies: event.cookies }),
  }),
});

describe('push/http HttpFront over real HTTP', () => {
  let front: HttpFront;
  let base: string;

  before(async () => {
    front = new HttpFront(service, invoker, {
      host: '127.0.0.1',
      port: 0,
      binaryMediaTypes: ['image/png'],
      // provider.httpApi.cors: the ServiceModel does not carry it, the front takes it as an option.
      httpApiCors: true,
      restTimeoutMs: 60,
      httpApiTimeoutMs: 60,
      clock,
    });
    ({ url: base } = await front.start());
  });

  after(() => front.stop());

  it('answers no request whose Host names another machine (DNS rebinding), and invokes nothing', async () => {
    const before = invoker.calls.length;
    const refused = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      get(`${base}/dev/hello/world`, { headers: { host: 'evil.example:3000' } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      }).on('error', reject);
    });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /Host is not allowed/);
    assert.equal(invoker.calls.length, before);
    assert.equal((await fetch(`${base.replace('127.0.0.1', 'localhost')}/dev/hello/world`)).status, 200);
  });

  it('serves a REST API route under the stage with the proxy event', async () => {
    const res = await fetch(`${base}/dev/hello/world?x=1&x=2`, { headers: { 'X-Test': 'yes' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-fn'), 'echo');
    assert.ok(res.headers.get('x-amzn-requestid'));
    const event = (await res.json()) as APIGatewayProxyEvent;
    assert.equal(event.resource, '/hello/{name}');
    assert.equal(event.path, '/hello/world');
    assert.deepEqual(event.pathParameters, { name: 'world' });
    assert.deepEqual(event.multiValueQueryStringParameters, { x: ['1', '2'] });
    assert.equal(event.headers['X-Test'], 'yes');
    assert.equal(event.requestContext.stage, 'dev');
    assert.equal(event.requestContext.path, '/dev/hello/world');
    assert.equal(invoker.calls.at(-1)?.name, 'svc-dev-echo');
    assert.equal(
      originText(invoker.calls[invoker.calls.length - 1].request.origin),
      'http GET /hello/{name}',
    );
  });

  it('serves an HTTP API route with the payload 2.0 event', async () => {
    const res = await fetch(`${base}/v2/42`);
    const event = (await res.json()) as APIGatewayProxyEventV2;
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, 'GET /v2/{id}');
    assert.deepEqual(event.pathParameters, { id: '42' });
    assert.ok(res.headers.get('apigw-requestid'));
  });

  it('infers a 200 JSON response for an HTTP API result without statusCode', async () => {
    const res = await fetch(`${base}/plain`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), { hello: 'world' });
  });

  it('fails a response whose header HTTP cannot carry, and keeps serving', async () => {
    const res = await fetch(`${base}/bad-header`);
    assert.equal(res.status, 502);
    assert.equal((await fetch(`${base}/plain`)).status, 200);
  });

  it('honours payload 1.0 on an HTTP API route', async () => {
    const res = await fetch(`${base}/v1`, {
      method: 'POST',
      body: 'hi',
      headers: { 'content-type': 'text/plain' },
    });
    assert.deepEqual(await res.json(), { version: '1.0', body: 'hi' });
  });

  it('answers an unknown REST path with 403 and an unknown path with 404', async () => {
    const rest = await fetch(`${base}/dev/nothing`);
    assert.equal(rest.status, 403);
    assert.deepEqual(await rest.json(), { message: 'Missing Authentication Token' });
    const api = await fetch(`${base}/nothing`);
    assert.equal(api.status, 404);
    assert.deepEqual(await api.json(), { message: 'Not Found' });
  });

  it('answers a function error with 502 for REST and 500 for HTTP API', async () => {
    const rest = await fetch(`${base}/dev/fails`);
    assert.equal(rest.status, 502);
    assert.equal(await rest.text(), '{"message": "Internal server error"}');
    const api = await fetch(`${base}/fails`);
    assert.equal(api.status, 500);
    assert.equal(await api.text(), '{"message":"Internal Server Error"}');
  });

  it('answers 504 and 503 once the gateway timeouts pass, while the function runs on', async () => {
    const past = async (path: string) => {
      const answer = fetch(`${base}${path}`);
      await clock.untilTimerSet();
      clock.advance(59);
      await settle();
      clock.advance(1);
      return answer;
    };
    const rest = await past('/dev/slow');
    assert.equal(rest.status, 504);
    assert.deepEqual(await rest.json(), { message: 'Endpoint request timed out' });
    const api = await past('/slow');
    assert.equal(api.status, 503);
    assert.deepEqual(await api.json(), { message: 'Service Unavailable' });
    const finished = () => invoker.finished.filter((key) => key === 'slow').length;
    assert.equal(finished(), 0);
    slowRelease.release();
    for (let i = 0; i < 1000 && finished() < 2; i++) await settle();
    assert.equal(finished(), 2);
  });

  it('answers a throttled invocation as each front does', async () => {
    const rest = await fetch(`${base}/dev/busy`);
    assert.equal(rest.status, 500);
    assert.equal(await rest.text(), '{"message": "Internal server error"}');
    assert.equal((await fetch(`${base}/busy`)).status, 500);
    const url = await fetch(`${base}/lambda-url/busy/`);
    assert.equal(url.status, 429);
    assert.deepEqual(await url.json(), { Message: 'Rate Exceeded.' });
    const alb = await fetch(`${base}/alb/busy`);
    assert.equal(alb.status, 503);
  });

  it('serves an ALB rule with its status description and a 502 page on error', async () => {
    const ok = await fetch(`${base}/alb/things`);
    assert.equal(ok.status, 201);
    assert.equal(ok.statusText, 'Created');
    assert.equal(ok.headers.get('x-path'), '/alb/things');
    const failed = await fetch(`${base}/alb/fail`);
    assert.equal(failed.status, 502);
    assert.match(await failed.text(), /<title>502 Bad Gateway<\/title>/);
  });

  it('serves a function URL with the prefix stripped and cookies as Set-Cookie', async () => {
    const res = await fetch(`${base}/lambda-url/web/a/b?q=1`, { headers: { cookie: 'c=3; d=4' } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.headers.getSetCookie(), ['a=1', 'b=2']);
    assert.deepEqual(await res.json(), { rawPath: '/a/b', cookies: ['c=3', 'd=4'] });
  });

  it('maps a non-proxy integration error to the status its message selects', async () => {
    const post = (body: unknown) =>
      fetch(`${base}/dev/lambda`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    const ok = await post({ a: 1 });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { got: { a: 1 }, requestPath: '/lambda' });
    const missing = await post({ fail: '[404] no such thing' });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { errorMessage: string }).errorMessage, '[404] no such thing');
    const xml = await fetch(`${base}/dev/lambda`, {
      method: 'POST',
      body: '<a/>',
      headers: { 'content-type': 'text/xml' },
    });
    assert.equal(xml.status, 415);
  });

  it('answers an async http event at once with 200 and invokes with type Event', async () => {
    const res = await fetch(`${base}/dev/queued`, {
      method: 'POST',
      body: '{"job":1}',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
    const call = invoker.calls.at(-1);
    assert.equal(call?.request.type, 'Event');
    assert.deepEqual((JSON.parse(call?.request.payload ?? '') as { body: unknown }).body, { job: 1 });
  });

  it('base64-encodes a binary media type and decodes the result for a binary Accept', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const binary = await fetch(`${base}/dev/upload`, {
      method: 'POST',
      body: png,
      headers: { 'content-type': 'image/png', accept: 'image/png' },
    });
    assert.deepEqual(Buffer.from(await binary.arrayBuffer()), png);
    const text = await fetch(`${base}/dev/upload`, {
      method: 'POST',
      body: png,
      headers: { 'content-type': 'image/png', accept: 'application/json' },
    });
    assert.equal(await text.text(), png.toString('base64'));
  });

  it('answers CORS preflights for REST paths with cors and for the HTTP API', async () => {
    const rest = await fetch(`${base}/dev/upload`, { method: 'OPTIONS' });
    assert.equal(rest.status, 200);
    assert.equal(rest.headers.get('access-control-allow-methods'), 'OPTIONS,POST');
    const api = await fetch(`${base}/plain`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    });
    assert.equal(api.status, 204);
    assert.equal(api.headers.get('access-control-allow-origin'), '*');
    const simple = await fetch(`${base}/plain`, { headers: { origin: 'https://app.example.com' } });
    assert.equal(simple.headers.get('access-control-allow-origin'), '*');
  });

  it('lists its routes with their URLs', () => {
    const routes = front.routes();
    assert.ok(
      routes.some((r) => r.method === 'GET' && r.url === `${base}/dev/hello/{name}` && r.function === 'echo'),
    );
    assert.ok(routes.some((r) => r.url === `${base}/lambda-url/web/` && r.function === 'web'));
  });

  it('refuses a port in use with EMULATE_PORT_IN_USE naming the port', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as AddressInfo;
    try {
      const second = new HttpFront(service, invoker, { host: '127.0.0.1', port });
      await assert.rejects(second.start(), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.code, 'EMULATE_PORT_IN_USE');
        assert.match(error.message, new RegExp(`Port ${port} on 127.0.0.1 is already in use`));
        return true;
      });
    } finally {
      blocker.close();
    }
  });
});
