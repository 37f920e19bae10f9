import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectTaggingCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { rejection, startS3, type S3Harness } from './helpers';

describe('S3 tagging', () => {
  let s3h: S3Harness;
  let s3: S3Client;

  beforeEach(async () => {
    s3h = await startS3({ buckets: ['tags'] });
    s3 = s3h.client();
  });
  afterEach(async () => {
    s3.destroy();
    await s3h.dispose();
  });

  const tagsOf = async (Key: string) =>
    (await s3.send(new GetObjectTaggingCommand({ Bucket: 'tags', Key }))).TagSet?.map((t) => [
      t.Key,
      t.Value,
    ]);

  it('keeps the tags of PutObject (x-amz-tagging), counts them on GET, and replaces and deletes them', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: 'tags', Key: 'a.txt', Body: 'a', Tagging: 'team=core&stage=dev%20x' }),
    );
    assert.deepEqual(await tagsOf('a.txt'), [
      ['team', 'core'],
      ['stage', 'dev x'],
    ]);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'tags', Key: 'a.txt' }));
    assert.equal(got.TagCount, 2);
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: 'tags',
        Key: 'a.txt',
        Tagging: { TagSet: [{ Key: 'only', Value: '1' }] },
      }),
    );
    assert.deepEqual(await tagsOf('a.txt'), [['only', '1']]);
    const deleted = await s3.send(new DeleteObjectTaggingCommand({ Bucket: 'tags', Key: 'a.txt' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    assert.deepEqual(await tagsOf('a.txt'), []);
    assert.equal((await s3.send(new GetObjectCommand({ Bucket: 'tags', Key: 'a.txt' }))).TagCount, undefined);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'tags', Key: 'a.txt' }))).ContentLength, 1);
    assert.equal((await rejection(tagsOf('missing'))).name, 'NoSuchKey');
  });

  it('copies tags unless x-amz-tagging-directive is REPLACE, and tags a multipart upload', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'tags', Key: 'src', Body: 's', Tagging: 'from=source' }));
    await s3.send(new CopyObjectCommand({ Bucket: 'tags', Key: 'kept', CopySource: 'tags/src' }));
    assert.deepEqual(await tagsOf('kept'), [['from', 'source']]);
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'tags',
        Key: 'replaced',
        CopySource: 'tags/src',
        TaggingDirective: 'REPLACE',
        Tagging: 'from=copy',
      }),
    );
    assert.deepEqual(await tagsOf('replaced'), [['from', 'copy']]);
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'tags', Key: 'mp', Tagging: 'kind=multipart' }),
    );
    const part = await s3.send(
      new UploadPartCommand({ Bucket: 'tags', Key: 'mp', UploadId, PartNumber: 1, Body: 'x' }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'tags',
        Key: 'mp',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    assert.deepEqual(await tagsOf('mp'), [['kind', 'multipart']]);
  });

  it('refuses more than 10 object tags, a key twice, an aws: key or a long value (InvalidTag)', async () => {
    const put = (Tagging: string) =>
      rejection(s3.send(new PutObjectCommand({ Bucket: 'tags', Key: 'k', Body: 'x', Tagging })));
    const many = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&');
    for (const tagging of [many, 'a=1&a=2', 'aws:x=1', `a=${'v'.repeat(257)}`, `${'k'.repeat(129)}=v`]) {
      const refused = await put(tagging);
      assert.equal(refused.name, 'InvalidTag', tagging);
      assert.equal(refused.status, 400);
    }
  });

  it('stores, answers and deletes a bucket tag set (NoSuchTagSet when none)', async () => {
    const none = await rejection(s3.send(new GetBucketTaggingCommand({ Bucket: 'tags' })));
    assert.equal(none.name, 'NoSuchTagSet');
    assert.equal(none.status, 404);
    const put = await s3.send(
      new PutBucketTaggingCommand({
        Bucket: 'tags',
        Tagging: {
          TagSet: [
            { Key: 'cost-center', Value: '42' },
            { Key: 'empty', Value: '' },
          ],
        },
      }),
    );
    assert.equal(put.$metadata.httpStatusCode, 204);
    const got = await s3.send(new GetBucketTaggingCommand({ Bucket: 'tags' }));
    assert.deepEqual(
      got.TagSet?.map((t) => [t.Key, t.Value]),
      [
        ['cost-center', '42'],
        ['empty', ''],
      ],
    );
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: 'tags' }));
    assert.equal(
      (await rejection(s3.send(new GetBucketTaggingCommand({ Bucket: 'tags' })))).name,
      'NoSuchTagSet',
    );
  });
});
