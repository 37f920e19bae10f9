import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';

// Echoed events are read loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const GOLDEN = path.join(__dirname, '..', 'fixtures', 'golden-events');
const golden = (file: string): Json => JSON.parse(readFileSync(path.join(GOLDEN, file), 'utf8'));

/** Every key path of an event with its value's type (`headers.*` left out: they are the client's). */
function shape(value: unknown, at = '', out = new Map<string, string>()): Map<string, string> {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (at !== '') out.set(at, type);
  if (type === 'object' && !/(^|\.)(headers|multiValueHeaders|queryStringParameters)$/.test(at)) {
    for (const [key, item] of Object.entries(value as object)) shape(item, at ? `${at}.${key}` : key, out);
  }
  return out;
}

/** Ours and AWS's have the same keys with the same types, but for the differences listed. */
function assertShapeOf(ours: unknown, aws: unknown, differences: Record<string, string>) {
  const mine = shape(ours);
  const theirs = shape(aws);
  const found: Record<string, string> = {};
  for (const key of new Set([...mine.keys(), ...theirs.keys()])) {
    if (mine.get(key) !== theirs.get(key)) found[key] = `ours ${mine.get(key)}, AWS ${theirs.get(key)}`;
  }
  assert.deepEqual(found, differences);
}

const GATEWAY_HEADERS = ['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto', 'x-amzn-trace-id'];
const TRACE_ROOT = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/;

describe('sls emulate: API Gateway as AWS runs it (keys, validation, templates, gateway responses, events)', function () {
  this.timeout(60_000);
  let emulator: EmulatorUnderTest;
  let base: string;

  before(async () => {
    emulator = await emulateInProcess(fixture('api-gateway'));
    base = emulator.http ?? '';
  });
  after(async () => await emulator?.stop());

  const call = async (url: string, init?: RequestInit) => {
    const response = await fetch(`${base}${url}`, init);
    const text = await response.text();
    let body: Json = text;
    try {
      body = JSON.parse(text);
    } catch {
      // a text body
    }
    return { status: response.status, headers: response.headers, body };
  };

  describe('API keys (private: true)', () => {
    it('prints each key with its value at start, generated ones too', () => {
      const output = emulator.output();
      assert.match(output, /API key paidKey: paid-key-value-0123456789abcdef/);
      assert.match(output, /API key generatedKey: [A-Za-z0-9]{40}\n/);
      assert.match(output, /API key offKey: disabled-key-value-0123456789ab \(disabled\)/);
    });

    it('lets a valid key through and writes it into requestContext.identity', async () => {
      const { status, body } = await call('/test/private', {
        headers: { 'x-api-key': 'paid-key-value-0123456789abcdef' },
      });
      assert.equal(status, 200);
      assert.equal(body.requestContext.identity.apiKey, 'paid-key-value-0123456789abcdef');
      assert.match(body.requestContext.identity.apiKeyId, /^[a-z0-9]{10}$/);
    });

    it('lets a generated key through', async () => {
      const value = /API key generatedKey: (\S+)/.exec(emulator.output())?.[1];
      const { status } = await call('/test/private', { headers: { 'x-api-key': value ?? '' } });
      assert.equal(status, 200);
    });

    it('answers 403 {"message":"Forbidden"} without a key, with a wrong one and with a disabled one', async () => {
      const sent: Array<Record<string, string>> = [
        {},
        { 'x-api-key': 'nope' },
        { 'x-api-key': 'disabled-key-value-0123456789ab' },
      ];
      for (const headers of sent) {
        const { status, body } = await call('/test/private', { headers });
        assert.equal(status, 403);
        assert.deepEqual(body, { message: 'Forbidden' });
      }
    });

    it('answers 429 {"message":"Too Many Requests"} beyond the key\'s usage plan throttle', async () => {
      const headers = { 'x-api-key': 'free-key-value-0123456789abcdef' };
      // burstLimit 1, rateLimit 1: of three requests at once, at most two (one after a second) get through.
      const results = await Promise.all([1, 2, 3].map(() => call('/test/private', { headers })));
      const throttled = results.filter((r) => r.status === 429);
      assert.ok(throttled.length >= 1, `statuses ${results.map((r) => r.status).join(', ')}`);
      assert.deepEqual(throttled[0].body, { message: 'Too Many Requests' });
    });
  });

  describe('request validation', () => {
    const order = (query: string, headers: Record<string, string>, body: unknown) =>
      call(`/test/orders/9${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

    it('answers 400 naming the missing required parameters', async () => {
      const { status, body } = await order('', {}, { item: 'book' });
      assert.equal(status, 400);
      assert.deepEqual(body, { message: 'Missing required request parameters: [tenant, X-Client]' });
    });

    it('answers 400 Invalid request body for a body its JSON Schema refuses, with DEFAULT_4XX headers', async () => {
      const { status, body, headers } = await order(
        '?tenant=t1',
        { 'x-client': 'c' },
        { item: 'book', quantity: 0 },
      );
      assert.equal(status, 400);
      assert.deepEqual(body, { message: 'Invalid request body' });
      assert.equal(headers.get('access-control-allow-origin'), '*');
    });

    it('invokes the function for a valid request', async () => {
      const { status, body } = await order('?tenant=t1', { 'x-client': 'c' }, { item: 'book', quantity: 2 });
      assert.equal(status, 200);
      assert.deepEqual(JSON.parse(body.body), { item: 'book', quantity: 2 });
    });
  });

  describe('integration: lambda with request and response templates', () => {
    const legacy = (body: unknown) =>
      call('/test/legacy/42', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'tests/1.0' },
        body: JSON.stringify(body),
      });

    it('renders the request template into the payload and the response template into the answer', async () => {
      const { status, body, headers } = await legacy({ item: 'book', note: 'say "hi"' });
      assert.equal(status, 200);
      assert.equal(headers.get('content-type'), 'text/plain');
      assert.equal(headers.get('x-order'), '42');
      assert.equal(body, 'order 42: book');
    });

    it('selects the integration response whose pattern matches the error message', async () => {
      const { status, body } = await legacy({ item: 'taken', note: '' });
      assert.equal(status, 409);
      assert.deepEqual(body, { conflict: 'order 42 already exists' });
    });
  });

  describe('gateway responses (AWS::ApiGateway::GatewayResponse)', () => {
    it('replaces MISSING_AUTHENTICATION_TOKEN: its status, template ($context.error) and headers', async () => {
      const { status, body, headers } = await call('/test/nowhere', { headers: { 'x-asked': 'me' } });
      assert.equal(status, 404);
      assert.deepEqual(body, {
        error: 'Missing Authentication Token',
        type: 'MISSING_AUTHENTICATION_TOKEN',
        path: '/test/nowhere',
      });
      assert.equal(headers.get('x-asked'), 'me');
      assert.equal(headers.get('access-control-allow-origin'), null);
    });
  });

  describe('events as the gateway builds them, against events captured from AWS', () => {
    it('REST proxy: the captured keys, the headers the gateway adds, identity without apiKey', async () => {
      const { body: event, headers } = await call('/test/echo', { method: 'POST' });
      assertShapeOf(event, golden('apigw-rest-no-auth.json'), {});
      // The Node.js handler's _X_AMZN_TRACE_ID shares the root of the header the gateway added.
      assert.match(
        headers.get('x-trace-env') ?? '',
        new RegExp(
          `^${event.headers['X-Amzn-Trace-Id']};Parent=[0-9a-f]{16};Sampled=0;Lineage=1:[0-9a-f]{8}:0$`,
        ),
      );
      for (const name of ['X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto', 'X-Amzn-Trace-Id']) {
        assert.ok(event.headers[name], name);
        assert.deepEqual(event.multiValueHeaders[name], [event.headers[name]]);
      }
      assert.match(event.headers['X-Amzn-Trace-Id'], TRACE_ROOT);
      assert.equal(event.headers['X-Forwarded-Proto'], 'http');
      assert.equal(event.headers['X-Forwarded-Port'], new URL(base).port);
      assert.equal(event.headers['X-Forwarded-For'], event.requestContext.identity.sourceIp);
      // Known local difference: an edge-optimized API's CloudFront headers (local APIs are regional).
      assert.equal(event.headers.Via, undefined);
    });

    it('HTTP API payload 2.0: the captured keys and the gateway headers', async () => {
      const { body: event } = await call('/v2/echo', {
        method: 'POST',
        headers: { authorization: 'Bearer foo' },
      });
      assertShapeOf(event, golden('apigw-http-no-auth.json'), {
        // The capture is of a route with a Lambda authorizer (see the fixtures' README), hence
        // `authorizer: { lambda: null }`; this route has none, and ours then writes no `authorizer`.
        'requestContext.authorizer': 'ours undefined, AWS object',
        'requestContext.authorizer.lambda': 'ours undefined, AWS null',
      });
      for (const name of GATEWAY_HEADERS) assert.ok(event.headers[name], name);
      assert.match(event.headers['x-amzn-trace-id'], TRACE_ROOT);
    });

    it('HTTP API payload 1.0: header names lower-cased, as the HTTP API sends them', async () => {
      const { body: event } = await call('/v1style', { headers: { 'X-Mixed-Case': 'v' } });
      assert.equal(event.version, '1.0');
      assert.equal(event.headers['x-mixed-case'], 'v');
      assert.equal(event.headers['X-Mixed-Case'], undefined);
      assert.deepEqual(event.multiValueHeaders['x-mixed-case'], ['v']);
    });

    it('function URL: the captured keys, accountId anonymous, cookie kept beside cookies, no TLS headers', async () => {
      const { body: event } = await call('/lambda-url/echo/', { headers: { cookie: 'a=1; b=2' } });
      assertShapeOf(event, golden('lambda-function-url.json'), { cookies: 'ours array, AWS undefined' });
      assert.equal(event.requestContext.accountId, 'anonymous');
      assert.deepEqual(event.cookies, ['a=1', 'b=2']);
      assert.equal(event.headers.cookie, 'a=1; b=2');
      for (const name of GATEWAY_HEADERS) assert.ok(event.headers[name], name);
      // Known local difference: plain HTTP, so no x-amzn-tls-version / x-amzn-tls-cipher-suite.
      assert.equal(event.headers['x-amzn-tls-version'], undefined);
    });

    it('ALB: the captured keys, the gateway headers and a target group id of 16 hex digits', async () => {
      const { body: event } = await call('/alb/x?query=1234ABCD', { method: 'GET' });
      assertShapeOf(event, golden('alb-base.json'), {});
      for (const name of GATEWAY_HEADERS) assert.ok(event.headers[name], name);
      assert.match(event.requestContext.elb.targetGroupArn, /:targetgroup\/[a-z0-9]{32}\/[0-9a-f]{16}$/);
    });

    it("gives the invocation the trace root of the front's X-Amzn-Trace-Id, and a log stream per instance", async () => {
      const { body } = await call('/test/trace');
      const root = /^Root=(1-[0-9a-f]{8}-[0-9a-f]{24})$/.exec(body.header)?.[1];
      assert.ok(root, body.header);
      assert.match(
        body.env,
        new RegExp(`^Root=${root};Parent=[0-9a-f]{16};Sampled=0;Lineage=1:[0-9a-f]{8}:0$`),
      );
      assert.match(body.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    });

    it("keeps the root of a client's own trace header", async () => {
      const sent = 'Root=1-66704cad-0fbaf1491365339d168b2a7d';
      const { body } = await call('/test/trace', { headers: { 'x-amzn-trace-id': sent } });
      assert.equal(body.header, sent);
      assert.match(body.env, /^Root=1-66704cad-0fbaf1491365339d168b2a7d;Parent=/);
    });
  });
});
