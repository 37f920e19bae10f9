import { CopyObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startS3, type S3Harness } from './helpers';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');

describe('S3 CopyObject checksums and storage class', () => {
  let s3h: S3Harness;
  let s3: S3Client;

  beforeEach(async () => {
    s3h = await startS3({ buckets: ['docs'] });
    s3 = s3h.client();
  });
  afterEach(async () => {
    s3.destroy();
    await s3h.dispose();
  });

  const head = (Key: string) =>
    s3.send(new HeadObjectCommand({ Bucket: 'docs', Key, ChecksumMode: 'ENABLED' }));

  it("computes the copy's checksum: of x-amz-checksum-algorithm, else of the source's algorithm", async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: 'docs', Key: 'src', Body: 'payload', ChecksumAlgorithm: 'SHA256' }),
    );
    const kept = await s3.send(
      new CopyObjectCommand({ Bucket: 'docs', Key: 'kept', CopySource: 'docs/src' }),
    );
    assert.equal(kept.CopyObjectResult?.ChecksumSHA256, sha256('payload'));
    assert.equal((await head('kept')).ChecksumSHA256, sha256('payload'));
    const named = await s3.send(
      new CopyObjectCommand({
        Bucket: 'docs',
        Key: 'crc',
        CopySource: 'docs/src',
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    const crc = named.CopyObjectResult?.ChecksumCRC32;
    assert.match(crc ?? '', /^[A-Za-z0-9+/]{6}==$/);
    assert.equal((await head('crc')).ChecksumCRC32, crc);
    assert.equal((await head('crc')).ChecksumSHA256, undefined);
  });

  it('gives the copy STANDARD storage class unless the request names one', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: 'docs', Key: 'cold', Body: 'x', StorageClass: 'STANDARD_IA' }),
    );
    await s3.send(new CopyObjectCommand({ Bucket: 'docs', Key: 'copy', CopySource: 'docs/cold' }));
    assert.equal((await head('copy')).StorageClass, undefined);
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'docs',
        Key: 'glacier',
        CopySource: 'docs/cold',
        StorageClass: 'GLACIER_IR',
      }),
    );
    assert.equal((await head('glacier')).StorageClass, 'GLACIER_IR');
  });
});
