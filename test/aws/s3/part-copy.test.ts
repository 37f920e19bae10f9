import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { boto3, rejection, startS3, type S3Harness } from './helpers';

const MiB = 1024 * 1024;
const md5 = (data: Buffer) => createHash('md5').update(data).digest();
const bytes = async (body: { transformToByteArray(): Promise<Uint8Array> } | undefined) =>
  Buffer.from((await body?.transformToByteArray()) ?? []);

describe('S3 UploadPartCopy, repeated completion and parts of an object', () => {
  let s3h: S3Harness;
  let s3: S3Client;
  const source = randomBytes(6 * MiB);

  beforeEach(async () => {
    s3h = await startS3({ buckets: ['big', 'other'] });
    s3 = s3h.client();
    await s3.send(new PutObjectCommand({ Bucket: 'other', Key: 'source.bin', Body: source }));
  });
  afterEach(async () => {
    s3.destroy();
    await s3h.dispose();
  });

  const create = async (Key = 'copy.bin') =>
    (await s3.send(new CreateMultipartUploadCommand({ Bucket: 'big', Key }))).UploadId ?? '';
  const copyPart = (UploadId: string, PartNumber: number, extra: Record<string, unknown> = {}) =>
    s3.send(
      new UploadPartCopyCommand({
        Bucket: 'big',
        Key: 'copy.bin',
        UploadId,
        PartNumber,
        CopySource: 'other/source.bin',
        ...extra,
      }),
    );

  it('copies whole objects and byte ranges into parts, answering CopyPartResult', async () => {
    const uploadId = await create();
    const first = await copyPart(uploadId, 1, { CopySourceRange: `bytes=0-${5 * MiB - 1}` });
    assert.equal(first.CopyPartResult?.ETag, `"${md5(source.subarray(0, 5 * MiB)).toString('hex')}"`);
    assert.ok(first.CopyPartResult?.LastModified instanceof Date);
    const second = await s3.send(
      new UploadPartCommand({
        Bucket: 'big',
        Key: 'copy.bin',
        UploadId: uploadId,
        PartNumber: 2,
        Body: source,
      }),
    );
    const third = await copyPart(uploadId, 3, { CopySourceRange: 'bytes=10-19' });
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'big',
        Key: 'copy.bin',
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: first.CopyPartResult?.ETag },
            { PartNumber: 2, ETag: second.ETag },
            { PartNumber: 3, ETag: third.CopyPartResult?.ETag },
          ],
        },
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'copy.bin' }));
    assert.ok(
      (await bytes(got.Body)).equals(
        Buffer.concat([source.subarray(0, 5 * MiB), source, source.subarray(10, 20)]),
      ),
    );
    assert.equal(got.ETag, done.ETag);
  });

  it('refuses a range outside the source, a malformed one, and failed copy-source conditions', async () => {
    const uploadId = await create();
    const beyond = await rejection(copyPart(uploadId, 1, { CopySourceRange: `bytes=0-${source.length}` }));
    assert.equal(beyond.name, 'InvalidArgument');
    assert.equal(beyond.status, 400);
    const open = await rejection(copyPart(uploadId, 1, { CopySourceRange: 'bytes=5-' }));
    assert.equal(open.name, 'InvalidArgument');
    const unmatched = await rejection(copyPart(uploadId, 1, { CopySourceIfMatch: '"nope"' }));
    assert.equal(unmatched.name, 'PreconditionFailed');
    assert.equal(unmatched.status, 412);
    const missing = await rejection(copyPart(uploadId, 1, { CopySource: 'other/missing' }));
    assert.equal(missing.name, 'NoSuchKey');
    const noUpload = await rejection(copyPart('unknown', 1));
    assert.equal(noUpload.name, 'NoSuchUpload');
    const matched = await copyPart(uploadId, 1, { CopySourceIfMatch: `"${md5(source).toString('hex')}"` });
    assert.equal(matched.CopyPartResult?.ETag, `"${md5(source).toString('hex')}"`);
  });

  it("serves boto3's managed copy() of a 20 MB object, which copies it in parts", async () => {
    const large = randomBytes(20 * MiB);
    await s3.send(new PutObjectCommand({ Bucket: 'other', Key: 'large.bin', Body: large }));
    const out = await boto3(
      s3h,
      [
        "s3.copy({'Bucket': 'other', 'Key': 'large.bin'}, 'big', 'copied.bin')",
        "print(s3.head_object(Bucket='big', Key='copied.bin')['ETag'])",
      ].join('\n'),
    );
    assert.match(out.trim(), /^"[0-9a-f]{32}-3"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'copied.bin' }));
    assert.ok((await bytes(got.Body)).equals(large));
  });

  it('answers a repeated CompleteMultipartUpload with the object it made (200, same ETag)', async () => {
    const uploadId = await create();
    const part = await copyPart(uploadId, 1);
    const complete = () =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'big',
          Key: 'copy.bin',
          UploadId: uploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult?.ETag }] },
        }),
      );
    const done = await complete();
    const again = await complete();
    assert.equal(again.$metadata.httpStatusCode, 200);
    assert.equal(again.ETag, done.ETag);
    await s3.send(new PutObjectCommand({ Bucket: 'big', Key: 'copy.bin', Body: 'overwritten' }));
    assert.equal((await rejection(complete())).name, 'NoSuchUpload');
  });

  it('reads one part of a multipart object with partNumber: 206, Content-Range, PartsCount', async () => {
    const uploadId = await create('parts.bin');
    const one = randomBytes(5 * MiB);
    const etags: string[] = [];
    for (const [number, body] of [one, Buffer.from('second part')].entries()) {
      const put = await s3.send(
        new UploadPartCommand({
          Bucket: 'big',
          Key: 'parts.bin',
          UploadId: uploadId,
          PartNumber: number + 1,
          Body: body,
        }),
      );
      etags.push(put.ETag ?? '');
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'big',
        Key: 'parts.bin',
        UploadId: uploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
      }),
    );
    const size = one.length + 11;
    const second = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'parts.bin', PartNumber: 2 }));
    assert.equal(second.$metadata.httpStatusCode, 206);
    assert.equal(second.PartsCount, 2);
    assert.equal(second.ContentRange, `bytes ${one.length}-${size - 1}/${size}`);
    assert.equal((await bytes(second.Body)).toString(), 'second part');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'big', Key: 'parts.bin', PartNumber: 1 }));
    assert.equal(head.PartsCount, 2);
    assert.equal(head.ContentLength, one.length);
    const beyond = await rejection(
      s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'parts.bin', PartNumber: 3 })),
    );
    assert.equal(beyond.name, 'InvalidPartNumber');
    assert.equal(beyond.status, 416);
    const both = await rejection(
      s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'parts.bin', PartNumber: 1, Range: 'bytes=0-1' })),
    );
    assert.equal(both.name, 'InvalidRequest');
    const plain = await s3.send(new GetObjectCommand({ Bucket: 'other', Key: 'source.bin', PartNumber: 1 }));
    assert.equal(plain.$metadata.httpStatusCode, 206);
    assert.equal(plain.PartsCount, undefined);
    assert.equal(plain.ContentLength, source.length);
  });
});
