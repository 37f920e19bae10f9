import { strict as assert } from 'node:assert';
import { requestValidator } from '../../../src/push/http/request-validation';
import type { HttpEvent } from '../../../src/service/model';
import { modelOf } from '../../helpers/service';
import { incoming } from './requests';

const validatorOf = (request: unknown, apiGateway: Record<string, unknown> = {}) => {
  const fn = modelOf({
    functions: {
      api: { handler: 'h.main', events: [{ http: { method: 'post', path: 'x/{id}', request } }] },
    },
    provider: { apiGateway },
  }).functions[0];
  return requestValidator(fn, fn.events[0] as HttpEvent);
};

const post = (body: string, headers: Array<[string, string]> = [], url = '/dev/x/1') =>
  incoming('POST', url, [['Content-Type', 'application/json'], ...headers], body);

describe('push/http request validation', () => {
  it('has nothing to check without required parameters or schemas', () => {
    assert.equal(validatorOf({ parameters: { querystrings: { q: false } } }), undefined);
  });

  it('refuses missing or blank required parameters, in the order path, query string, header', () => {
    const validate = validatorOf({
      parameters: {
        paths: { id: true },
        querystrings: { q: true, opt: false },
        headers: { 'X-Key': { required: true } },
      },
    });
    const refused = validate?.(post('{}', [], '/dev/x/1?q='), { id: '' });
    assert.equal(refused?.statusCode, 400);
    assert.equal(refused?.body, '{"message":"Missing required request parameters: [id, q, X-Key]"}');
    assert.equal(validate?.(post('{}', [['x-key', 'k']], '/dev/x/1?q=1'), { id: '1' }), undefined);
  });

  it('validates the body against its content type’s draft-04 schema: inline, named in the provider, or JSON text', () => {
    const schema = {
      type: 'object',
      required: ['n'],
      properties: { n: { type: 'integer', maximum: 5, exclusiveMaximum: true } },
    };
    for (const validate of [
      validatorOf({ schemas: { 'application/json': schema } }),
      validatorOf(
        { schemas: { 'application/json': 'Model' } },
        { request: { schemas: { Model: { name: 'Model', schema } } } },
      ),
      validatorOf({ schemas: { 'application/json': JSON.stringify(schema) } }),
    ]) {
      assert.equal(validate?.(post('{"n": 4}'), null), undefined);
      // draft-04: exclusiveMaximum is a boolean beside maximum.
      for (const body of ['{"n": 5}', '{}', 'not json']) {
        const refused = validate?.(post(body), null);
        assert.equal(refused?.statusCode, 400, body);
        assert.equal(refused?.body, '{"message": "Invalid request body"}');
      }
    }
  });

  it('leaves a body of a content type without a model alone', () => {
    const validate = validatorOf({ schemas: { 'application/json': { type: 'object' } } });
    assert.equal(
      validate?.(incoming('POST', '/dev/x/1', [['Content-Type', 'text/plain']], 'x'), null),
      undefined,
    );
  });

  it('names a schema that is not one in a ConfigError', () => {
    assert.throws(
      () => validatorOf({ schemas: { 'application/json': 'NoSuchModel' } }),
      /functions\.api\.events\.0\.http\.request\.schemas\.application\/json must be a JSON schema/,
    );
    assert.throws(
      () => validatorOf({ schemas: { 'application/json': { type: 'nope' } } }),
      /request\.schemas\.application\/json is not a JSON Schema \(draft 4\)/,
    );
  });
});
