import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXAMPLE_SERVICE, fixture, serverless } from '../helpers/cli';
import { startEmulator, type RunningEmulator } from '../helpers/emulate';

// A response body is whatever event or result the function echoed: the tests read it loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('sls emulate: the HTTP fronts over real HTTP', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let base: string;

  before(async () => {
    emulator = await startEmulator(fixture('http'));
    base = emulator.http ?? '';
  });
  after(async () => assert.equal(await emulator?.stop(), 0));

  const get = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);
  const json = async (path: string, init?: RequestInit) => {
    const response = await get(path, init);
    return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
  };

  it('prints every route with its method, URL and function', () => {
    const output = emulator.output();
    assert.match(output, new RegExp(`GET +${base}/test/items/\\{id\\} +→ restEcho`));
    assert.match(output, new RegExp(`GET +${base}/v2/users/\\{id\\} +→ v2Echo`));
  });

  describe('REST API (http events, payload 1.0)', () => {
    it('serves routes under the stage with path, query and header values as API Gateway builds them', async () => {
      const { status, body } = await json('/test/items/42?tag=a&tag=b&q=x', { headers: { 'x-trace': 't1' } });
      assert.equal(status, 200);
      assert.equal(body.resource, '/items/{id}');
      assert.equal(body.path, '/items/42');
      assert.equal(body.httpMethod, 'GET');
      assert.deepEqual(body.pathParameters, { id: '42' });
      assert.deepEqual(body.multiValueQueryStringParameters.tag, ['a', 'b']);
      assert.equal(body.queryStringParameters.tag, 'b');
      assert.equal(body.headers['x-trace'], 't1');
      assert.equal(body.requestContext.stage, 'test');
      assert.equal(body.requestContext.path, '/test/items/42');
      assert.equal(body.isBase64Encoded, false);
    });

    it('matches a greedy {proxy+} path', async () => {
      const { body } = await json('/test/files/a/b/c.txt', { method: 'DELETE' });
      assert.deepEqual(body.pathParameters, { proxy: 'a/b/c.txt' });
      assert.equal(body.httpMethod, 'DELETE');
    });

    it('answers a function error with 502 {"message": "Internal server error"}', async () => {
      const { status, body } = await json('/test/broken');
      assert.equal(status, 502);
      assert.deepEqual(body, { message: 'Internal server error' });
    });

    it('answers an unknown path under the stage with 403 Missing Authentication Token', async () => {
      const { status, body } = await json('/test/nowhere');
      assert.equal(status, 403);
      assert.deepEqual(body, { message: 'Missing Authentication Token' });
    });

    it('answers CORS preflights for cors: true', async () => {
      const response = await get('/test/items/1', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
    });

    it('answers async: true at once and runs the function through the async path', async () => {
      const response = await get('/test/jobs', {
        method: 'POST',
        body: '{"job":1}',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(response.status, 200);
      await emulator.waitForOutput(/λ restAsync ← http POST \/jobs \(push\/async\) ok/);
    });

    it("maps a lambda (non-proxy) integration's result and its [NNN] error status", async () => {
      const ok = await json('/test/legacy/7');
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body, { id: '7', method: 'GET', stage: 'test' });
      const missing = await get('/test/legacy/missing');
      assert.equal(missing.status, 404);
    });
  });

  describe('HTTP API (httpApi events)', () => {
    it('builds payload 2.0 events', async () => {
      const { status, body } = await json('/v2/users/9?a=1&a=2', { headers: { cookie: 'c1=v1; c2=v2' } });
      assert.equal(status, 200);
      assert.equal(body.version, '2.0');
      assert.equal(body.routeKey, 'GET /v2/users/{id}');
      assert.equal(body.rawPath, '/v2/users/9');
      assert.equal(body.rawQueryString, 'a=1&a=2');
      assert.equal(body.queryStringParameters.a, '1,2');
      assert.deepEqual(body.cookies, ['c1=v1', 'c2=v2']);
      assert.deepEqual(body.pathParameters, { id: '9' });
      assert.equal(body.requestContext.http.method, 'GET');
      assert.equal(body.requestContext.stage, '$default');
    });

    it('infers a 200 JSON response from a result without statusCode', async () => {
      const { status, headers, body } = await json('/v2/plain');
      assert.equal(status, 200);
      assert.match(headers.get('content-type') ?? '', /application\/json/);
      assert.deepEqual(body, { hello: 'world' });
    });

    it('answers a function error with 500 {"message":"Internal Server Error"}', async () => {
      const { status, body } = await json('/v2/broken');
      assert.equal(status, 500);
      assert.deepEqual(body, { message: 'Internal Server Error' });
    });

    it("honours a function's payload: '1.0'", async () => {
      const { body } = await json('/v1style');
      assert.equal(body.version, '1.0');
      assert.equal(body.httpMethod, 'GET');
    });

    it('base64-encodes a body whose content type is not text, as HTTP API does', async () => {
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
      const { body } = await json('/lambda-url/urlFunction/upload', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
      });
      assert.equal(body.isBase64Encoded, true);
      assert.deepEqual(Buffer.from(body.body, 'base64'), bytes);
    });

    it('base64-encodes a REST body only for provider.apiGateway.binaryMediaTypes', async () => {
      const png = await json('/test/items', {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: Buffer.from([1, 2, 3]),
      });
      assert.equal(png.body.isBase64Encoded, true);
      assert.equal(png.body.body, Buffer.from([1, 2, 3]).toString('base64'));
      const text = await json('/test/items', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hi',
      });
      assert.equal(text.body.isBase64Encoded, false);
      assert.equal(text.body.body, 'hi');
    });
  });

  describe('ALB and function URLs', () => {
    it('serves an ALB rule with its own event and status description', async () => {
      const response = await get('/alb/x?k=v');
      assert.equal(response.status, 201);
      assert.equal(response.statusText, 'Created');
      assert.deepEqual(await response.json(), { path: '/alb/x', query: { k: 'v' }, elb: true });
    });

    it('serves a function URL under /lambda-url/<function>/ with the URL event', async () => {
      const { status, body } = await json('/lambda-url/urlFunction/some/path?x=1');
      assert.equal(status, 200);
      assert.equal(body.rawPath, '/some/path');
      assert.equal(body.routeKey, '$default');
      assert.equal(body.requestContext.stage, '$default');
      assert.match(body.requestContext.domainName, /\.lambda-url\.us-east-1\.on\.aws$/);
    });
  });
});

describe('sls emulate on example-service', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  const stateDir = mkdtempSync(path.join(tmpdir(), 'emulate-example-'));
  before(async () => {
    emulator = await startEmulator(EXAMPLE_SERVICE, ['--state-dir', stateDir]);
  });
  after(async () => {
    assert.equal(await emulator?.stop(), 0);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('serves its HTTP API, REST API and function URL routes', async () => {
    const order = await fetch(`${emulator.http}/orders/42`);
    assert.deepEqual(await order.json(), { id: '42', status: 'pending', table: 'orders-dev' });
    const created = await fetch(`${emulator.http}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'o-1' }),
    });
    assert.equal(created.status, 201);
    assert.equal((await fetch(`${emulator.http}/dev/health`)).status, 200);
    assert.equal((await fetch(`${emulator.http}/lambda-url/health/`)).status, 200);
  });

  it('guards POST /orders/import with its TOKEN authorizer', async () => {
    assert.match(
      emulator.output(),
      /POST +\S+\/dev\/orders\/import +→ importOrders +\[TOKEN authorizer authorizeImport\]/,
    );
    const post = (headers: Record<string, string>) =>
      fetch(`${emulator.http}/dev/orders/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ orders: [{ id: 'i-1' }, { id: 'i-2' }] }),
      });
    const refused = await post({ authorization: 'Bearer someone' });
    assert.equal(refused.status, 401);
    assert.deepEqual(await refused.json(), { message: 'Unauthorized' });
    assert.equal((await post({})).status, 401);
    assert.equal((await post({ authorization: 'Bearer importer' })).status, 200);
    await emulator.waitForOutput(/\[importOrders\].*importing 2 orders for importer/);
  });

  it('carries an order from the API through DynamoDB, its stream, SNS, SQS and S3 to the notifier', async () => {
    const created = await fetch(`${emulator.http}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'o-flow' }),
    });
    assert.equal(created.status, 201);
    // api -> orders table -> stream (auditTrail) -> order-events -> orders queue (processOrder) -> S3 receipt (onUpload)
    await emulator.waitForOutput(/\[auditTrail\].*INSERT \{"id":\{"S":"o-flow"\}\}/, 20_000);
    await emulator.waitForOutput('processed order o-flow', 20_000);
    await emulator.waitForOutput('receipt for order o-flow stored', 20_000);
    // A click on the order goes to the Kinesis stream and its consumer.
    assert.equal((await fetch(`${emulator.http}/orders/o-flow`)).status, 200);
    await emulator.waitForOutput(/\[clickAnalytics\].*1 clicks/, 20_000);
  });

  it('fires a schedule now and invokes any source with a sample event through sls emulate-event', async () => {
    const port = new URL(emulator.aws).port;
    const schedule = await serverless(EXAMPLE_SERVICE, [
      'emulate-event',
      '-f',
      'nightlyReport',
      '--aws-port',
      port,
    ]);
    assert.equal(schedule.code, 0, schedule.stderr);
    assert.match(schedule.stdout, /schedule -> Event: 202/);
    await emulator.waitForOutput(/nightly report for \d{4}-/);
    const api = await serverless(EXAMPLE_SERVICE, ['emulate-event', '-f', 'api', '--aws-port', port]);
    assert.match(api.stdout, /httpApi -> RequestResponse: 200/);
    assert.match(api.stdout, /"status":"pending"/);
  });
});
