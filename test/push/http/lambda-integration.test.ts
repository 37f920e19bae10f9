import { strict as assert } from 'node:assert';
import type { InvokeOutcome } from '../../../src/lambda/types';
import { lambdaIntegration, type TemplateScope } from '../../../src/push/http/lambda-integration';
import type { HttpEvent } from '../../../src/service/model';
import { modelOf } from '../../helpers/service';
import { incoming } from './requests';

const integrationOf = (http: Record<string, unknown>) => {
  const fn = modelOf({
    functions: {
      legacy: {
        handler: 'h.main',
        events: [{ http: { method: 'post', path: 'x', integration: 'lambda', ...http } }],
      },
    },
  }).functions[0];
  return lambdaIntegration(fn, fn.events[0] as HttpEvent);
};

const scope: TemplateScope = {
  context: { requestId: 'req-1', stage: 'dev', httpMethod: 'POST', identity: { sourceIp: '203.0.113.7' } },
  params: { path: { id: '7' }, querystring: { q: 'a b' }, header: { 'X-Trace': 't1' } },
  stageVariables: {},
};

const outcome = (payload: unknown, errorMessage?: string): InvokeOutcome => ({
  requestId: 'r',
  statusCode: 200,
  payload: JSON.stringify(payload),
  durationMs: 1,
  ...(errorMessage === undefined
    ? {}
    : { functionError: 'Unhandled', error: { errorType: 'Error', errorMessage } }),
});

const post = (body: string, contentType = 'application/json') =>
  incoming('POST', '/dev/x', [['Content-Type', contentType]], body);
const input = (body: string, contentType?: string) => ({
  request: post(body, contentType),
  stage: 'dev',
  resourcePath: '/x',
  pathParameters: { id: '7' },
});
const noDecoration = () => undefined;

describe('push/http lambda integration (integration: lambda)', () => {
  describe('request templates', () => {
    it('renders a custom template with $input, $util and $context as API Gateway evaluates them', () => {
      const integration = integrationOf({
        request: {
          template: {
            'application/json': [
              "#set($body = $input.path('$'))",
              '{"name": "$util.escapeJavaScript($body.name)", "first": $input.json(\'$.tags[0]\'),',
              ' "all": $input.json(\'$\'), "id": "$input.params(\'id\')", "q": "$input.params().querystring.q",',
              ' "trace": "$input.params(\'x-trace\')", "encoded": "$util.urlEncode($input.params(\'q\'))",',
              ' "b64": "$util.base64Encode(\'hi\')", "parsed": $util.parseJson(\'{"n":1}\').n,',
              ' "requestId": "$context.requestId", "ip": "$context.identity.sourceIp",',
              ' "long": #if($body.name.matches("[a-z]+ .*"))true#{else}false#end, "raw": "$util.escapeJavaScript($input.body)"}',
            ].join('\n'),
          },
        },
      });
      const rendered = integration.request(
        input('{"name":"it\'s \\"x\\"","tags":["a","b"]}'),
        scope,
        noDecoration,
      );
      assert.ok(rendered.ok);
      assert.deepEqual(JSON.parse(rendered.payload.replaceAll("\\'", "'")), {
        name: 'it\'s "x"',
        first: 'a',
        all: { name: 'it\'s "x"', tags: ['a', 'b'] },
        id: '7',
        q: 'a b',
        trace: 't1',
        encoded: 'a+b',
        b64: 'aGk=',
        parsed: 1,
        requestId: 'req-1',
        ip: '203.0.113.7',
        long: false,
        raw: '{"name":"it\'s \\"x\\"","tags":["a","b"]}',
      });
    });

    it("renders the framework's default template (and its decoration) when no custom one matches", () => {
      const integration = integrationOf({});
      const rendered = integration.request(
        input('{"a":1}'),
        scope,
        (event) => (event.principalId = 'user-1'),
      );
      assert.ok(rendered.ok);
      const event = JSON.parse(rendered.payload);
      assert.deepEqual(event.body, { a: 1 });
      assert.equal(event.principalId, 'user-1');
      assert.deepEqual(event.path, { id: '7' });
    });

    it('answers 400 when a template reads a body that is not JSON', () => {
      const integration = integrationOf({
        request: { template: { 'application/json': '$input.json("$")' } },
      });
      const rendered = integration.request(input('{not json'), scope, noDecoration);
      assert.ok(!rendered.ok);
      assert.equal(rendered.result.statusCode, 400);
      assert.match(
        JSON.parse(rendered.result.body as string).message,
        /^Could not parse request body into json: /,
      );
    });

    it('applies passThrough to a content type without a template: NEVER 415, WHEN_NO_MATCH the body as sent', () => {
      const never = integrationOf({}).request(input('<a/>', 'application/xml'), scope, noDecoration);
      assert.ok(!never.ok);
      assert.equal(never.result.statusCode, 415);
      const passed = integrationOf({ request: { passThrough: 'WHEN_NO_MATCH' } }).request(
        input('<a/>', 'application/xml'),
        scope,
        noDecoration,
      );
      assert.deepEqual(passed, { ok: true, payload: '<a/>' });
    });

    it('removes a default template set to null', () => {
      const integration = integrationOf({ request: { template: { 'application/json': null } } });
      const rendered = integration.request(input('{}'), scope, noDecoration);
      assert.ok(!rendered.ok);
      assert.equal(rendered.result.statusCode, 415);
    });

    it('refuses a template Velocity cannot parse with a ConfigError naming the function, event and key', () => {
      assert.throws(
        () => integrationOf({ request: { template: { 'application/json': '#if(' } } }),
        /functions\.legacy\.events\.0\.http\.request\.template\.application\/json is not a Velocity template/,
      );
    });
  });

  describe('integration responses', () => {
    it("passes a result through with 200 under the framework's default status codes", () => {
      const result = integrationOf({}).response(outcome({ a: 1 }), undefined, scope);
      assert.deepEqual(result, {
        statusCode: 200,
        headers: { 'Content-Type': 'application/json' },
        body: '{"a":1}',
      });
    });

    it('selects the default status codes from [NNN] in the error message (matched whole), 200 when none matches', () => {
      const integration = integrationOf({});
      const status = (message: string) =>
        integration.response(outcome({ errorMessage: message }, message), undefined, scope).statusCode;
      assert.equal(status('[404] no such user'), 404);
      assert.equal(status('bad input [400]\nsee docs'), 400);
      assert.equal(status('RequestId: x Process exited before completing request'), 500);
      assert.equal(status('2024-01-01T00:00:00.000Z abc Task timed out after 6.01 seconds'), 504);
      assert.equal(status('Task timed out after 6 seconds'), 200);
      assert.equal(status('[418] teapot'), 200);
    });

    it('renders statusCodes with their pattern, template and headers, and response.template for the rest', () => {
      const integration = integrationOf({
        response: {
          headers: { 'Content-Type': "'text/html'", 'X-Item': 'integration.response.body.id' },
          template: "<p>$input.path('$.id')</p>",
          statusCodes: {
            201: { pattern: '' },
            409: { pattern: '.*exists.*', template: '{"conflict": "$input.path(\'$.errorMessage\')"}' },
          },
        },
      });
      const created = integration.response(outcome({ id: 'i-1' }), 'text/html', scope);
      assert.deepEqual(created, {
        statusCode: 201,
        headers: { 'Content-Type': 'text/html', 'X-Item': 'i-1' },
        body: '<p>i-1</p>',
      });
      const conflict = integration.response(
        outcome({ errorMessage: 'item exists' }, 'item exists'),
        undefined,
        scope,
      );
      assert.equal(conflict.statusCode, 409);
      assert.deepEqual(JSON.parse(conflict.body as string), { conflict: 'item exists' });
    });
  });
});
