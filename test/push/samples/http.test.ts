import { strict as assert } from 'node:assert';
import type {
  ALBEvent,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  LambdaFunctionURLEvent,
} from 'aws-lambda';
import type { LambdaIntegrationEvent } from '../../../src/push/http/events-lambda';
import { apiIdOf } from '../../../src/push/http/ids';
import { sourceInvocation } from '../../../src/classify/origin';
import {
  albSampleEvent,
  concretePath,
  httpApiEvent,
  httpEvent,
  urlEvent,
} from '../../../src/push/samples/http';
import { service, sourceOf } from './helpers';

describe('push/samples http', () => {
  it('fills a route template with sample path parameters', () => {
    assert.deepEqual(concretePath('/users/{id}/files/{proxy+}'), {
      path: '/users/sample-id/files/sample/path',
      pathParameters: { id: 'sample-id', proxy: 'sample/path' },
    });
    assert.deepEqual(concretePath('health'), { path: '/health', pathParameters: null });
  });

  it('sends a REST API route the proxy event of a request under the stage', () => {
    const { spec, context, sample } = sourceOf('http', service([{ http: 'GET orders/{id}' }]));
    const event: APIGatewayProxyEvent = httpEvent(spec, context()) as APIGatewayProxyEvent;
    assert.equal(event.resource, '/orders/{id}');
    assert.equal(event.path, '/orders/sample-id');
    assert.equal(event.httpMethod, 'GET');
    assert.deepEqual(event.pathParameters, { id: 'sample-id' });
    assert.equal(event.body, null);
    assert.equal(event.requestContext.stage, 'dev');
    assert.equal(event.requestContext.path, '/dev/orders/sample-id');
    assert.equal(event.requestContext.apiId, apiIdOf('svc', 'dev', 'rest'));
    assert.equal(event.requestContext.identity.sourceIp, '203.0.113.10');
    assert.equal(event.headers['X-Forwarded-Proto'], 'https');
    assert.deepEqual(sample(), event);
  });

  it('sends the overrides as a JSON body, POST for ANY', () => {
    const { sample } = sourceOf('http', service([{ http: { method: 'any', path: '/items' } }]));
    const event = sample({ name: 'x' }) as APIGatewayProxyEvent;
    assert.equal(event.httpMethod, 'POST');
    assert.equal(event.body, '{"name":"x"}');
    assert.equal(event.headers['Content-Type'], 'application/json');
    const text = sample('hello') as APIGatewayProxyEvent;
    assert.equal(text.body, 'hello');
    assert.equal(text.headers['Content-Type'], 'text/plain');
  });

  it("renders the framework's request template for integration: lambda", () => {
    const { sample } = sourceOf(
      'http',
      service([{ http: { method: 'post', path: 'items', integration: 'lambda' } }]),
    );
    const event = sample({ a: 1 }) as LambdaIntegrationEvent;
    assert.deepEqual(event.body, { a: 1 });
    assert.equal(event.method, 'POST');
    assert.equal(event.stage, 'dev');
    assert.equal((sample('hello') as LambdaIntegrationEvent).body, 'hello');
  });

  it('sends an HTTP API route payload 2.0, and 1.0 when the service asks', () => {
    const v2 = sourceOf('httpApi', service([{ httpApi: 'POST /things/{proxy+}' }]));
    const event: APIGatewayProxyEventV2 = httpApiEvent(v2.spec, v2.context()) as APIGatewayProxyEventV2;
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, 'POST /things/{proxy+}');
    assert.equal(event.rawPath, '/things/sample/path');
    assert.equal(event.requestContext.http.method, 'POST');
    assert.equal(event.requestContext.stage, '$default');
    assert.deepEqual(v2.sample(), event);
    const v1 = sourceOf(
      'httpApi',
      service([{ httpApi: 'GET /a' }], { provider: { httpApi: { payload: '1.0' } } }),
    );
    const legacy = v1.sample() as APIGatewayProxyEvent & { version: string };
    assert.equal(legacy.version, '1.0');
    assert.equal(legacy.requestContext.stage, '$default');
  });

  it('sends the $default route a request to the root', () => {
    const { sample } = sourceOf('httpApi', service([{ httpApi: '*' }]));
    const event = sample() as APIGatewayProxyEventV2;
    assert.equal(event.routeKey, '$default');
    assert.equal(event.rawPath, '/');
    assert.equal(event.requestContext.http.method, 'GET');
  });

  it("sends an ALB target a request its listener rule's conditions route to it", () => {
    const { spec, context, sample } = sourceOf(
      'alb',
      service([
        {
          alb: {
            listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:0:listener/app/lb/1/2',
            priority: 1,
            conditions: { path: '/hello/*', method: ['PUT'], host: ['*.example.com'] },
          },
        },
      ]),
    );
    const event: ALBEvent = albSampleEvent(spec, context());
    assert.equal(event.path, '/hello/sample');
    assert.equal(event.httpMethod, 'PUT');
    assert.equal(event.headers?.host, 'sample.example.com');
    assert.match(
      event.requestContext.elb.targetGroupArn,
      /^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\//,
    );
    assert.deepEqual(sample(), event);
  });

  it('sends a function URL the payload 2.0 event of its $default route', () => {
    const { spec, context, sample } = sourceOf('url', {
      functions: { fn: { handler: 'h.main', url: true } },
    });
    const event: LambdaFunctionURLEvent = urlEvent(spec, context());
    assert.equal(event.routeKey, '$default');
    assert.match(event.requestContext.domainName, /^[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws$/);
    assert.deepEqual(sample(), event);
  });

  it('is invoked synchronously, except an http route with async: true', () => {
    assert.equal(
      sourceInvocation(sourceOf('http', service([{ http: 'GET a' }])).spec).type,
      'RequestResponse',
    );
    const async = sourceOf(
      'http',
      service([{ http: { method: 'post', path: 'a', integration: 'lambda', async: true } }]),
    );
    assert.equal(sourceInvocation(async.spec).type, 'Event');
    assert.equal(
      sourceInvocation(sourceOf('httpApi', service([{ httpApi: '*' }])).spec).type,
      'RequestResponse',
    );
    const url = sourceOf('url', { functions: { fn: { handler: 'h.main', url: true } } });
    assert.equal(sourceInvocation(url.spec).type, 'RequestResponse');
  });
});
