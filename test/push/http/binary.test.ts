import { strict as assert } from 'node:assert';
import { binaryMediaTypesTest, eventBody, isTextMediaType } from '../../../src/push/http/binary';
import { mediaTypeOf } from '../../../src/push/http/request';

describe('push/http binary bodies', () => {
  it('matches binaryMediaTypes exactly, by family and by */*', () => {
    const test = binaryMediaTypesTest(['image/*', 'application/octet-stream']);
    assert.equal(test('image/png'), true);
    assert.equal(test('application/octet-stream'), true);
    assert.equal(test('application/json'), false);
    assert.equal(test(''), false);
    const any = binaryMediaTypesTest(['*/*']);
    assert.equal(any('application/json'), true);
    assert.equal(binaryMediaTypesTest(undefined)('image/png'), false);
  });

  it('reads the media type of a header without its parameters', () => {
    assert.equal(mediaTypeOf('Image/PNG; charset=binary'), 'image/png');
    assert.equal(mediaTypeOf('image/webp,image/*,*/*;q=0.8'), 'image/webp');
    assert.equal(mediaTypeOf(undefined), '');
  });

  it('treats text, JSON, XML and JavaScript as text and the rest as binary', () => {
    for (const type of [
      'text/plain',
      'text/html',
      'application/json',
      'application/xml',
      'application/javascript',
    ]) {
      assert.equal(isTextMediaType(type), true, type);
    }
    assert.equal(isTextMediaType('application/vnd.api+json'), true);
    assert.equal(isTextMediaType('application/atom+xml'), true);
    for (const type of ['application/octet-stream', 'image/png', 'application/x-www-form-urlencoded', '']) {
      assert.equal(isTextMediaType(type), false, type);
    }
  });

  it('base64-encodes a binary body and leaves an empty one null', () => {
    assert.deepEqual(eventBody(Buffer.from([0xff, 0x00]), true), { body: '/wA=', isBase64Encoded: true });
    assert.deepEqual(eventBody(Buffer.from('héllo'), false), { body: 'héllo', isBase64Encoded: false });
    assert.deepEqual(eventBody(Buffer.alloc(0), true), { body: null, isBase64Encoded: false });
  });
});
