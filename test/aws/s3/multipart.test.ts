import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { rejection, startS3, type S3Harness } from './helpers';

const MiB = 1024 * 1024;
const md5 = (data: Buffer) => createHash('md5').update(data).digest();

describe('S3 multipart uploads', () => {
  let s3h: S3Harness;
  let s3: S3Client;

  beforeEach(async () => {
    s3h = await startS3({ buckets: ['big'] });
    s3 = s3h.client();
  });
  afterEach(async () => {
    s3.destroy();
    await s3h.dispose();
  });

  const create = async (Key = 'file.bin') =>
    (await s3.send(new CreateMultipartUploadCommand({ Bucket: 'big', Key, ContentType: 'video/mp4' })))
      .UploadId ?? '';
  const part = (UploadId: string, PartNumber: number, Body: Buffer, Key = 'file.bin') =>
    s3.send(new UploadPartCommand({ Bucket: 'big', Key, UploadId, PartNumber, Body }));

  it('stores a 12 MB body uploaded by lib-storage in parts, with the multipart ETag', async () => {
    const body = randomBytes(12 * MiB);
    const upload = new Upload({
      client: s3,
      params: {
        Bucket: 'big',
        Key: 'movie.bin',
        Body: body,
        ContentType: 'video/mp4',
        Metadata: { take: '3' },
      },
    });
    const done = await upload.done();
    const parts = [body.subarray(0, 5 * MiB), body.subarray(5 * MiB, 10 * MiB), body.subarray(10 * MiB)];
    const expected = `"${md5(Buffer.concat(parts.map(md5))).toString('hex')}-3"`;
    assert.equal(done.ETag, expected);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'big', Key: 'movie.bin' }));
    assert.equal(head.ContentLength, body.length);
    assert.equal(head.ETag, expected);
    assert.equal(head.ContentType, 'video/mp4');
    assert.deepEqual(head.Metadata, { take: '3' });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'movie.bin' }));
    assert.ok(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(body));
    const range = await s3.send(
      new GetObjectCommand({ Bucket: 'big', Key: 'movie.bin', Range: 'bytes=5242878-5242881' }),
    );
    assert.ok(
      Buffer.from((await range.Body?.transformToByteArray()) ?? []).equals(
        body.subarray(5 * MiB - 2, 5 * MiB + 2),
      ),
    );
    assert.deepEqual(readdirSync(path.join(s3h.stateDir, 's3', 'parts')), []);
  });

  it('completes the parts it is told, in order, and forgets the upload', async () => {
    const uploadId = await create();
    const one = randomBytes(5 * MiB);
    const two = Buffer.from('tail');
    const p1 = await part(uploadId, 1, one);
    const p2 = await part(uploadId, 2, two);
    assert.equal(p1.ETag, `"${md5(one).toString('hex')}"`);
    const listed = await s3.send(
      new ListPartsCommand({ Bucket: 'big', Key: 'file.bin', UploadId: uploadId }),
    );
    assert.deepEqual(
      listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag]),
      [
        [1, one.length, p1.ETag],
        [2, 4, p2.ETag],
      ],
    );
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'big' }));
    assert.deepEqual(
      uploads.Uploads?.map((u) => [u.Key, u.UploadId]),
      [['file.bin', uploadId]],
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'big',
        Key: 'file.bin',
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.ETag },
            { PartNumber: 2, ETag: p2.ETag },
          ],
        },
      }),
    );
    assert.equal(done.Bucket, 'big');
    assert.equal(done.Key, 'file.bin');
    assert.equal(done.Location, `${s3h.url}/big/file.bin`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'file.bin' }));
    assert.equal(got.ContentType, 'video/mp4');
    assert.equal(got.ContentLength, one.length + 4);
    const again = await rejection(
      s3.send(new ListPartsCommand({ Bucket: 'big', Key: 'file.bin', UploadId: uploadId })),
    );
    assert.equal(again.name, 'NoSuchUpload');
    assert.equal(again.status, 404);
  });

  it('refuses parts out of order (InvalidPartOrder), unknown parts or ETags (InvalidPart), and small parts (EntityTooSmall)', async () => {
    const uploadId = await create();
    const p1 = await part(uploadId, 1, Buffer.from('small'));
    const p2 = await part(uploadId, 2, Buffer.from('tail'));
    const complete = (Parts: Array<{ PartNumber: number; ETag?: string }>) =>
      rejection(
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: 'big',
            Key: 'file.bin',
            UploadId: uploadId,
            MultipartUpload: { Parts },
          }),
        ),
      );
    const order = await complete([
      { PartNumber: 2, ETag: p2.ETag },
      { PartNumber: 1, ETag: p1.ETag },
    ]);
    assert.equal(order.name, 'InvalidPartOrder');
    assert.equal(order.status, 400);
    const unknown = await complete([
      { PartNumber: 1, ETag: p1.ETag },
      { PartNumber: 3, ETag: p2.ETag },
    ]);
    assert.equal(unknown.name, 'InvalidPart');
    const wrongTag = await complete([{ PartNumber: 1, ETag: '"0123"' }]);
    assert.equal(wrongTag.name, 'InvalidPart');
    const small = await complete([
      { PartNumber: 1, ETag: p1.ETag },
      { PartNumber: 2, ETag: p2.ETag },
    ]);
    assert.equal(small.name, 'EntityTooSmall');
    assert.equal(small.error.MinSizeAllowed, String(5 * MiB));
    const single = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'big',
        Key: 'file.bin',
        UploadId: uploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }] },
      }),
    );
    assert.equal(single.ETag, `"${md5(md5(Buffer.from('small'))).toString('hex')}-1"`);
  });

  it('aborts an upload, removing its parts, and answers NoSuchUpload afterwards', async () => {
    const uploadId = await create();
    await part(uploadId, 1, Buffer.from('x'));
    const aborted = await s3.send(
      new AbortMultipartUploadCommand({ Bucket: 'big', Key: 'file.bin', UploadId: uploadId }),
    );
    assert.equal(aborted.$metadata.httpStatusCode, 204);
    assert.deepEqual(readdirSync(path.join(s3h.stateDir, 's3', 'parts')), []);
    const late = await rejection(part(uploadId, 2, Buffer.from('y')));
    assert.equal(late.name, 'NoSuchUpload');
    const unknown = await rejection(
      s3.send(new AbortMultipartUploadCommand({ Bucket: 'big', Key: 'file.bin', UploadId: 'nope' })),
    );
    assert.equal(unknown.name, 'NoSuchUpload');
  });

  it('refuses a part number outside 1 to 10000 (InvalidArgument)', async () => {
    const uploadId = await create();
    const response = await fetch(`${s3h.url}/big/file.bin?partNumber=10001&uploadId=${uploadId}`, {
      method: 'PUT',
      body: 'x',
    });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /<Code>InvalidArgument<\/Code>/);
  });
});
