import { strict as assert } from 'node:assert';
import { RouteTable, type Match, type RouteOptions } from '../../../src/push/http/routes';
import { modelOf } from '../../helpers/service';
import { incoming } from './requests';

/** A service with one function per entry, each with the given events. */
function table(
  functions: Record<string, unknown[]>,
  options: RouteOptions = {},
  url?: Record<string, unknown>,
) {
  const config: Record<string, unknown> = {};
  for (const [key, events] of Object.entries(functions)) {
    config[key] = { handler: `${key}.handler`, events, ...(url && key in url ? { url: url[key] } : {}) };
  }
  return new RouteTable(modelOf({ functions: config }), options);
}

/** The function key a request reaches, with the path and parameters the front sees, or the miss. */
function reach(routes: RouteTable, method: string, url: string, headers: Array<[string, string]> = []) {
  const match: Match = routes.match(incoming(method, url, headers));
  if (match.type !== 'route') return match.type === 'none' ? `none:${match.front}` : match.type;
  return { fn: match.route.fn.key, path: match.path, params: match.pathParameters };
}

describe('push/http routes', () => {
  describe('REST API (http events)', () => {
    const rest = table({
      list: [{ http: 'GET users' }],
      me: [{ http: 'GET users/me' }],
      one: [{ http: 'GET users/{id}' }],
      anyOne: [{ http: 'ANY users/{id}' }],
      nested: [{ http: 'GET users/{id}/orders/{orderId}' }],
      files: [{ http: 'GET files/{proxy+}' }],
      catchAll: [{ http: 'ANY {proxy+}' }],
      posts: [{ http: 'POST posts' }],
    });

    it('serves routes under the stage prefix', () => {
      assert.deepEqual(reach(rest, 'GET', '/dev/users'), { fn: 'list', path: '/users', params: null });
    });

    it('prefers a static segment to a path parameter', () => {
      assert.equal((reach(rest, 'GET', '/dev/users/me') as { fn: string }).fn, 'me');
      assert.deepEqual(reach(rest, 'GET', '/dev/users/42'), {
        fn: 'one',
        path: '/users/42',
        params: { id: '42' },
      });
    });

    it('prefers the method route to ANY on the same resource', () => {
      assert.equal((reach(rest, 'GET', '/dev/users/42') as { fn: string }).fn, 'one');
      assert.equal((reach(rest, 'DELETE', '/dev/users/42') as { fn: string }).fn, 'anyOne');
    });

    it('decodes path parameters', () => {
      assert.deepEqual((reach(rest, 'GET', '/dev/users/a%20b%2Fc') as { params: unknown }).params, {
        id: 'a b/c',
      });
      assert.deepEqual((reach(rest, 'GET', '/dev/users/%E0%A4%A') as { params: unknown }).params, {
        id: '%E0%A4%A',
      });
    });

    it('matches several parameters of one path', () => {
      assert.deepEqual((reach(rest, 'GET', '/dev/users/7/orders/9') as { params: unknown }).params, {
        id: '7',
        orderId: '9',
      });
    });

    it('gives a greedy parameter the rest of the path, and only after the more specific routes', () => {
      assert.deepEqual(reach(rest, 'GET', '/dev/files/a/b/c.txt'), {
        fn: 'files',
        path: '/files/a/b/c.txt',
        params: { proxy: 'a/b/c.txt' },
      });
      assert.equal((reach(rest, 'GET', '/dev/users/7/orders/9') as { fn: string }).fn, 'nested');
      assert.deepEqual((reach(rest, 'PUT', '/dev/anything/else') as { params: unknown }).params, {
        proxy: 'anything/else',
      });
    });

    it('does not let a greedy parameter match an empty remainder', () => {
      assert.equal((reach(rest, 'GET', '/dev/files') as { fn: string }).fn, 'catchAll');
      assert.equal(reach(rest, 'GET', '/dev'), 'none:rest');
    });

    it('ignores a trailing slash', () => {
      assert.equal((reach(rest, 'GET', '/dev/users/') as { fn: string }).fn, 'list');
    });

    it('answers 403 (front rest) for a path under the stage that no resource or method serves', () => {
      const only = table({ posts: [{ http: 'POST posts' }] });
      assert.equal(reach(only, 'GET', '/dev/posts'), 'none:rest');
      assert.equal(reach(only, 'GET', '/dev/nothing'), 'none:rest');
    });

    it('answers 404 (front httpApi) outside the stage prefix', () => {
      const only = table({ posts: [{ http: 'POST posts' }] });
      assert.equal(reach(only, 'POST', '/posts'), 'none:httpApi');
      assert.equal(reach(only, 'POST', '/development/posts'), 'none:httpApi');
    });

    it('drops the stage prefix with noStagePrefix', () => {
      const bare = table({ posts: [{ http: 'POST posts' }] }, { noStagePrefix: true });
      assert.deepEqual(reach(bare, 'POST', '/posts'), { fn: 'posts', path: '/posts', params: null });
      assert.equal(reach(bare, 'POST', '/dev/posts'), 'none:rest');
      const shared = table(
        { posts: [{ http: 'POST posts' }], api: [{ httpApi: 'GET /x' }] },
        { noStagePrefix: true },
      );
      assert.equal(reach(shared, 'POST', '/nothing'), 'none:httpApi');
    });

    it('serves no route for integrations that do not invoke a function', () => {
      const mock = table({ m: [{ http: { method: 'get', path: 'mock', integration: 'mock' } }] });
      assert.equal(reach(mock, 'GET', '/dev/mock'), 'none:httpApi');
    });

    it('answers OPTIONS with the preflight on a path with CORS', () => {
      const cors = table({ posts: [{ http: { method: 'post', path: 'posts', cors: true } }] });
      assert.equal(reach(cors, 'OPTIONS', '/dev/posts'), 'restPreflight');
    });
  });

  describe('HTTP API (httpApi events)', () => {
    const api = table({
      exact: [{ httpApi: 'GET /pets/dog/1' }],
      param: [{ httpApi: 'GET /pets/dog/{id}' }],
      greedy: [{ httpApi: 'GET /pets/{proxy+}' }],
      any: [{ httpApi: 'ANY /{proxy+}' }],
      fallback: [{ httpApi: '*' }],
    });

    it('routes as the documented example: exact, then parameters, then greedy, then ANY', () => {
      assert.equal((reach(api, 'GET', '/pets/dog/1') as { fn: string }).fn, 'exact');
      assert.equal((reach(api, 'GET', '/pets/dog/2') as { fn: string }).fn, 'param');
      assert.equal((reach(api, 'GET', '/pets/cat/1') as { fn: string }).fn, 'greedy');
      assert.equal((reach(api, 'POST', '/pets/dog/1') as { fn: string }).fn, 'any');
    });

    it('serves routes at the root, with no stage prefix', () => {
      assert.deepEqual(reach(api, 'GET', '/pets/dog/1'), { fn: 'exact', path: '/pets/dog/1', params: null });
    });

    it('sends what no route matches to $default', () => {
      assert.deepEqual(reach(api, 'GET', '/'), { fn: 'fallback', path: '/', params: null });
    });

    it('answers 404 (front httpApi) when there is no $default', () => {
      const noDefault = table({ exact: [{ httpApi: 'GET /pets' }] });
      assert.equal(reach(noDefault, 'POST', '/pets'), 'none:httpApi');
    });

    it('keeps the route key for the event', () => {
      const match = api.match(incoming('GET', '/pets/dog/2'));
      assert.ok(match.type === 'route' && match.route.kind === 'httpApi');
      assert.equal(match.route.routeKey, 'GET /pets/dog/{id}');
      const fallback = api.match(incoming('GET', '/'));
      assert.ok(fallback.type === 'route' && fallback.route.kind === 'httpApi');
      assert.equal(fallback.route.routeKey, '$default');
    });

    it('answers a CORS preflight itself when provider.httpApi.cors is set', () => {
      const cors = table({ exact: [{ httpApi: 'GET /pets' }] }, { httpApiCors: true });
      const preflight: Array<[string, string]> = [
        ['Origin', 'https://app.example.com'],
        ['Access-Control-Request-Method', 'GET'],
      ];
      assert.equal(reach(cors, 'OPTIONS', '/pets', preflight), 'apiPreflight');
      assert.equal(reach(cors, 'OPTIONS', '/pets'), 'none:httpApi');
    });
  });

  describe('ALB (alb events)', () => {
    const alb = (priority: number, conditions: Record<string, unknown>) => ({
      alb: {
        listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123:listener/app/x/1/2',
        priority,
        conditions,
      },
    });
    const albs = table({
      low: [alb(2, { path: '/orders*' })],
      high: [alb(1, { path: '/orders/special', method: ['POST'] })],
      host: [alb(3, { host: ['api.*.com'] })],
      header: [alb(4, { header: { name: 'x-tenant', values: ['acme'] } })],
      query: [alb(5, { query: { version: 'v?' } })],
    });

    it('takes the rule with the lowest priority number among those whose conditions all hold', () => {
      assert.equal((reach(albs, 'POST', '/orders/special') as { fn: string }).fn, 'high');
      assert.equal((reach(albs, 'GET', '/orders/special') as { fn: string }).fn, 'low');
      assert.equal((reach(albs, 'GET', '/orders') as { fn: string }).fn, 'low');
    });

    it('matches path patterns case-sensitively', () => {
      assert.equal(reach(albs, 'GET', '/Orders'), 'none:httpApi');
    });

    it('matches host, header and query conditions with wildcards', () => {
      assert.equal(
        (reach(albs, 'GET', '/x', [['Host', 'API.example.com:3000']]) as { fn: string }).fn,
        'host',
      );
      assert.equal((reach(albs, 'GET', '/x', [['X-Tenant', 'ACME']]) as { fn: string }).fn, 'header');
      assert.equal((reach(albs, 'GET', '/x?version=v2') as { fn: string }).fn, 'query');
      assert.equal(reach(albs, 'GET', '/x?version=v22'), 'none:httpApi');
    });
  });

  describe('function URLs', () => {
    const urls = table({ api: [], other: [{ httpApi: '*' }] }, {}, { api: true, other: { cors: true } });

    it('serves a function URL under /lambda-url/{functionKey} with the prefix stripped', () => {
      assert.deepEqual(reach(urls, 'POST', '/lambda-url/api/a/b'), { fn: 'api', path: '/a/b', params: null });
      assert.deepEqual(reach(urls, 'GET', '/lambda-url/api'), { fn: 'api', path: '/', params: null });
      assert.deepEqual(reach(urls, 'GET', '/lambda-url/api/'), { fn: 'api', path: '/', params: null });
    });

    it('leaves an unknown function key to the other routes', () => {
      assert.equal((reach(urls, 'GET', '/lambda-url/nope/x') as { fn: string }).fn, 'other');
    });

    it('answers the preflight of a function URL with CORS', () => {
      const preflight: Array<[string, string]> = [
        ['origin', 'https://a.example'],
        ['access-control-request-method', 'PUT'],
      ];
      assert.equal(reach(urls, 'OPTIONS', '/lambda-url/other/', preflight), 'apiPreflight');
      assert.equal((reach(urls, 'OPTIONS', '/lambda-url/api/', preflight) as { fn: string }).fn, 'api');
    });
  });

  describe('the order between fronts', () => {
    it('tries REST, then HTTP API, then ALB rules, then $default', () => {
      const mixed = table({
        rest: [{ http: 'GET things' }],
        api: [{ httpApi: 'GET /things' }],
        alb: [
          {
            alb: {
              listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:1:listener/app/x/1/2',
              priority: 1,
              conditions: { path: '/things*' },
            },
          },
        ],
        fallback: [{ httpApi: '*' }],
      });
      assert.equal((reach(mixed, 'GET', '/dev/things') as { fn: string }).fn, 'rest');
      assert.equal((reach(mixed, 'GET', '/things') as { fn: string }).fn, 'api');
      assert.equal((reach(mixed, 'POST', '/things') as { fn: string }).fn, 'alb');
      assert.equal((reach(mixed, 'POST', '/stuff') as { fn: string }).fn, 'fallback');
      assert.equal((reach(mixed, 'POST', '/dev/things') as { fn: string }).fn, 'fallback');
    });

    it('lists every route with its method and path on the server', () => {
      const mixed = table(
        { rest: [{ http: 'GET things/{id}' }], api: [{ httpApi: '*' }] },
        {},
        { rest: true },
      );
      assert.deepEqual(mixed.list(), [
        { kind: 'rest', method: 'GET', path: '/dev/things/{id}', function: 'rest', authorizer: undefined },
        { kind: 'url', method: 'ANY', path: '/lambda-url/rest/', function: 'rest' },
        { kind: 'httpApi', method: 'ANY', path: '*', function: 'api', authorizer: undefined },
      ]);
    });
  });
});
