import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { rejection, startS3, type S3Harness } from './helpers';

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest();

describe('S3 objects', () => {
  let s3h: S3Harness;
  let s3: S3Client;

  beforeEach(async () => {
    s3h = await startS3({ buckets: ['docs', 'archive'] });
    s3 = s3h.client();
  });
  afterEach(async () => {
    s3.destroy();
    await s3h.dispose();
  });

  const put = (Key: string, Body: string | Buffer, extra: Record<string, unknown> = {}) =>
    s3.send(new PutObjectCommand({ Bucket: 'docs', Key, Body, ...extra }));
  const text = async (Key: string, extra: Record<string, unknown> = {}) => {
    const got = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key, ...extra }));
    return { got, body: await got.Body?.transformToString() };
  };

  it('stores an object with its content type, metadata and system headers, and answers its MD5 ETag', async () => {
    const put1 = await put('notes/a.txt', 'hello world', {
      ContentType: 'text/plain',
      Metadata: { author: 'ada', 'Mixed-Case': 'v' },
      CacheControl: 'max-age=60',
      ContentDisposition: 'attachment; filename="a.txt"',
    });
    assert.equal(put1.ETag, `"${md5('hello world').toString('hex')}"`);
    const { got, body } = await text('notes/a.txt');
    assert.equal(body, 'hello world');
    assert.equal(got.ContentType, 'text/plain');
    assert.equal(got.ContentLength, 11);
    assert.equal(got.ETag, put1.ETag);
    assert.deepEqual(got.Metadata, { author: 'ada', 'mixed-case': 'v' });
    assert.equal(got.CacheControl, 'max-age=60');
    assert.equal(got.ContentDisposition, 'attachment; filename="a.txt"');
    assert.equal(got.AcceptRanges, 'bytes');
    assert.ok(got.LastModified instanceof Date);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'notes/a.txt' }));
    assert.equal(head.ContentLength, 11);
    assert.equal(head.ETag, put1.ETag);
    assert.deepEqual(head.Metadata, { author: 'ada', 'mixed-case': 'v' });
  });

  it('round-trips binary bodies and keys with spaces, pluses, unicode and a leading slash', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    for (const key of ['a b+c=d&e?.bin', 'ünï/çødé/日本.bin', '/leading/slash', 'percent%2Fencoded']) {
      await put(key, bytes);
      const got = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: key }));
      assert.deepEqual(Buffer.from((await got.Body?.transformToByteArray()) ?? []), bytes, key);
    }
  });

  it('defaults the content type of an object written without one to binary/octet-stream', async () => {
    await fetch(`${s3h.url}/docs/raw`, { method: 'PUT', body: 'x', headers: { 'content-type': '' } });
    const response = await fetch(`${s3h.url}/docs/raw`, { method: 'HEAD' });
    assert.equal(response.headers.get('content-type'), 'binary/octet-stream');
  });

  it('checks Content-MD5: a match is stored, a mismatch is BadDigest, a malformed one InvalidDigest', async () => {
    const ok = await put('checked', 'data', { ContentMD5: md5('data').toString('base64') });
    assert.equal(ok.$metadata.httpStatusCode, 200);
    const bad = await rejection(put('checked', 'data', { ContentMD5: md5('other').toString('base64') }));
    assert.equal(bad.name, 'BadDigest');
    assert.equal(bad.status, 400);
    const malformed = await fetch(`${s3h.url}/docs/checked`, {
      method: 'PUT',
      body: 'data',
      headers: { 'content-md5': 'not-md5' },
    });
    assert.equal(malformed.status, 400);
    assert.match(await malformed.text(), /<Code>InvalidDigest<\/Code>/);
  });

  it('answers NoSuchKey with the key for GetObject, and a bare 404 for HeadObject', async () => {
    const failure = await rejection(s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'missing/key' })));
    assert.equal(failure.name, 'NoSuchKey');
    assert.equal(failure.status, 404);
    assert.equal(failure.error.Key, 'missing/key');
    const head = await rejection(s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'missing/key' })));
    assert.equal(head.name, 'NotFound');
    assert.equal(head.status, 404);
  });

  it('serves byte ranges with 206 and Content-Range, and 416 InvalidRange beyond the end', async () => {
    await put('digits', '0123456789');
    const first = await text('digits', { Range: 'bytes=0-3' });
    assert.equal(first.body, '0123');
    assert.equal(first.got.$metadata.httpStatusCode, 206);
    assert.equal(first.got.ContentRange, 'bytes 0-3/10');
    assert.equal(first.got.ContentLength, 4);
    assert.equal((await text('digits', { Range: 'bytes=7-' })).body, '789');
    assert.equal((await text('digits', { Range: 'bytes=-2' })).body, '89');
    assert.equal((await text('digits', { Range: 'bytes=8-100' })).got.ContentRange, 'bytes 8-9/10');
    const whole = await text('digits', { Range: 'bytes=0-1,4-5' });
    assert.equal(whole.got.$metadata.httpStatusCode, 200);
    assert.equal(whole.body, '0123456789');
    const beyond = await rejection(text('digits', { Range: 'bytes=10-' }));
    assert.equal(beyond.name, 'InvalidRange');
    assert.equal(beyond.status, 416);
    assert.equal(beyond.error.ActualObjectSize, '10');
  });

  it('answers conditional GETs: If-None-Match and If-Modified-Since with 304, If-Match and If-Unmodified-Since with 412', async () => {
    const { ETag } = await put('cond', 'v1');
    const notModified = await rejection(text('cond', { IfNoneMatch: ETag }));
    assert.equal(notModified.status, 304);
    assert.equal((await text('cond', { IfNoneMatch: '"other"' })).body, 'v1');
    assert.equal((await text('cond', { IfMatch: ETag })).body, 'v1');
    const failed = await rejection(text('cond', { IfMatch: '"other"' }));
    assert.equal(failed.name, 'PreconditionFailed');
    assert.equal(failed.status, 412);
    const future = new Date(Date.now() + 3_600_000);
    const past = new Date(Date.now() - 3_600_000);
    assert.equal((await rejection(text('cond', { IfModifiedSince: future }))).status, 304);
    assert.equal((await text('cond', { IfModifiedSince: past })).body, 'v1');
    assert.equal((await rejection(text('cond', { IfUnmodifiedSince: past }))).status, 412);
    assert.equal((await text('cond', { IfMatch: ETag, IfUnmodifiedSince: past })).body, 'v1');
  });

  it('overrides response headers with response-* query parameters', async () => {
    await put('override', 'x', { ContentType: 'text/plain' });
    const { got } = await text('override', {
      ResponseContentType: 'application/json',
      ResponseContentDisposition: 'inline',
    });
    assert.equal(got.ContentType, 'application/json');
    assert.equal(got.ContentDisposition, 'inline');
  });

  it('writes conditionally: If-None-Match * only when absent', async () => {
    await put('once', 'first', { IfNoneMatch: '*' });
    const second = await rejection(put('once', 'second', { IfNoneMatch: '*' }));
    assert.equal(second.status, 412);
    assert.equal((await text('once')).body, 'first');
  });

  it('copies objects, keeping metadata (COPY) or taking the request metadata (REPLACE)', async () => {
    await put('src.txt', 'copied', { ContentType: 'text/plain', Metadata: { a: '1' } });
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket: 'archive', Key: 'dst copy.txt', CopySource: 'docs/src.txt' }),
    );
    assert.equal(copied.CopyObjectResult?.ETag, `"${md5('copied').toString('hex')}"`);
    assert.ok(copied.CopyObjectResult?.LastModified instanceof Date);
    const kept = await s3.send(new GetObjectCommand({ Bucket: 'archive', Key: 'dst copy.txt' }));
    assert.equal(await kept.Body?.transformToString(), 'copied');
    assert.equal(kept.ContentType, 'text/plain');
    assert.deepEqual(kept.Metadata, { a: '1' });
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'docs',
        Key: 'src.txt',
        CopySource: `/docs/${encodeURIComponent('src.txt')}`,
        MetadataDirective: 'REPLACE',
        ContentType: 'text/markdown',
        Metadata: { b: '2' },
      }),
    );
    const replaced = await s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'src.txt' }));
    assert.equal(replaced.ContentType, 'text/markdown');
    assert.deepEqual(replaced.Metadata, { b: '2' });
  });

  it('refuses a copy onto itself without REPLACE, a missing source, and a failed copy-source condition', async () => {
    await put('self', 'x');
    const self = await rejection(
      s3.send(new CopyObjectCommand({ Bucket: 'docs', Key: 'self', CopySource: 'docs/self' })),
    );
    assert.equal(self.name, 'InvalidRequest');
    assert.equal(self.status, 400);
    const missing = await rejection(
      s3.send(new CopyObjectCommand({ Bucket: 'docs', Key: 'k', CopySource: 'docs/none' })),
    );
    assert.equal(missing.name, 'NoSuchKey');
    const condition = await rejection(
      s3.send(
        new CopyObjectCommand({
          Bucket: 'docs',
          Key: 'k',
          CopySource: 'docs/self',
          CopySourceIfMatch: '"x"',
        }),
      ),
    );
    assert.equal(condition.status, 412);
  });

  it('deletes objects with 204, also keys that do not exist', async () => {
    await put('gone', 'x');
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'gone' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    assert.equal((await rejection(text('gone'))).name, 'NoSuchKey');
    const again = await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'gone' }));
    assert.equal(again.$metadata.httpStatusCode, 204);
  });

  it('deletes many objects with DeleteObjects, listing them unless quiet', async () => {
    for (const key of ['m/1', 'm/2', 'm/3']) await put(key, key);
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'docs',
        Delete: { Objects: [{ Key: 'm/1' }, { Key: 'm/2' }, { Key: 'never' }] },
      }),
    );
    assert.deepEqual(
      result.Deleted?.map((d) => d.Key),
      ['m/1', 'm/2', 'never'],
    );
    assert.equal(result.Errors, undefined);
    const quiet = await s3.send(
      new DeleteObjectsCommand({ Bucket: 'docs', Delete: { Objects: [{ Key: 'm/3' }], Quiet: true } }),
    );
    assert.equal(quiet.Deleted, undefined);
    assert.equal((await rejection(text('m/3'))).name, 'NoSuchKey');
  });

  it('decodes aws-chunked uploads with a checksum trailer, and serves the checksum back for validation', async () => {
    const chunks = [Buffer.from('streamed '), Buffer.from('in '), Buffer.from('chunks')];
    const put1 = await s3.send(
      new PutObjectCommand({ Bucket: 'docs', Key: 'stream', Body: Readable.from(chunks), ContentLength: 18 }),
    );
    assert.ok(put1.ChecksumCRC32);
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'docs', Key: 'stream', ChecksumMode: 'ENABLED' }),
    );
    assert.equal(await got.Body?.transformToString(), 'streamed in chunks');
    assert.equal(got.ChecksumCRC32, put1.ChecksumCRC32);
    assert.equal(got.ContentEncoding, undefined);
    assert.equal(got.ETag, `"${md5('streamed in chunks').toString('hex')}"`);
  });

  it('decodes signed aws-chunked bodies (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', async () => {
    const signature = 'chunk-signature=' + 'a'.repeat(64);
    const body = `5;${signature}\r\nhello\r\n6;${signature}\r\n world\r\n0;${signature}\r\n\r\n`;
    const response = await fetch(`${s3h.url}/docs/signed`, {
      method: 'PUT',
      body,
      headers: {
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'content-encoding': 'aws-chunked,gzip',
        'x-amz-decoded-content-length': '11',
      },
    });
    assert.equal(response.status, 200);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'signed' }));
    assert.equal(await got.Body?.transformToString(), 'hello world');
    assert.equal(got.ContentEncoding, 'gzip');
  });

  it('refuses a body whose checksum trailer does not match (BadDigest)', async () => {
    const response = await fetch(`${s3h.url}/docs/corrupt`, {
      method: 'PUT',
      body: '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n',
      headers: {
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'content-encoding': 'aws-chunked',
        'x-amz-trailer': 'x-amz-checksum-crc32',
        'x-amz-decoded-content-length': '5',
      },
    });
    assert.equal(response.status, 400);
    assert.match(
      await response.text(),
      /<Code>BadDigest<\/Code><Message>The CRC32 you specified did not match/,
    );
    assert.equal((await fetch(`${s3h.url}/docs/corrupt`)).status, 404);
  });

  it('refuses a body that does not match its x-amz-content-sha256', async () => {
    const response = await fetch(`${s3h.url}/docs/sha`, {
      method: 'PUT',
      body: 'data',
      headers: { 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') },
    });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /<Code>XAmzContentSHA256Mismatch<\/Code>/);
  });
});
