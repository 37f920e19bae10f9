import assert from 'node:assert/strict';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { startS3 } from './helpers';

describe('smoke', () => {
  it('works', async () => {
    const h = await startS3();
    const s3 = h.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'b1' }));
    const put = await s3.send(new PutObjectCommand({ Bucket: 'b1', Key: 'a b/c+d', Body: 'hello' }));
    console.log(put.ETag);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'b1', Key: 'a b/c+d' }));
    console.log(await got.Body?.transformToString(), got.ContentType);
    console.log(await s3.send(new ListObjectsV2Command({ Bucket: 'b1' })));
    const v = h.virtualHostedClient();
    console.log(await v.send(new ListObjectsV2Command({ Bucket: 'b1' })));
    await h.dispose();
    assert.ok(true);
  });
});
