import { strict as assert } from 'node:assert';
import { fromWebPage, hostAllowList } from '../src/request-guard';

describe('request-guard: what every port answers', () => {
  it('answers loopback names, IP addresses, --host and the allowed hosts, and no other Host', () => {
    const allowed = hostAllowList('dev-box', ['app.test', '.internal.example'], [/\.amazonaws\.com$/]);
    for (const host of [
      'localhost:4566',
      'LOCALHOST',
      'bucket.localhost:4566',
      '127.0.0.1:4566',
      '127.1.2.3',
      '[::1]:4566',
      '192.168.1.20:3000',
      'dev-box:3000',
      'app.test',
      'internal.example',
      'api.internal.example:443',
      'bucket.s3.us-east-1.amazonaws.com',
      undefined,
    ]) {
      assert.equal(allowed(host), true, String(host));
    }
    for (const host of [
      'evil.example:4566',
      'localhost.evil.example',
      'app.test.evil',
      'amazonaws.com.evil',
    ]) {
      assert.equal(allowed(host), false, host);
    }
  });

  it('tells a browser request for a page from what the AWS clients send', () => {
    assert.equal(fromWebPage({ origin: 'http://evil.example' }), true);
    assert.equal(fromWebPage({ 'sec-fetch-site': 'cross-site' }), true);
    assert.equal(fromWebPage({ 'sec-fetch-site': 'same-site' }), true);
    assert.equal(fromWebPage({ 'sec-fetch-site': 'none' }), false);
    assert.equal(fromWebPage({ 'user-agent': 'aws-sdk-js/3', authorization: 'AWS4-HMAC-SHA256 ...' }), false);
  });
});
