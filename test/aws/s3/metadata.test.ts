import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { decodeEncodedWords, encodeForHeader } from '../../../src/aws/s3/header-values';
import { boto3, startS3, type S3Harness } from './helpers';

/** What S3 answers for a value with characters beyond US-ASCII: one encoded word of its UTF-8. */
const encoded = (value: string) => `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;

/** A PUT of `hello` whose header bytes are exactly `header` (name: value), on a raw socket. */
function rawPut(port: number, path: string, header: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const head = `PUT ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 5\r\nConnection: close\r\n`;
      socket.end(Buffer.concat([Buffer.from(head), header, Buffer.from('\r\n\r\nhello')]));
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1').split('\r\n')[0]));
    socket.on('error', reject);
  });
}

describe('S3 user metadata beyond US-ASCII', () => {
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

  const metadataOf = async (Key: string) =>
    (await s3.send(new HeadObjectCommand({ Bucket: 'docs', Key }))).Metadata;

  it('decodes RFC 2047 encoded words when written and encodes what is not US-ASCII when read', () => {
    assert.equal(decodeEncodedWords('=?UTF-8?Q?caf=C3=A9?='), 'café');
    assert.equal(decodeEncodedWords('=?utf-8?B?aGVs?= =?UTF-8?B?bG8=?= world'), 'hello world');
    assert.equal(decodeEncodedWords('=?KOI8-R?B?aGVsbG8=?='), '=?KOI8-R?B?aGVsbG8=?=');
    assert.equal(encodeForHeader('a, b'), 'a, b');
    assert.equal(encodeForHeader('café'), '=?UTF-8?B?Y2Fmw6k=?=');
  });

  it('answers a PutObject header beyond US-ASCII RFC 2047-encoded, its bytes read as ISO-8859-1 as S3 does', async () => {
    // The SDK sends the UTF-8 bytes of 'Zoë': to S3 they are the characters 'ZoÃ«', as in AWS's own example.
    await s3.send(
      new PutObjectCommand({
        Bucket: 'docs',
        Key: 'a.txt',
        Body: 'x',
        Metadata: { name: 'Zoë', ascii: 'plain, text', word: '=?UTF-8?B?aGVsbG8=?=' },
      }),
    );
    assert.deepEqual(await metadataOf('a.txt'), {
      name: encoded('ZoÃ«'),
      ascii: 'plain, text',
      word: 'hello',
    });
    // The one ISO-8859-1 byte of 'ë' is 'ë' to S3.
    const latin1 = Buffer.concat([Buffer.from('x-amz-meta-name: Zo'), Buffer.from([0xeb])]);
    assert.equal(await rawPut(s3h.port, '/docs/raw.txt', latin1), 'HTTP/1.1 200 OK');
    assert.equal((await metadataOf('raw.txt'))?.name, '=?UTF-8?B?Wm/Dqw==?=');
  });

  it('keeps the x-amz-meta-* query parameters of a presigned PUT, and answers them encoded', async () => {
    const url = new URL(`${s3h.url}/docs/signed.txt`);
    url.searchParams.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
    url.searchParams.set('X-Amz-Credential', 'AKIDEMULATE/20240101/us-east-1/s3/aws4_request');
    url.searchParams.set('X-Amz-SignedHeaders', 'host');
    url.searchParams.set('x-amz-meta-title', '中文 notes');
    url.searchParams.set('x-amz-meta-plain', 'ascii');
    const put = await fetch(url, { method: 'PUT', body: 'signed' });
    assert.equal(put.status, 200);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'signed.txt' }));
    assert.deepEqual(got.Metadata, { title: encoded('中文 notes'), plain: 'ascii' });
    assert.equal(await got.Body?.transformToString(), 'signed');
  });

  it('stores a browser form field beyond ISO-8859-1 and answers the GET with it encoded', async () => {
    const form = new FormData();
    form.append('key', 'posted.txt');
    form.append('x-amz-meta-title', 'Ünïcødé 文字 😀');
    form.append('file', new Blob(['hello']));
    const posted = await fetch(`${s3h.url}/docs`, { method: 'POST', body: form });
    assert.equal(posted.status, 204);
    const got = await fetch(`${s3h.url}/docs/posted.txt`);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('x-amz-meta-title'), encoded('Ünïcødé 文字 😀'));
    assert.equal(await got.text(), 'hello');
  });

  it('refuses CR or LF in a metadata value, and a system header beyond ISO-8859-1, with InvalidArgument', async () => {
    const post = async (fields: Record<string, string>) => {
      const form = new FormData();
      form.append('key', 'bad.txt');
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('file', new Blob(['hello']));
      const response = await fetch(`${s3h.url}/docs`, { method: 'POST', body: form });
      return { status: response.status, body: await response.text() };
    };
    const refused: Record<string, string>[] = [
      { 'x-amz-meta-a': 'line\r\nx-injected: 1' },
      { 'x-amz-meta-a': 'line\nfeed' },
      { 'Content-Disposition': 'attachment; filename="文字.txt"' },
      { 'x-amz-meta-naïve': 'v' },
    ];
    for (const fields of refused) {
      const { status, body } = await post(fields);
      assert.equal(status, 400, JSON.stringify(fields));
      assert.match(body, /<Code>InvalidArgument<\/Code>/);
    }
    const url = new URL(`${s3h.url}/docs/bad.txt`);
    url.searchParams.set('x-amz-meta-a', 'cr\rhere');
    assert.equal((await fetch(url, { method: 'PUT', body: 'x' })).status, 400);
    assert.equal((await fetch(`${s3h.url}/docs/bad.txt`)).status, 404);
  });

  it('refuses a response-* override beyond ISO-8859-1 instead of failing the GET', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'a.txt', Body: 'x' }));
    const response = await fetch(
      `${s3h.url}/docs/a.txt?response-content-disposition=${encodeURIComponent('attachment; filename="文.txt"')}`,
    );
    assert.equal(response.status, 400);
    assert.match(await response.text(), /Header value cannot be represented using ISO-8859-1\./);
  });

  it('answers an object stored before with a raw value beyond ISO-8859-1, encoded', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'old.txt', Body: 'x' }));
    s3h.db
      .prepare("UPDATE s3_objects SET metadata = json_set(metadata, '$.user.title', ?) WHERE key = 'old.txt'")
      .run('文字\n');
    assert.equal((await metadataOf('old.txt'))?.title, encoded('文字\n'));
  });

  it('keeps the x-amz-meta-* of a presigned PUT URL (aws-sdk v2 SigV4, boto3 SigV2) from its query', async () => {
    const v2 = s3h.v2Client();
    const v2Url = v2.getSignedUrl('putObject', { Bucket: 'docs', Key: 'v2', Metadata: { owner: 'ann' } });
    const boto3Url = (
      await boto3(
        s3h,
        [
          "legacy = boto3.client('s3', endpoint_url=s3.meta.endpoint_url, region_name='us-east-1',",
          "  aws_access_key_id='a', aws_secret_access_key='b', config=Config(signature_version='s3'))",
          "print(legacy.generate_presigned_url('put_object', Params={'Bucket': 'docs', 'Key': 'boto3', 'Metadata': {'owner': 'bob'}}))",
        ].join('\n'),
      )
    ).trim();
    for (const url of [v2Url, boto3Url]) {
      assert.match(url, /[?&]x-amz-meta-owner=/);
      assert.equal((await fetch(url, { method: 'PUT', body: 'x' })).status, 200);
    }
    assert.deepEqual(await metadataOf('v2'), { owner: 'ann' });
    assert.deepEqual(await metadataOf('boto3'), { owner: 'bob' });
  });
});
