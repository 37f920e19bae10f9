import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import WebSocket from 'ws';
import { fixture, serverless } from '../helpers/cli';
import { startEmulator, type RunningEmulator } from '../helpers/emulate';

// A response body is whatever the function echoed: the tests read it loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Far from any clock the emulator may run on: valid, expired and not yet valid tokens need no wall clock. */
const FUTURE = 4_102_444_800; // 2100-01-01
const PAST = 946_684_800; // 2000-01-01
const POOL_ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Tests';
// API Gateway's AccessDenied body, capital M and all.
const DENY = { Message: 'User is not authorized to access this resource with an explicit deny' };
const UNAUTHORIZED = { message: 'Unauthorized' };

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Json;
}

/** A GET over node:http, which sends header names in the case given (fetch lowercases them). */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: kept as text
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      });
    });
    request.on('error', reject);
  });
}

/** SHA-256 for @smithy/signature-v4, from node:crypto. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret
      ? createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer))
      : createHash('sha256');
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/** Headers of a GET signed with SigV4 for execute-api by made-up credentials. */
async function signed(url: string, service = 'execute-api'): Promise<Record<string, string>> {
  const { hostname, port, pathname } = new URL(url);
  const signer = new SignatureV4({
    service,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'anything' },
    sha256: Sha256,
  });
  const request = await signer.sign({
    method: 'GET',
    protocol: 'http:',
    hostname,
    port: Number(port),
    path: pathname,
    headers: { host: `${hostname}:${port}` },
  });
  return request.headers;
}

describe('sls emulate: authorizers over real HTTP and WebSocket', function () {
  this.timeout(90_000);
  let emulator: RunningEmulator;
  let base: string;
  let issuer: string;
  let jwksServer: http.Server;
  let dir: string;
  let issuerKey: CryptoKey;
  let poolKey: CryptoKey;
  let strangerKey: CryptoKey;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'emulate-authorizers-'));
    const issuerPair = await generateKeyPair('RS256');
    const poolPair = await generateKeyPair('RS256');
    issuerKey = issuerPair.privateKey;
    poolKey = poolPair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const issuerJwks = {
      keys: [{ ...(await exportJWK(issuerPair.publicKey)), kid: 'issuer', alg: 'RS256' }],
    };
    const poolJwks = { keys: [{ ...(await exportJWK(poolPair.publicKey)), kid: 'pool', alg: 'RS256' }] };
    writeFileSync(path.join(dir, 'pool.json'), JSON.stringify(poolJwks));
    // The issuer as an OpenID provider: its discovery document and JWKS.
    jwksServer = http.createServer((request, response) => {
      const send = (body: unknown) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(body));
      };
      if (request.url === '/issuer/.well-known/openid-configuration') {
        send({ issuer, jwks_uri: `${issuer}/keys` });
      } else if (request.url === '/issuer/keys') {
        send(issuerJwks);
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    jwksServer.listen(0, '127.0.0.1');
    await once(jwksServer, 'listening');
    issuer = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/issuer`;
    emulator = await startEmulator(fixture('authorizers'), [], env());
    base = emulator.http ?? '';
  });

  after(async () => {
    if (emulator) assert.equal(await emulator.stop(), 0);
    jwksServer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** What the fixture's serverless.yml reads: the issuer and the pool's JWKS file. */
  const env = () => ({ JWT_ISSUER: issuer, POOL_JWKS: path.join(dir, 'pool.json') });

  /** How often the emulator has invoked `fn` so far. */
  const invocations = (fn: string) => emulator.output().split(`λ ${fn} ←`).length - 1;
  /**
   * The output once it has stopped growing: an invocation's line may be printed just after the
   * response it made (waiting, not a time any expected value depends on).
   */
  const settled = async () => {
    for (let seen = ''; seen !== emulator.output();) {
      seen = emulator.output();
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  };
  /** How often `fn` has been invoked, once earlier requests have printed their lines. */
  const invokedSoFar = async (fn: string) => {
    await settled();
    return invocations(fn);
  };
  /** Checks that `fn` has been invoked `count` times in all, once the output has settled. */
  const invokedTimes = async (fn: string, count: number) => {
    await settled();
    assert.equal(invocations(fn), count, `λ ${fn} lines in\n${emulator.output()}`);
  };

  const token = (claims: JWTPayload, key: CryptoKey = issuerKey, kid = 'issuer') =>
    new SignJWT({ sub: 'user-7', ...claims }).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
  const poolToken = (claims: JWTPayload, key: CryptoKey = poolKey) =>
    token({ iss: POOL_ISSUER, exp: FUTURE, token_use: 'id', ...claims }, key, 'pool');
  const jwt = (claims: JWTPayload = {}, key?: CryptoKey) =>
    token({ iss: issuer, aud: 'emulate-tests', exp: FUTURE, scope: 'orders/read profile', ...claims }, key);

  it('prints which authorizer guards each route', () => {
    const output = emulator.output();
    for (const [route, guard] of [
      ['/dev/token/one', 'TOKEN authorizer tokenAuth'],
      ['/dev/validated', 'TOKEN authorizer strictAuth'],
      ['/dev/request', 'REQUEST authorizer requestAuth'],
      ['/dev/iam', 'AWS_IAM'],
      ['/dev/cognito', 'Cognito authorizer pool'],
      ['/simple', 'REQUEST authorizer simple'],
      ['/policy', 'REQUEST authorizer policy'],
      ['/jwt', 'JWT authorizer jwt'],
      ['/iam', 'AWS_IAM'],
      ['/v1/jwt', 'JWT authorizer jwt'],
    ]) {
      const line = output.split('\n').find((text) => text.includes(`${base}${route}  → `));
      assert.ok(line?.endsWith(`  [${guard}]`), `${route} [${guard}] in\n${output}`);
    }
    assert.match(output, /routes: \$connect \[REQUEST authorizer socketAuth\], \$default/);
    assert.doesNotMatch(output, /claims only/);
  });

  describe('REST TOKEN authorizer', () => {
    it('passes principalId and the context, its values as strings, to requestContext.authorizer', async () => {
      const { status, body } = await get(`${base}/dev/token/one`, { Authorization: 'allow-one' });
      assert.equal(status, 200);
      const { integrationLatency, ...authorizer } = body.authorizer;
      assert.deepEqual(authorizer, { principalId: 'user-1', tier: 'gold', seats: '3', admin: 'false' });
      assert.equal(typeof integrationLatency, 'number');
    });

    it('answers an explicit Deny with 403 and API Gateway message', async () => {
      const { status, body } = await get(`${base}/dev/token/one`, { Authorization: 'deny' });
      assert.equal(status, 403);
      assert.deepEqual(body, DENY);
    });

    it('answers a policy that does not cover the route with 403 (implicit deny)', async () => {
      const { status, body } = await get(`${base}/dev/token/one`, { Authorization: 'other-path' });
      assert.equal(status, 403);
      assert.deepEqual(body, { Message: 'User is not authorized to access this resource' });
    });

    it('answers an Unauthorized error with 401', async () => {
      const { status, body, headers } = await get(`${base}/dev/token/one`, { Authorization: 'unauthorized' });
      assert.equal(status, 401);
      assert.deepEqual(body, UNAUTHORIZED);
      assert.equal(headers['x-amzn-errortype'], 'UnauthorizedException');
    });

    it('answers a missing token with 401 without invoking the authorizer', async () => {
      const before = await invokedSoFar('tokenAuth');
      const { status, body } = await get(`${base}/dev/token/one`);
      assert.equal(status, 401);
      assert.deepEqual(body, UNAUTHORIZED);
      await invokedTimes('tokenAuth', before);
    });

    it('answers an authorizer that fails, or returns no policy, with 500', async () => {
      for (const value of ['no-such-token', 'invalid']) {
        const { status, body } = await get(`${base}/dev/token/one`, { Authorization: value });
        assert.equal(status, 500, value);
        assert.deepEqual(body, { message: null });
      }
    });

    it('answers an authorizer that times out with 500', async () => {
      const { status, body } = await get(`${base}/dev/token/one`, { Authorization: 'slow' });
      assert.equal(status, 500);
      assert.deepEqual(body, { message: null });
    });

    it('caches a policy per token: one invocation for two routes the policy covers', async () => {
      const before = await invokedSoFar('tokenAuth');
      for (const route of ['token/one', 'token/two', 'token/one']) {
        const { status, body } = await get(`${base}/dev/${route}`, { Authorization: 'allow-all~cached' });
        assert.equal(status, 200, route);
        assert.equal(body.authorizer.tier, 'silver');
      }
      await invokedTimes('tokenAuth', before + 1);
    });

    it('evaluates a cached policy again for each route', async () => {
      const before = await invokedSoFar('tokenAuth');
      assert.equal((await get(`${base}/dev/token/one`, { Authorization: 'allow-one~again' })).status, 200);
      const other = await get(`${base}/dev/token/two`, { Authorization: 'allow-one~again' });
      assert.equal(other.status, 403);
      assert.deepEqual(other.body, { Message: 'User is not authorized to access this resource' });
      await invokedTimes('tokenAuth', before + 1);
    });

    it('with resultTtlInSeconds 0 invokes the authorizer for every request', async () => {
      const before = await invokedSoFar('strictAuth');
      for (let i = 0; i < 2; i++) {
        assert.equal((await get(`${base}/dev/validated`, { Authorization: 'allow-one' })).status, 200);
      }
      await invokedTimes('strictAuth', before + 2);
    });

    it('answers a token that does not match identityValidationExpression with 401 without invoking', async () => {
      const before = await invokedSoFar('strictAuth');
      const { status, body } = await get(`${base}/dev/validated`, { Authorization: 'Allow-one' });
      assert.equal(status, 401);
      assert.deepEqual(body, UNAUTHORIZED);
      await invokedTimes('strictAuth', before);
    });
  });

  describe('REST REQUEST authorizer', () => {
    it('gets the request and passes its context on', async () => {
      const { status, body } = await get(`${base}/dev/request?tenant=acme`, { 'X-Key': 'secret' });
      assert.equal(status, 200);
      assert.equal(body.authorizer.principalId, 'user-1');
      assert.equal(body.authorizer.tenant, 'acme');
      assert.equal(body.authorizer.type, 'REQUEST');
      assert.equal(body.authorizer.resource, '/request');
    });

    it('answers its Deny with 403', async () => {
      const { status, body } = await get(`${base}/dev/request?tenant=acme`, { 'X-Key': 'wrong' });
      assert.equal(status, 403);
      assert.deepEqual(body, DENY);
    });

    it('answers a missing identity source with 401 without invoking', async () => {
      const before = await invokedSoFar('requestAuth');
      for (const [query, headers] of [
        ['', { 'X-Key': 'secret' }],
        ['?tenant=acme', {}],
        ['?tenant=', { 'X-Key': 'secret' }],
      ] as const) {
        const { status, body } = await get(`${base}/dev/request${query}`, headers);
        assert.equal(status, 401, query);
        assert.deepEqual(body, UNAUTHORIZED);
      }
      await invokedTimes('requestAuth', before);
    });

    it('caches by every identity source', async () => {
      const before = await invokedSoFar('requestAuth');
      for (let i = 0; i < 2; i++) {
        const { status } = await get(`${base}/dev/request?tenant=acme&i=${i}`, { 'X-Key': 'secret' });
        assert.equal(status, 200);
      }
      // The first test of this suite cached this identity already.
      await invokedTimes('requestAuth', before);
    });
  });

  describe('REST Cognito user pool authorizer', () => {
    it('passes an ID token of the pool, its claims in requestContext.authorizer.claims', async () => {
      const idToken = await poolToken({ email: 'ada@example.com', iat: PAST, auth_time: PAST });
      const { status, body } = await get(`${base}/dev/cognito`, { Authorization: idToken });
      assert.equal(status, 200);
      const { claims } = body.authorizer;
      assert.equal(claims.sub, 'user-7');
      assert.equal(claims.email, 'ada@example.com');
      assert.equal(claims.iss, POOL_ISSUER);
      assert.equal(claims.token_use, 'id');
      // As REST's Cognito authorizer writes them: exp and iat as dates, auth_time as a number.
      assert.equal(claims.exp, 'Fri Jan 01 00:00:00 UTC 2100');
      assert.equal(claims.iat, 'Sat Jan 01 00:00:00 UTC 2000');
      assert.equal(claims.auth_time, String(PAST));
    });

    it('takes the token with a Bearer prefix too, and renders a list claim as [a b]', async () => {
      // Neither is documented for REST: AWS says only "include the token in the Authorization header"
      // (its workshop types `Bearer <token>` into the console's authorizer test), and nothing of lists.
      const idToken = await poolToken({ 'cognito:groups': ['admins', 'ops'] });
      const { status, body } = await get(`${base}/dev/cognito`, { Authorization: `Bearer ${idToken}` });
      assert.equal(status, 200);
      assert.equal(body.authorizer.claims['cognito:groups'], '[admins ops]');
    });

    it('answers 401 for no token, an expired one, another issuer, an access token or a foreign key', async () => {
      const tokens = {
        none: undefined,
        garbage: 'not-a-jwt',
        expired: await poolToken({ exp: PAST }),
        'not yet valid': await poolToken({ nbf: FUTURE - 1 }),
        'other issuer': await poolToken({ iss: issuer }),
        'access token': await poolToken({ token_use: 'access' }),
        'foreign key': await poolToken({}, strangerKey),
      };
      for (const [what, value] of Object.entries(tokens)) {
        const { status, body } = await get(`${base}/dev/cognito`, value ? { Authorization: value } : {});
        assert.equal(status, 401, what);
        assert.deepEqual(body, UNAUTHORIZED, what);
      }
    });
  });

  describe('REST Cognito user pool authorizer with scopes', () => {
    it('passes an access token carrying one of the scopes', async () => {
      const accessToken = await poolToken({
        token_use: 'access',
        scope: 'orders/read aws.cognito.signin.user.admin',
      });
      const { status, body } = await get(`${base}/dev/cognito/scoped`, { Authorization: accessToken });
      assert.equal(status, 200);
      assert.equal(body.authorizer.claims.scope, 'orders/read aws.cognito.signin.user.admin');
    });

    it('answers an ID token, or an access token without the scope, with 401', async () => {
      for (const [what, value] of [
        ['id token', await poolToken({ scope: 'orders/read' })],
        ['other scope', await poolToken({ token_use: 'access', scope: 'orders/write' })],
      ]) {
        const { status, body } = await get(`${base}/dev/cognito/scoped`, { Authorization: value });
        assert.equal(status, 401, what);
        assert.deepEqual(body, UNAUTHORIZED, what);
      }
    });
  });

  describe('REST AWS_IAM', () => {
    it('answers an unsigned request with 403 Missing Authentication Token', async () => {
      const { status, body } = await get(`${base}/dev/iam`);
      assert.equal(status, 403);
      assert.deepEqual(body, { message: 'Missing Authentication Token' });
    });

    it('passes a SigV4-signed request, any credentials, with requestContext.identity', async () => {
      const url = `${base}/dev/iam`;
      const { status, body } = await get(url, await signed(url));
      assert.equal(status, 200);
      assert.equal(body.identity.accessKey, 'AKIDEXAMPLE');
      assert.equal(body.identity.user, 'AKIDEXAMPLE');
      assert.match(body.identity.userArn, /^arn:aws:iam::\d{12}:user\/AKIDEXAMPLE$/);
    });

    it('answers a signature for another service with 403', async () => {
      const url = `${base}/dev/iam`;
      const { status, body } = await get(url, await signed(url, 's3'));
      assert.equal(status, 403);
      assert.match(body.message, /Credential should be scoped to correct service: 'execute-api'/);
    });
  });

  describe('HTTP API Lambda authorizer, simple responses (payload 2.0)', () => {
    it('passes its context to requestContext.authorizer.lambda, cached for two requests', async () => {
      const before = await invokedSoFar('simpleAuth');
      for (let i = 0; i < 2; i++) {
        const { status, body } = await get(`${base}/simple`, { Authorization: 'let-me-in' });
        assert.equal(status, 200);
        assert.deepEqual(body.authorizer, { lambda: { user: 'ada', roles: ['admin'], version: '2.0' } });
      }
      await invokedTimes('simpleAuth', before + 1);
    });

    it('passes requestContext.authorizer.lambda null when the authorizer returns no context, as AWS does', async () => {
      const { status, body } = await get(`${base}/simple`, { Authorization: 'no-context' });
      assert.equal(status, 200);
      assert.deepEqual(body.authorizer, { lambda: null });
    });

    it('answers isAuthorized false with 403 Forbidden', async () => {
      const { status, body } = await get(`${base}/simple`, { Authorization: 'let-me-out' });
      assert.equal(status, 403);
      assert.deepEqual(body, { message: 'Forbidden' });
    });

    it('answers a missing identity with 401 without invoking', async () => {
      const before = await invokedSoFar('simpleAuth');
      const { status, body } = await get(`${base}/simple`);
      assert.equal(status, 401);
      assert.deepEqual(body, UNAUTHORIZED);
      await invokedTimes('simpleAuth', before);
    });
  });

  describe('HTTP API Lambda authorizer, IAM policy (payload 1.0)', () => {
    it('passes principalId and the context as it is to requestContext.authorizer.lambda', async () => {
      const { status, body } = await get(`${base}/policy`, { Authorization: 'allow-one' });
      assert.equal(status, 200);
      assert.deepEqual(body.authorizer, {
        principalId: 'user-1',
        lambda: { tier: 'gold', seats: 3, admin: false },
      });
    });

    it('answers Deny with 403, Unauthorized with 401, a failure with 500', async () => {
      for (const [value, status, body] of [
        ['deny', 403, { message: 'Forbidden' }],
        ['unauthorized', 401, UNAUTHORIZED],
        ['invalid', 500, { message: 'Internal Server Error' }],
        ['slow', 500, { message: 'Internal Server Error' }],
      ] as const) {
        const answer = await get(`${base}/policy`, { Authorization: value });
        assert.equal(answer.status, status, value);
        assert.deepEqual(answer.body, body, value);
      }
    });

    it('without resultTtlInSeconds caches nothing', async () => {
      const before = await invokedSoFar('tokenAuth');
      for (let i = 0; i < 2; i++) {
        assert.equal((await get(`${base}/policy`, { Authorization: 'allow-all' })).status, 200);
      }
      await invokedTimes('tokenAuth', before + 2);
    });
  });

  describe('HTTP API JWT authorizer', () => {
    it('passes a valid token, its claims and scopes in requestContext.authorizer.jwt', async () => {
      const { status, body } = await get(`${base}/jwt`, { Authorization: `Bearer ${await jwt()}` });
      assert.equal(status, 200);
      const { claims, scopes } = body.authorizer.jwt;
      assert.equal(claims.sub, 'user-7');
      assert.equal(claims.iss, issuer);
      assert.equal(claims.exp, String(FUTURE));
      assert.deepEqual(scopes, ['orders/read', 'profile']);
    });

    it('takes client_id for aud, and scp for scope', async () => {
      const value = await jwt({
        aud: undefined,
        client_id: 'emulate-tests',
        scope: undefined,
        scp: ['orders/read'],
      });
      const { status, body } = await get(`${base}/jwt`, { Authorization: value });
      assert.equal(status, 200);
      assert.deepEqual(body.authorizer.jwt.scopes, ['orders/read']);
    });

    it('answers a token without the route scope with 403', async () => {
      const { status, body, headers } = await get(`${base}/jwt`, {
        Authorization: await jwt({ scope: 'profile' }),
      });
      assert.equal(status, 403);
      assert.deepEqual(body, { message: 'Forbidden' });
      assert.match(String(headers['www-authenticate']), /error="insufficient_scope"/);
    });

    it('answers 401 for a missing, malformed, expired, not yet valid, foreign or misaddressed token', async () => {
      const tokens = {
        none: undefined,
        garbage: 'Bearer not.a.jwt',
        expired: await jwt({ exp: PAST }),
        'no exp': await jwt({ exp: undefined }),
        'not yet valid': await jwt({ nbf: FUTURE - 1 }),
        'other issuer': await jwt({ iss: POOL_ISSUER }),
        'other audience': await jwt({ aud: 'someone-else' }),
        'foreign key': await jwt({}, strangerKey),
      };
      for (const [what, value] of Object.entries(tokens)) {
        const { status, body, headers } = await get(`${base}/jwt`, value ? { Authorization: value } : {});
        assert.equal(status, 401, what);
        assert.deepEqual(body, UNAUTHORIZED, what);
        assert.match(String(headers['www-authenticate']), /error="invalid_token"/, what);
      }
    });
  });

  describe('HTTP API AWS_IAM', () => {
    it('answers an unsigned request with 403', async () => {
      const { status, body } = await get(`${base}/iam`);
      assert.equal(status, 403);
      assert.deepEqual(body, { message: 'Forbidden' });
    });

    it('passes a SigV4-signed request with requestContext.authorizer.iam', async () => {
      const url = `${base}/iam`;
      const { status, body } = await get(url, await signed(url));
      assert.equal(status, 200);
      assert.equal(body.authorizer.iam.accessKey, 'AKIDEXAMPLE');
      assert.equal(body.authorizer.iam.userId, 'AKIDEXAMPLE');
    });
  });

  describe('HTTP API routes with payload 1.0', () => {
    it('JWT: claims and scopes in requestContext.authorizer', async () => {
      const { status, body } = await get(`${base}/v1/jwt`, { Authorization: await jwt() });
      assert.equal(status, 200);
      assert.equal(body.authorizer.claims.sub, 'user-7');
      assert.equal(body.authorizer.claims.aud, 'emulate-tests');
      assert.deepEqual(body.authorizer.scopes, ['orders/read', 'profile']);
      assert.equal((await get(`${base}/v1/jwt`, { Authorization: await jwt({ scope: 'x' }) })).status, 403);
    });

    it('AWS_IAM: the caller in requestContext.identity', async () => {
      const url = `${base}/v1/iam`;
      const { status, body } = await get(url, await signed(url));
      assert.equal(status, 200);
      assert.equal(body.identity.accessKey, 'AKIDEXAMPLE');
      assert.equal((await get(url)).status, 403);
    });

    it('Lambda: the context in requestContext.authorizer.lambda', async () => {
      const { status, body } = await get(`${base}/v1/simple`, { Authorization: 'let-me-in' });
      assert.equal(status, 200);
      assert.deepEqual(body.authorizer.lambda, { user: 'ada', roles: ['admin'], version: '2.0' });
    });
  });

  describe('WebSocket $connect authorizer', () => {
    const refusal = async (query: string) => {
      const socket = new WebSocket(`${emulator.websocket}${query}`);
      socket.on('error', () => undefined); // a refused upgrade also reports an error
      const [, response] = (await once(socket, 'unexpected-response')) as [unknown, http.IncomingMessage];
      socket.terminate();
      return response.statusCode;
    };

    it('refuses the upgrade with 401 without the identity, without invoking', async () => {
      const before = await invokedSoFar('socketAuth');
      assert.equal(await refusal(''), 401);
      assert.equal(await refusal('?token='), 401);
      await invokedTimes('socketAuth', before);
    });

    it('refuses the upgrade with 403 when the policy denies', async () => {
      assert.equal(await refusal('?token=wrong'), 403);
    });

    it('refuses the upgrade with 401 for Unauthorized and with 500 when the authorizer fails', async () => {
      assert.equal(await refusal('?token=unauthorized'), 401);
      assert.equal(await refusal('?token=broken'), 500);
      await emulator.waitForOutput(/✗ authorizer socketAuth of websocket \$connect failed: broken: 500/);
    });

    it('lets the connection in and passes principalId and context to $connect and later routes', async () => {
      const socket = new WebSocket(`${emulator.websocket}?token=let-me-in`);
      await once(socket, 'open');
      socket.send('hello');
      const [data] = (await once(socket, 'message')) as [Buffer];
      const { integrationLatency, ...authorizer } = JSON.parse(data.toString());
      assert.deepEqual(authorizer, {
        principalId: 'user-1',
        user: 'grace',
        type: 'REQUEST',
        route: '$connect',
      });
      assert.equal(typeof integrationLatency, 'number');
      socket.close();
      await once(socket, 'close');
    });
  });

  it('reports the authorizer functions, the WebSocket one as REQUEST', async () => {
    const { code, stdout } = await serverless(fixture('authorizers'), ['invocation-report'], env());
    assert.equal(code, 0, stdout);
    const text = stdout.replace(/\s+/g, ' '); // the report wraps its lines
    assert.match(text, /REQUEST authorizer of websocket \$connect \(function connect\)/);
    assert.match(text, /TOKEN authorizer of http GET \/token\/one \(function echo\)/);
    assert.match(text, /REQUEST authorizer of httpApi GET \/simple \(function echo\)/);
  });
});

describe('sls emulate: a JWT authorizer whose issuer has no JWKS to be had', function () {
  this.timeout(90_000);
  let emulator: RunningEmulator;
  let dir: string;
  let server: http.Server;
  let issuer: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'emulate-authorizers-'));
    const pool = await generateKeyPair('RS256');
    writeFileSync(
      path.join(dir, 'pool.json'),
      JSON.stringify({ keys: [{ ...(await exportJWK(pool.publicKey)), kid: 'pool' }] }),
    );
    // An issuer that answers, but with neither a discovery document nor a JWKS.
    server = http.createServer((_request, response) => {
      response.statusCode = 404;
      response.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/issuer`;
    emulator = await startEmulator(fixture('authorizers'), [], {
      JWT_ISSUER: issuer,
      POOL_JWKS: path.join(dir, 'pool.json'),
    });
  });

  after(async () => {
    if (emulator) assert.equal(await emulator.stop(), 0);
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const jwt = async (claims: JWTPayload) =>
    new SignJWT({ iss: issuer, aud: 'emulate-tests', exp: FUTURE, scope: 'orders/read', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'any' })
      .sign((await generateKeyPair('RS256')).privateKey);

  it('warns once at start that it checks claims only', () => {
    const warnings = emulator.output().match(/JWT authorizers jwt: no JWKS found at the issuer.*/g);
    assert.equal(warnings?.length, 1, emulator.output());
    assert.match(warnings[0], /signatures are not verified/);
  });

  it('passes a token signed by any key, and still checks its claims', async () => {
    const { status, body } = await get(`${emulator.http}/jwt`, { Authorization: await jwt({}) });
    assert.equal(status, 200);
    assert.equal(body.authorizer.jwt.claims.iss, issuer);
    assert.equal(
      (await get(`${emulator.http}/jwt`, { Authorization: await jwt({ exp: PAST }) })).status,
      401,
    );
    assert.equal((await get(`${emulator.http}/jwt`, { Authorization: await jwt({ aud: 'x' }) })).status, 401);
  });
});
