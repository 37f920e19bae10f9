import {
  ListObjectsCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { rejection, startS3, type S3Harness } from './helpers';

const KEYS = [
  'a.txt',
  'photos/2023/jan/1.jpg',
  'photos/2023/jan/2.jpg',
  'photos/2023/feb/1.jpg',
  'photos/2024/mar/1.jpg',
  'photos/cover.jpg',
  'readme',
  'z space+plus.txt',
];

describe('S3 listing', () => {
  let s3h: S3Harness;
  let s3: S3Client;

  before(async () => {
    s3h = await startS3({ buckets: ['media', 'empty'] });
    s3 = s3h.client();
    for (const Key of [...KEYS].reverse()) {
      await s3.send(new PutObjectCommand({ Bucket: 'media', Key, Body: Key }));
    }
  });
  after(async () => {
    s3.destroy();
    await s3h.dispose();
  });

  const list = (input: Omit<ConstructorParameters<typeof ListObjectsV2Command>[0], 'Bucket'>) =>
    s3.send(new ListObjectsV2Command({ Bucket: 'media', ...input }));

  it('lists every key in UTF-8 binary order with its size, ETag, last modified and storage class', async () => {
    const result = await list({});
    assert.deepEqual(
      result.Contents?.map((c) => c.Key),
      [...KEYS].sort(),
    );
    assert.equal(result.KeyCount, KEYS.length);
    assert.equal(result.IsTruncated, false);
    assert.equal(result.MaxKeys, 1000);
    const first = result.Contents?.[0];
    assert.equal(first?.Size, 'a.txt'.length);
    assert.match(first?.ETag ?? '', /^"[0-9a-f]{32}"$/);
    assert.equal(first?.StorageClass, 'STANDARD');
    assert.equal(first?.Owner, undefined);
    assert.ok(first?.LastModified instanceof Date);
  });

  it('filters by prefix', async () => {
    const result = await list({ Prefix: 'photos/2023/' });
    assert.deepEqual(
      result.Contents?.map((c) => c.Key),
      ['photos/2023/feb/1.jpg', 'photos/2023/jan/1.jpg', 'photos/2023/jan/2.jpg'],
    );
    assert.equal(result.Prefix, 'photos/2023/');
  });

  it('rolls keys up into CommonPrefixes at the delimiter, counting each prefix once', async () => {
    const top = await list({ Delimiter: '/' });
    assert.deepEqual(
      top.Contents?.map((c) => c.Key),
      ['a.txt', 'readme', 'z space+plus.txt'],
    );
    assert.deepEqual(
      top.CommonPrefixes?.map((p) => p.Prefix),
      ['photos/'],
    );
    assert.equal(top.KeyCount, 4);
    assert.equal(top.Delimiter, '/');
    const inside = await list({ Prefix: 'photos/', Delimiter: '/' });
    assert.deepEqual(
      inside.CommonPrefixes?.map((p) => p.Prefix),
      ['photos/2023/', 'photos/2024/'],
    );
    assert.deepEqual(
      inside.Contents?.map((c) => c.Key),
      ['photos/cover.jpg'],
    );
  });

  it('pages with max-keys and continuation tokens, also across common prefixes', async () => {
    const first = await list({ MaxKeys: 2, Delimiter: '/' });
    assert.equal(first.IsTruncated, true);
    assert.equal(first.KeyCount, 2);
    assert.ok(first.NextContinuationToken);
    assert.deepEqual(
      first.CommonPrefixes?.map((p) => p.Prefix),
      ['photos/'],
    );
    const second = await list({ MaxKeys: 2, Delimiter: '/', ContinuationToken: first.NextContinuationToken });
    assert.equal(second.ContinuationToken, first.NextContinuationToken);
    assert.deepEqual(
      [...(second.CommonPrefixes ?? []).map((p) => p.Prefix), ...(second.Contents ?? []).map((c) => c.Key)],
      ['readme', 'z space+plus.txt'],
    );
    assert.equal(second.IsTruncated, false);
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 3 }, { Bucket: 'media' })) {
      assert.ok((page.KeyCount ?? 0) <= 3);
      keys.push(...(page.Contents ?? []).map((c) => c.Key ?? ''));
    }
    assert.deepEqual(keys, [...KEYS].sort());
  });

  it('ends a page that is exactly full without truncation', async () => {
    const result = await list({ Prefix: 'photos/2023/jan/', MaxKeys: 2 });
    assert.equal(result.KeyCount, 2);
    assert.equal(result.IsTruncated, false);
    assert.equal(result.NextContinuationToken, undefined);
  });

  it('starts after a given key, and answers max-keys 0 with nothing', async () => {
    const after = await list({ StartAfter: 'photos/cover.jpg' });
    assert.deepEqual(
      after.Contents?.map((c) => c.Key),
      ['readme', 'z space+plus.txt'],
    );
    assert.equal(after.StartAfter, 'photos/cover.jpg');
    const none = await list({ MaxKeys: 0 });
    assert.equal(none.KeyCount, 0);
    assert.equal(none.Contents, undefined);
  });

  it('URL-encodes keys and prefixes with encoding-type url', async () => {
    const response = await fetch(`${s3h.url}/media?list-type=2&encoding-type=url&prefix=z%20`);
    const body = await response.text();
    assert.match(body, /<Prefix>z\+<\/Prefix>/);
    assert.match(body, /<Key>z\+space%2Bplus.txt<\/Key>/);
    assert.match(body, /<EncodingType>url<\/EncodingType>/);
  });

  it('lists an empty bucket', async () => {
    const result = await s3.send(new ListObjectsV2Command({ Bucket: 'empty' }));
    assert.equal(result.KeyCount, 0);
    assert.equal(result.Contents, undefined);
    assert.equal(result.IsTruncated, false);
  });

  it('refuses an unknown encoding type and a malformed max-keys (InvalidArgument)', async () => {
    const encoding = await fetch(`${s3h.url}/media?list-type=2&encoding-type=base64`);
    assert.equal(encoding.status, 400);
    assert.match(await encoding.text(), /<Code>InvalidArgument<\/Code>/);
    const maxKeys = await fetch(`${s3h.url}/media?list-type=2&max-keys=many`);
    assert.equal(maxKeys.status, 400);
    const token = await rejection(list({ ContinuationToken: 'garbage' }));
    assert.equal(token.name, 'InvalidArgument');
  });

  it('lists with ListObjects (v1): marker, owner, and NextMarker only with a delimiter', async () => {
    const page = await s3.send(new ListObjectsCommand({ Bucket: 'media', MaxKeys: 3 }));
    assert.equal(page.IsTruncated, true);
    assert.equal(page.NextMarker, undefined);
    assert.ok(page.Contents?.[0].Owner?.ID);
    const next = await s3.send(
      new ListObjectsCommand({ Bucket: 'media', MaxKeys: 3, Marker: page.Contents?.[2].Key }),
    );
    assert.equal(next.Contents?.[0].Key, [...KEYS].sort()[3]);
    const delimited = await s3.send(new ListObjectsCommand({ Bucket: 'media', MaxKeys: 2, Delimiter: '/' }));
    assert.equal(delimited.NextMarker, 'photos/');
    const rest = await s3.send(
      new ListObjectsCommand({ Bucket: 'media', Delimiter: '/', Marker: delimited.NextMarker }),
    );
    assert.deepEqual(
      rest.Contents?.map((c) => c.Key),
      ['readme', 'z space+plus.txt'],
    );
    assert.equal(rest.CommonPrefixes, undefined);
  });
});
