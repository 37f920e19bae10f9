import { strict as assert } from 'node:assert';
import type { CloudFrontRequestEvent, CloudFrontResponseEvent } from 'aws-lambda';
import { sourceInvocation } from '../../../src/classify/origin';
import { cloudFrontEvent, uriFor } from '../../../src/push/samples/cloudfront';
import { service, sourceOf } from './helpers';

const edge = (eventType: string, pathPattern?: string) =>
  sourceOf(
    'cloudFront',
    service([{ cloudFront: { eventType, origin: 'https://example.org', pathPattern } }]),
  );

describe('push/samples cloudFront', () => {
  it('sends a viewer-request event: config and the viewer request, no origin', () => {
    const { spec, context, sample } = edge('viewer-request');
    const event: CloudFrontRequestEvent = cloudFrontEvent(spec, context()) as CloudFrontRequestEvent;
    assert.equal(event.Records.length, 1);
    const { config, request } = event.Records[0].cf;
    assert.equal(config.eventType, 'viewer-request');
    assert.match(config.distributionId, /^E[A-Z0-9]{13}$/);
    assert.match(config.distributionDomainName, /^d[a-z0-9]{13}\.cloudfront\.net$/);
    assert.match(config.requestId, /^[A-Za-z0-9_-]{54}==$/);
    assert.equal(request.method, 'GET');
    assert.equal(request.uri, '/');
    assert.equal(request.querystring, '');
    assert.equal(request.clientIp, '203.0.113.10');
    assert.deepEqual(request.headers.host, [{ key: 'Host', value: config.distributionDomainName }]);
    assert.equal(request.origin, undefined);
    assert.deepEqual(sample(), event);
  });

  it('sends an origin-request event with the headers CloudFront adds and the origin', () => {
    const { sample } = edge('origin-request', '/images/*.jpg');
    const { request } = (sample() as CloudFrontRequestEvent).Records[0].cf;
    assert.equal(request.uri, '/images/sample.jpg');
    assert.deepEqual(request.headers['user-agent'], [{ key: 'User-Agent', value: 'Amazon CloudFront' }]);
    assert.deepEqual(request.headers['x-forwarded-for'], [{ key: 'X-Forwarded-For', value: '203.0.113.10' }]);
    assert.equal(request.origin?.custom?.domainName, 'example.org');
  });

  it('sends the response events the request and a 200 response', () => {
    for (const eventType of ['origin-response', 'viewer-response']) {
      const { spec, context } = edge(eventType);
      const event: CloudFrontResponseEvent = cloudFrontEvent(spec, context()) as CloudFrontResponseEvent;
      const { config, request, response } = event.Records[0].cf;
      assert.equal(config.eventType, eventType);
      assert.equal(request.method, 'GET');
      assert.equal(response.status, '200');
      assert.equal(response.statusDescription, 'OK');
      assert.deepEqual(response.headers.date, [{ key: 'Date', value: 'Mon, 06 May 2024 07:08:09 GMT' }]);
    }
  });

  it('makes a path the cache behavior routes here', () => {
    assert.equal(uriFor('*'), '/');
    assert.equal(uriFor('/api/*'), '/api/sample');
    assert.equal(uriFor('img/?.png'), '/img/x.png');
  });

  it('is invoked synchronously: CloudFront waits for the answer', () => {
    assert.equal(sourceInvocation(edge('viewer-request').spec).type, 'RequestResponse');
  });
});
