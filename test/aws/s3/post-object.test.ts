import { originText } from '../../../src/classify/origin';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { bucketsFromModel, notificationsFromModel } from '../../../src/aws/s3/from-model';
import { boundaryOf, FormDataError, parseFormData } from '../../../src/aws/s3/form-data';
import { ARN, service } from './fixture';
import { rejection, startS3, type S3Harness } from './helpers';

const etagOf = (data: string | Uint8Array) => `"${createHash('md5').update(data).digest('hex')}"`;

/** Every byte value, with CRLF, `--` and a fake boundary line inside: what must survive the framing. */
const BINARY = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from('\r\n--not-the-boundary\r\n\r\n--\r\n'),
  Buffer.from([0, 0xff, 0x0d, 0x0a]),
]);

/** A browser's form: the fields in order, then (unless `file` is null) the file, then `after`. */
function form(
  fields: Record<string, string>,
  file: Blob | string | null = new Blob(['hello']),
  after: Record<string, string> = {},
  filename?: string,
): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  if (typeof file === 'string') data.append('file', file);
  else if (file) data.append('file', file, filename);
  for (const [name, value] of Object.entries(after)) data.append(name, value);
  return data;
}

describe('S3 POST Object (browser-based uploads)', () => {
  let s3h: S3Harness;
  let s3: S3Client;

  beforeEach(async () => {
    const model = service();
    s3h = await startS3({
      buckets: [...bucketsFromModel(model), 'docs'],
      notifications: [
        ...notificationsFromModel(model),
        {
          bucket: 'docs',
          event: 's3:ObjectCreated:Post',
          prefix: 'posted/',
          functionArn: ARN('onPost'),
          configurationId: 'on-post',
        },
        {
          bucket: 'docs',
          event: 's3:ObjectCreated:Put',
          functionArn: ARN('onPut'),
          configurationId: 'on-put',
        },
      ],
    });
    s3 = s3h.client();
  });
  afterEach(async () => {
    s3.destroy();
    await s3h.dispose();
  });

  const post = (body: FormData | string, bucket = 'docs', init: RequestInit = {}) =>
    fetch(`${s3h.url}/${bucket}`, { method: 'POST', body, redirect: 'manual', ...init });
  const get = async (Key: string, Bucket = 'docs') => {
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    return { got, bytes: Buffer.from((await got.Body?.transformToByteArray()) ?? []) };
  };
  const errorOf = async (response: Response) => {
    const text = await response.text();
    const entities: Record<string, string> = { apos: "'", quot: '"', lt: '<', gt: '>', amp: '&' };
    const element = (name: string) =>
      new RegExp(`<${name}>([^<]*)</${name}>`)
        .exec(text)?.[1]
        .replace(/&(apos|quot|lt|gt|amp);/g, (_, entity: string) => entities[entity]);
    return {
      status: response.status,
      code: element('Code'),
      message: element('Message'),
      element,
    };
  };

  it('stores the file part byte for byte, the key taking the filename, and answers 204 with the ETag', async () => {
    const response = await post(
      form({ key: 'posted/${filename}' }, new Blob([BINARY], { type: 'image/png' }), {}, 'photo 1.bin'),
    );
    assert.equal(response.status, 204);
    assert.equal(await response.text(), '');
    assert.equal(response.headers.get('etag'), etagOf(BINARY));
    assert.equal(response.headers.get('location'), `${s3h.url}/docs/posted%2Fphoto%201.bin`);
    assert.equal(response.headers.get('content-type'), null);
    assert.ok(response.headers.get('x-amz-request-id'));
    const { got, bytes } = await get('posted/photo 1.bin');
    assert.deepEqual(bytes, BINARY);
    assert.equal(got.ETag, etagOf(BINARY));
    assert.equal(got.ContentLength, BINARY.length);
    // The file part's own type is not the object's: S3 takes the Content-Type field only.
    assert.equal(got.ContentType, 'binary/octet-stream');
  });

  it('stores Content-Type, Cache-Control, Content-Disposition and x-amz-meta-* fields, whatever their case', async () => {
    const response = await post(
      form({
        Key: 'report.txt',
        'Content-Type': 'text/plain; charset=utf-8',
        'cache-control': 'max-age=60',
        'Content-Disposition': 'attachment; filename="report.txt"',
        'x-amz-meta-Author': 'Ada',
        'X-AMZ-META-TEST-2': 'two',
        'x-amz-storage-class': 'STANDARD_IA',
        acl: 'private',
        policy: Buffer.from('{"expiration":"2000-01-01T00:00:00Z","conditions":[]}').toString('base64'),
        'x-amz-algorithm': 'AWS4-HMAC-SHA256',
        'x-amz-credential': 'AKIDPOST/20240506/us-east-1/s3/aws4_request',
        'x-amz-date': '20240506T000000Z',
        'x-amz-signature': 'not-checked',
        'x-ignore-foo': 'bar',
      }),
    );
    assert.equal(response.status, 204);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'report.txt' }));
    assert.equal(head.ContentType, 'text/plain; charset=utf-8');
    assert.equal(head.CacheControl, 'max-age=60');
    assert.equal(head.ContentDisposition, 'attachment; filename="report.txt"');
    assert.equal(head.StorageClass, 'STANDARD_IA');
    assert.deepEqual(head.Metadata, { author: 'Ada', 'test-2': 'two' });
    assert.equal(head.ETag, etagOf('hello'));
  });

  it('keeps ${filename} literally when the file part has no filename, and stores a text file field', async () => {
    const response = await post(form({ key: 'as-field-${filename}' }, 'plain text, no filename'));
    assert.equal(response.status, 204);
    assert.equal((await get('as-field-${filename}')).bytes.toString(), 'plain text, no filename');
  });

  it('replaces every ${filename}, with a UTF-8 filename as browsers send it', async () => {
    await post(form({ key: '${filename}/copy-of-${filename}' }, new Blob(['x']), {}, 'naïve 日本.txt'));
    assert.equal((await get('naïve 日本.txt/copy-of-naïve 日本.txt')).bytes.toString(), 'x');
  });

  it('answers 201 with the PostResponse document, 200 empty, and 204 for any other status asked', async () => {
    const created = await post(form({ key: 'dir/a b.txt', success_action_status: '201' }));
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('content-type'), 'application/xml');
    const location = `${s3h.url}/docs/dir%2Fa%20b.txt`;
    assert.equal(created.headers.get('location'), location);
    assert.equal(created.headers.get('etag'), etagOf('hello'));
    assert.equal(
      await created.text(),
      '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>' +
        `<Location>${location}</Location><Bucket>docs</Bucket><Key>dir/a b.txt</Key>` +
        `<ETag>&quot;${etagOf('hello').slice(1, -1)}&quot;</ETag></PostResponse>`,
    );
    const ok = await post(form({ key: 'b.txt', success_action_status: '200' }));
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), '');
    assert.equal(ok.headers.get('etag'), etagOf('hello'));
    const other = await post(form({ key: 'c.txt', success_action_status: '404' }));
    assert.equal(other.status, 204);
    for (const key of ['dir/a b.txt', 'b.txt', 'c.txt'])
      assert.equal((await get(key)).bytes.toString(), 'hello');
  });

  it('redirects 303 to success_action_redirect with bucket, key and etag, keeping its query', async () => {
    const etag = encodeURIComponent(etagOf('hello'));
    const plain = await post(
      form({
        key: 'up/a b.txt',
        success_action_redirect: 'https://app.test/done',
        success_action_status: '201',
      }),
    );
    assert.equal(plain.status, 303);
    assert.equal(await plain.text(), '');
    assert.equal(
      plain.headers.get('location'),
      `https://app.test/done?bucket=docs&key=up%2Fa+b.txt&etag=${etag}`,
    );
    const withQuery = await post(form({ key: 'k', success_action_redirect: 'http://app.test/done?x=1#top' }));
    assert.equal(
      withQuery.headers.get('location'),
      `http://app.test/done?x=1&bucket=docs&key=k&etag=${etag}#top`,
    );
    const relative = await post(form({ key: 'r', success_action_redirect: '/relative/done' }));
    assert.equal(relative.status, 204);
    assert.equal((await get('up/a b.txt')).bytes.toString(), 'hello');
  });

  it('ignores the fields after the file, as S3 does', async () => {
    const response = await post(form({ key: 'early.txt' }, new Blob(['f']), { 'x-amz-meta-late': 'no' }));
    assert.equal(response.status, 204);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'early.txt' }));
    assert.deepEqual(head.Metadata, {});
    const late = await errorOf(await post(form({}, new Blob(['f']), { key: 'late.txt' })));
    assert.equal(late.status, 400);
    assert.equal(late.code, 'InvalidArgument');
  });

  it('serves POST / on a virtual-hosted bucket host', async () => {
    const carrier = new Response(
      form({ key: 'vhost.bin', success_action_status: '201' }, new Blob([BINARY])),
    );
    const body = Buffer.from(await carrier.arrayBuffer());
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: s3h.port,
          method: 'POST',
          path: '/',
          headers: {
            host: `docs.localhost:${s3h.port}`,
            'content-type': carrier.headers.get('content-type') ?? '',
            'content-length': body.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    assert.equal(answer.status, 201);
    assert.match(answer.text, new RegExp(`<Location>http://docs.localhost:${s3h.port}/vhost.bin</Location>`));
    assert.deepEqual((await get('vhost.bin')).bytes, BINARY);
  });

  it('notifies ObjectCreated:Post to s3:ObjectCreated:* and s3:ObjectCreated:Post subscriptions', async () => {
    const response = await post(
      form(
        { key: 'incoming/${filename}', 'x-amz-credential': 'AKIDBROWSER/20240506/us-east-1/s3/aws4_request' },
        new Blob([BINARY]),
        {},
        'my cat.jpg',
      ),
      'uploads',
    );
    assert.equal(response.status, 204);
    await post(form({ key: 'posted/one.txt' }));
    await post(form({ key: 'elsewhere/two.txt' }));
    assert.deepEqual(
      s3h.deliveries.map((d) => [d.functionArn, originText(d.origin)]),
      [
        [ARN('onImage'), 's3 uploads ObjectCreated:Post'],
        [ARN('onPost'), 's3 docs ObjectCreated:Post'],
      ],
    );
    const [record] = s3h.deliveries[0].payload.Records;
    assert.equal(record.eventName, 'ObjectCreated:Post');
    assert.equal(record.eventSource, 'aws:s3');
    assert.equal(record.awsRegion, 'us-east-1');
    assert.equal(record.userIdentity.principalId, 'AWS:AKIDBROWSER');
    assert.equal(record.requestParameters.sourceIPAddress, '127.0.0.1');
    assert.equal(record.responseElements['x-amz-request-id'], response.headers.get('x-amz-request-id'));
    assert.equal(record.responseElements['x-amz-id-2'], response.headers.get('x-amz-id-2'));
    assert.equal(record.s3.bucket.name, 'uploads');
    assert.equal(record.s3.bucket.arn, 'arn:aws:s3:::uploads');
    assert.deepEqual(
      { ...record.s3.object, sequencer: undefined },
      {
        key: 'incoming/my+cat.jpg',
        size: BINARY.length,
        eTag: etagOf(BINARY).slice(1, -1),
        sequencer: undefined,
      },
    );
    assert.match(record.s3.object.sequencer, /^[0-9A-F]{18}$/);
    const unsigned = s3h.deliveries[1].payload.Records[0];
    assert.equal(unsigned.userIdentity.principalId, 'ANONYMOUS_PRINCIPAL');
    assert.equal(unsigned.s3.configurationId, 'on-post');
  });

  it('checks an x-amz-checksum-* field against the file', async () => {
    const sha256 = (data: string) => createHash('sha256').update(data).digest('base64');
    const good = await post(form({ key: 'summed', 'x-amz-checksum-sha256': sha256('hello') }));
    assert.equal(good.status, 204);
    assert.equal(good.headers.get('x-amz-checksum-sha256'), sha256('hello'));
    const bad = await errorOf(await post(form({ key: 'summed2', 'x-amz-checksum-sha256': sha256('other') })));
    assert.deepEqual([bad.status, bad.code], [400, 'BadDigest']);
    assert.equal((await rejection(get('summed2'))).name, 'NoSuchKey');
  });

  describe('errors, as S3 answers them', () => {
    it('a form without a key field: 400 InvalidArgument naming key', async () => {
      const error = await errorOf(await post(form({ acl: 'private' })));
      assert.equal(error.status, 400);
      assert.equal(error.code, 'InvalidArgument');
      assert.equal(
        error.message,
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
      );
      assert.equal(error.element('ArgumentName'), 'key');
    });

    it('a form without a file: 400 InvalidArgument naming file', async () => {
      const error = await errorOf(await post(form({ key: 'k' }, null)));
      assert.deepEqual([error.status, error.code], [400, 'InvalidArgument']);
      assert.equal(error.message, 'POST requires exactly one file upload per request.');
      assert.equal(error.element('ArgumentName'), 'file');
      assert.equal(error.element('ArgumentValue'), '0');
    });

    it('an unknown bucket: 404 NoSuchBucket', async () => {
      const error = await errorOf(await post(form({ key: 'k' }), 'no-such-bucket'));
      assert.deepEqual([error.status, error.code], [404, 'NoSuchBucket']);
      assert.equal(error.element('BucketName'), 'no-such-bucket');
    });

    it('a body that is not multipart/form-data: 412 PreconditionFailed', async () => {
      const error = await errorOf(
        await post('key=k', 'docs', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      );
      assert.deepEqual([error.status, error.code], [412, 'PreconditionFailed']);
      assert.equal(
        error.element('Condition'),
        'Bucket POST must be of the enclosure-type multipart/form-data',
      );
    });

    it('a multipart body that is not well-formed, or has no boundary: 400 MalformedPOSTRequest', async () => {
      for (const contentType of ['multipart/form-data; boundary=xyz', 'multipart/form-data']) {
        const body = '--xyz\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--xyz\r\nno closing';
        const error = await errorOf(await post(body, 'docs', { headers: { 'content-type': contentType } }));
        assert.deepEqual([error.status, error.code], [400, 'MalformedPOSTRequest'], contentType);
      }
    });

    it('more than 20 KB of fields before the file: 400 MaxPostPreDataLengthExceeded', async () => {
      const error = await errorOf(await post(form({ key: 'k', 'x-amz-meta-big': 'x'.repeat(20480) })));
      assert.deepEqual([error.status, error.code], [400, 'MaxPostPreDataLengthExceeded']);
      assert.equal(error.element('MaxPostPreDataLengthBytes'), '20480');
    });

    it('a key over 1024 bytes: 400 KeyTooLongError', async () => {
      const error = await errorOf(await post(form({ key: 'k'.repeat(1025) })));
      assert.deepEqual([error.status, error.code], [400, 'KeyTooLongError']);
    });
  });
});

describe('multipart/form-data parsing', () => {
  const parse = (text: string | Buffer, boundary = 'b') =>
    parseFormData(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'), boundary);

  it('reads the boundary, quoted or not, of a multipart/form-data type only', () => {
    assert.equal(
      boundaryOf('multipart/form-data; boundary=----WebKitFormBoundaryX'),
      '----WebKitFormBoundaryX',
    );
    assert.equal(boundaryOf('Multipart/Form-Data; charset=utf-8; boundary="a b;c"'), 'a b;c');
    assert.equal(boundaryOf('multipart/form-data'), undefined);
    assert.equal(boundaryOf('multipart/mixed; boundary=x'), undefined);
  });

  it('skips the preamble and epilogue, allows padding after a boundary, keeps contents as bytes', () => {
    const body = Buffer.concat([
      Buffer.from('preamble\r\n--b  \r\nContent-Disposition: form-data; name="a"\r\n\r\none\r\n--b\r\n'),
      Buffer.from(
        'Content-Disposition: form-data; name="file"; filename="x.bin"\r\nContent-Type: image/png\r\n\r\n',
      ),
      BINARY,
      Buffer.from('\r\n--b--\r\nepilogue --b'),
    ]);
    const parts = parse(body);
    assert.deepEqual(
      parts.map((p) => [p.name, p.filename]),
      [
        ['a', undefined],
        ['file', 'x.bin'],
      ],
    );
    assert.equal(parts[0].data.toString(), 'one');
    assert.deepEqual(parts[1].data, BINARY);
    assert.equal(parts[1].headers['content-type'], 'image/png');
  });

  it('reads empty parts, part without headers, escaped quotes, filename* and other dispositions', () => {
    const parts = parse(
      '--b\r\nContent-Disposition: form-data; name="e"\r\n\r\n\r\n' +
        '--b\r\n\r\nheaderless\r\n' +
        '--b\r\nContent-Disposition: form-data; name="q\\"x"; filename="C:\\dir\\a \\"b\\".txt"\r\n\r\nq\r\n' +
        "--b\r\nContent-Disposition: form-data; name=u; filename=plain.txt; filename*=UTF-8''na%C3%AFve.txt\r\n\r\nu\r\n" +
        '--b\r\nContent-Disposition: attachment; name="file"\r\n\r\nnot a field\r\n--b--',
    );
    assert.deepEqual(
      parts.map((p) => [p.name, p.filename, p.data.toString()]),
      [
        ['e', undefined, ''],
        [undefined, undefined, 'headerless'],
        ['q"x', 'C:\\dir\\a "b".txt', 'q'],
        ['u', 'naïve.txt', 'u'],
        [undefined, undefined, 'not a field'],
      ],
    );
  });

  it('parses what the platform FormData sends', async () => {
    const data = new FormData();
    data.append('key', 'k "1"\r\n');
    data.append('file', new Blob([BINARY]), 'a"b.bin');
    const carrier = new Response(data);
    const boundary = boundaryOf(carrier.headers.get('content-type') ?? '');
    assert.ok(boundary);
    const parts = parseFormData(Buffer.from(await carrier.arrayBuffer()), boundary);
    assert.deepEqual(
      parts.map((p) => p.name),
      ['key', 'file'],
    );
    assert.equal(parts[0].data.toString(), 'k "1"\r\n');
    assert.equal(parts[1].filename, 'a%22b.bin');
    assert.deepEqual(parts[1].data, BINARY);
  });

  it('refuses bodies without the boundary, a closing boundary, an end of headers or CRLF framing', () => {
    for (const body of [
      'no boundary here',
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated',
      '--b\r\nContent-Disposition: form-data; name="a"',
      '--bX\r\n\r\nx\r\n--b--',
      '--b\nContent-Disposition: form-data; name="a"\n\nx\n--b--',
      '--b\r\nnot a header\r\n\r\nx\r\n--b--',
    ]) {
      assert.throws(() => parse(body), FormDataError, JSON.stringify(body));
    }
  });
});
