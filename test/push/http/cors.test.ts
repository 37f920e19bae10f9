import { strict as assert } from 'node:assert';
import {
  apiPreflightResponse,
  httpApiCorsOf,
  mergeRestCors,
  restCorsOf,
  restIntegrationCorsHeaders,
  restPreflight,
  restPreflightResponse,
  urlCorsOf,
  withApiCors,
} from '../../../src/push/http/cors';

const FRAMEWORK_HEADERS =
  'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id';

describe('push/http cors', () => {
  describe('http events (REST API)', () => {
    it('gives cors: true the framework defaults', () => {
      const preflight = restPreflightResponse(
        restPreflight(mergeRestCors([restCorsOf(true, 'post')])),
        undefined,
      );
      assert.deepEqual(preflight, {
        statusCode: 200,
        headers: {
          'Content-Type': 'application/json',
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Headers': FRAMEWORK_HEADERS,
          'Access-Control-Allow-Methods': 'OPTIONS,POST',
        },
        body: '',
      });
    });

    it('takes origin, headers, credentials, maxAge and cacheControl from a cors object', () => {
      const cors = restCorsOf(
        {
          origin: 'https://app.example.com',
          headers: ['Content-Type', 'X-Custom'],
          allowCredentials: true,
          maxAge: 86400,
          cacheControl: 'max-age=600',
        },
        'get',
      );
      assert.deepEqual(restPreflight(mergeRestCors([cors])).headers, {
        'Access-Control-Allow-Origin': 'https://app.example.com',
        'Access-Control-Allow-Headers': 'Content-Type,X-Custom',
        'Access-Control-Allow-Methods': 'OPTIONS,GET',
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Max-Age': '86400',
        'Cache-Control': 'max-age=600',
      });
    });

    it('merges the events of one path and expands ANY', () => {
      const merged = mergeRestCors([restCorsOf(true, 'get'), restCorsOf({ headers: 'X-Only' }, 'any')]);
      const headers = restPreflight(merged).headers;
      assert.equal(headers['Access-Control-Allow-Methods'], 'OPTIONS,DELETE,GET,HEAD,PATCH,POST,PUT,GET');
      assert.equal(headers['Access-Control-Allow-Headers'], `X-Only,${FRAMEWORK_HEADERS}`);
    });

    it('answers the first of several origins, or the request origin when it matches one', () => {
      const preflight = restPreflight(
        mergeRestCors([restCorsOf({ origins: ['https://a.example.com', 'https://*.b.example.com'] }, 'get')]),
      );
      const origin = (requestOrigin?: string) =>
        restPreflightResponse(preflight, requestOrigin).headers['Access-Control-Allow-Origin'];
      assert.equal(origin(undefined), 'https://a.example.com');
      assert.equal(origin('https://x.b.example.com'), 'https://x.b.example.com');
      assert.equal(origin('https://evil.example.org'), 'https://a.example.com');
      assert.equal(origin('https://aXexample.com'), 'https://a.example.com');
    });

    it('adds Allow-Origin and Allow-Credentials to non-proxy integration responses', () => {
      assert.deepEqual(restIntegrationCorsHeaders(restCorsOf(true, 'get')), {
        'Access-Control-Allow-Origin': '*',
      });
      assert.deepEqual(
        restIntegrationCorsHeaders(
          restCorsOf({ origins: ['https://a', 'https://b'], allowCredentials: true }, 'get'),
        ),
        { 'Access-Control-Allow-Origin': 'https://a,https://b', 'Access-Control-Allow-Credentials': 'true' },
      );
    });
  });

  describe('HTTP API and function URLs', () => {
    it('gives provider.httpApi.cors: true the framework defaults and the routes methods', () => {
      const cors = httpApiCorsOf(true, ['GET', 'POST']);
      assert.deepEqual(apiPreflightResponse(cors, 'https://app.example.com'), {
        statusCode: 204,
        headers: {
          'access-control-allow-origin': '*',
          'access-control-allow-headers': FRAMEWORK_HEADERS,
          'access-control-allow-methods': 'OPTIONS,GET,POST',
        },
        body: '',
      });
    });

    it('allows every method for an ANY route', () => {
      const cors = httpApiCorsOf(true, ['ANY']);
      assert.equal(cors.allowMethods, 'OPTIONS,GET,POST,PUT,PATCH,HEAD,DELETE');
    });

    it('answers a preflight from an origin not allowed without CORS headers', () => {
      const cors = httpApiCorsOf({ allowedOrigins: ['https://a.example.com'] }, ['GET']);
      assert.deepEqual(apiPreflightResponse(cors, 'https://b.example.com').headers, {});
      assert.equal(
        apiPreflightResponse(cors, 'https://a.example.com').headers['access-control-allow-origin'],
        'https://a.example.com',
      );
    });

    it('takes allowed methods, headers, credentials, exposed headers and maxAge from an object', () => {
      const cors = httpApiCorsOf(
        {
          allowedOrigins: ['https://*.example.com'],
          allowedHeaders: ['authorization'],
          allowedMethods: ['GET'],
          allowCredentials: true,
          exposedResponseHeaders: ['x-total'],
          maxAge: 60,
        },
        ['POST'],
      );
      assert.deepEqual(apiPreflightResponse(cors, 'https://app.example.com').headers, {
        'access-control-allow-origin': 'https://app.example.com',
        'access-control-allow-credentials': 'true',
        'access-control-allow-headers': 'authorization',
        'access-control-allow-methods': 'GET',
        'access-control-expose-headers': 'x-total',
        'access-control-max-age': '60',
      });
    });

    it('replaces the function CORS headers on a response', () => {
      const cors = httpApiCorsOf(
        { allowedOrigins: ['https://a.example.com'], exposedResponseHeaders: ['x-id'] },
        [],
      );
      const response = {
        statusCode: 200,
        headers: { 'Access-Control-Allow-Origin': '*', 'x-id': '1' },
        body: 'ok',
      };
      assert.deepEqual(withApiCors(response, cors, 'https://a.example.com').headers, {
        'x-id': '1',
        'access-control-allow-origin': 'https://a.example.com',
        'access-control-expose-headers': 'x-id',
      });
      assert.deepEqual(withApiCors(response, cors, undefined).headers, { 'x-id': '1' });
    });

    it('gives a function URL cors: true its framework defaults', () => {
      const cors = urlCorsOf(true);
      assert.deepEqual(apiPreflightResponse(cors, 'https://x').headers, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers':
          'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amzn-Trace-Id',
        'access-control-allow-methods': '*',
      });
    });
  });
});
