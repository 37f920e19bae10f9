import { strict as assert } from 'node:assert';
import { albResponse, v1Response, v2Response } from '../../../src/push/http/responses';

const json = (value: unknown) => JSON.stringify(value);
const yes = () => true;
const no = () => false;

describe('push/http responses', () => {
  describe('payload 1.0 (REST lambda-proxy, HTTP API payload 1.0)', () => {
    it('maps statusCode, headers and body', () => {
      const result = v1Response(
        json({ statusCode: 201, headers: { 'X-A': 'a', 'X-N': 1 }, body: 'made' }),
        no,
      );
      assert.deepEqual(result, {
        statusCode: 201,
        headers: { 'X-A': 'a', 'X-N': '1', 'Content-Type': 'application/json' },
        body: 'made',
      });
    });

    it('merges headers and multiValueHeaders, multiValueHeaders winning for a name in both', () => {
      const result = v1Response(
        json({
          statusCode: 200,
          headers: { 'Content-Type': 'text/plain', 'set-cookie': 'single=1' },
          multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
          body: '',
        }),
        no,
      );
      assert.deepEqual(result?.headers, { 'Set-Cookie': ['a=1', 'b=2'], 'Content-Type': 'text/plain' });
    });

    it('drops the length and framing headers the server computes itself', () => {
      const result = v1Response(
        json({ statusCode: 200, headers: { 'Content-Length': '999' }, body: 'x' }),
        no,
      );
      assert.deepEqual(result?.headers, { 'Content-Type': 'application/json' });
    });

    it('decodes an isBase64Encoded body only when asked to', () => {
      const payload = json({
        statusCode: 200,
        body: Buffer.from([0, 1, 2]).toString('base64'),
        isBase64Encoded: true,
      });
      assert.deepEqual(v1Response(payload, yes)?.body, Buffer.from([0, 1, 2]));
      assert.equal(v1Response(payload, no)?.body, 'AAEC');
    });

    it('sends an empty body when the result has none', () => {
      assert.equal(v1Response(json({ statusCode: 204 }), no)?.body, '');
    });

    it('rejects what is not an object with a numeric statusCode and scalar headers', () => {
      for (const bad of [
        'not json',
        '',
        json('a string'),
        json([1]),
        json(null),
        json({ body: 'no status' }),
        json({ statusCode: '200', body: '' }),
        json({ statusCode: 200.5 }),
        json({ statusCode: 200, body: { an: 'object' } }),
        json({ statusCode: 200, headers: { a: { b: 1 } } }),
        json({ statusCode: 200, headers: ['x'] }),
        json({ statusCode: 200, multiValueHeaders: { a: 'not an array' } }),
      ]) {
        assert.equal(v1Response(bad, no), undefined, bad);
      }
    });
  });

  describe('payload 2.0 (HTTP API, function URLs)', () => {
    it('infers a 200 JSON response from a result without statusCode', () => {
      assert.deepEqual(v2Response(json({ message: 'Hello from Lambda!' }), 'httpApi'), {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Hello from Lambda!"}',
      });
    });

    it('sends a string result as the body itself for HTTP API and as JSON text for a function URL', () => {
      assert.equal(v2Response(json('Hello, world!'), 'httpApi')?.body, 'Hello, world!');
      assert.equal(v2Response(json('Hello, world!'), 'url')?.body, '"Hello, world!"');
    });

    it('maps a structured result with cookies into Set-Cookie headers', () => {
      const result = v2Response(
        json({
          statusCode: 201,
          headers: { 'Content-Type': 'application/json', 'My-Custom-Header': 'Custom Value' },
          body: '{"message":"Hello, world!"}',
          cookies: ['Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT', 'Cookie_2=Value2; Max-Age=78000'],
          isBase64Encoded: false,
        }),
        'url',
      );
      assert.deepEqual(result, {
        statusCode: 201,
        headers: {
          'Content-Type': 'application/json',
          'My-Custom-Header': 'Custom Value',
          'set-cookie': ['Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT', 'Cookie_2=Value2; Max-Age=78000'],
        },
        body: '{"message":"Hello, world!"}',
      });
    });

    it('always decodes an isBase64Encoded body', () => {
      const payload = json({
        statusCode: 200,
        body: Buffer.from('png').toString('base64'),
        isBase64Encoded: true,
      });
      assert.deepEqual(v2Response(payload, 'httpApi')?.body, Buffer.from('png'));
    });

    it('rejects a malformed structured result and what is not JSON', () => {
      for (const bad of [
        '',
        'nope',
        json({ statusCode: 'ok' }),
        json({ statusCode: 200, body: 42 }),
        json({ statusCode: 200, cookies: 'a=1' }),
        json({ statusCode: 200, headers: { a: [1] } }),
      ]) {
        assert.equal(v2Response(bad, 'httpApi'), undefined, bad);
      }
    });
  });

  describe('ALB', () => {
    it('maps statusCode, statusDescription, headers and body', () => {
      const result = albResponse(
        json({
          statusCode: 200,
          statusDescription: '200 OK',
          isBase64Encoded: false,
          headers: { 'Content-Type': 'text/html' },
          body: '<h1>Hello from Lambda!</h1>',
        }),
        false,
      );
      assert.deepEqual(result, {
        statusCode: 200,
        statusMessage: 'OK',
        headers: { 'Content-Type': 'text/html' },
        body: '<h1>Hello from Lambda!</h1>',
      });
    });

    it('reads multiValueHeaders when the target group enables them, headers otherwise', () => {
      const payload = json({ statusCode: 200, headers: { a: '1' }, multiValueHeaders: { b: ['2', '3'] } });
      assert.deepEqual(albResponse(payload, true)?.headers, { b: ['2', '3'] });
      assert.deepEqual(albResponse(payload, false)?.headers, { a: '1' });
    });

    it('rejects a result without a numeric statusCode', () => {
      assert.equal(albResponse(json({ body: 'x' }), false), undefined);
      assert.equal(albResponse(json('x'), false), undefined);
    });
  });
});
