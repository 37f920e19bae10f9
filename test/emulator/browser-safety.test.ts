import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SignatureV4 } from '@smithy/signature-v4';
import { strict as assert } from 'node:assert';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/browser';
import { fixture } from '../helpers/cli';
import { clientConfig, startEmulator, type RunningEmulator } from '../helpers/emulate';
import { recorded } from '../helpers/records';

const PRIVATE = 'browsersafety-private'; // no CORS configuration; uploads run onUpload
const UPLOADS = 'browsersafety-uploads'; // CORS: PUT and GET from http://127.0.0.1:*
const QUEUE = 'browsersafety-jobs'; // consumed by worker

/**
 * What the pages run: each helper makes the request a browser makes for such a page, and returns what
 * the page itself can see of the answer (nothing, for a no-cors request or a form posted into a frame).
 */
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>page</title></head><body>
<script>
  // fetch(..., {mode: 'no-cors'}) with a string body: Content-Type text/plain, no preflight.
  window.postNoCors = async (url, body) => {
    try {
      const response = await fetch(url, { method: 'POST', mode: 'no-cors', body });
      return response.type;
    } catch (error) {
      return 'error: ' + error.message;
    }
  };
  // A form posted into a hidden frame, the page staying where it is; file: {name, content} adds a file input.
  window.postForm = (action, enctype, fields, file) => {
    const frame = document.createElement('iframe');
    frame.name = 'frame' + Math.random().toString(16).slice(2);
    document.body.append(frame);
    const form = document.createElement('form');
    Object.assign(form, { method: 'POST', action, enctype, target: frame.name });
    for (const [name, value] of fields) {
      const input = document.createElement('input');
      Object.assign(input, { type: 'hidden', name, value });
      form.append(input);
    }
    if (file) {
      const input = document.createElement('input');
      Object.assign(input, { type: 'file', name: 'file' });
      const files = new DataTransfer();
      files.items.add(new File([file.content], file.name, { type: 'text/plain' }));
      input.files = files.files;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
    return 'submitted';
  };
  // An image: a GET with neither Origin nor a body, that no CORS rule governs.
  window.loadImage = (url) =>
    new Promise((resolve) => {
      const image = new Image();
      image.onload = () => resolve('load');
      image.onerror = () => resolve('error');
      image.src = url;
    });
  // fetch in cors mode, reading the body: what a page that wants the answer does.
  window.read = async (url, init) => {
    try {
      const response = await fetch(url, init);
      return { status: response.status, etag: response.headers.get('etag'), body: await response.text() };
    } catch (error) {
      return { error: error.message };
    }
  };
</script>
</body></html>`;

interface ReadResult {
  status?: number;
  etag?: string | null;
  body?: string;
  error?: string;
}

/** The helpers `PAGE` defines, as the test calls them through page.evaluate. */
interface PageHelpers {
  postNoCors(url: string, body: string): Promise<string>;
  postForm(
    action: string,
    enctype: string,
    fields: [string, string][],
    file?: { name: string; content: string },
  ): string;
  loadImage(url: string): Promise<string>;
  read(
    url: string,
    init?: { method: string; body?: string; headers?: Record<string, string> },
  ): Promise<ReadResult>;
}

/** SHA-256 for the SigV4 signer, from node:crypto. */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.create();
  }
  private create() {
    if (this.secret === undefined) return createHash('sha256');
    const key =
      typeof this.secret === 'string'
        ? this.secret
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.create();
  }
}

/** A presigned S3 URL for `method` on `bucket/key`, as the AWS SDKs make it (path-style). */
async function presign(endpoint: string, method: string, bucket: string, key: string): Promise<string> {
  const url = new URL(`${endpoint}/${bucket}/${key}`);
  const signer = new SignatureV4({
    service: 's3',
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.presign(
    {
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: {},
      headers: { host: url.host },
    },
    { expiresIn: 300 },
  );
  const query = new URLSearchParams(signed.query as Record<string, string>);
  return `${url.origin}${signed.path}?${query}`;
}

describe('sls emulate in a real headless Chromium: no web page can drive the AWS endpoint', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-browser-'));
  const recordFile = path.join(dir, 'records.jsonl');
  const { records, waitFor } = recorded(recordFile);
  let emulator: RunningEmulator | undefined;
  let browser: BrowserContext | undefined;
  let pages: Server | undefined;
  let pagePort = 0;
  let queueUrl = '';
  let s3: S3Client;
  let sqs: SQSClient;

  const fnName = (key: string) => `browsersafety-dev-${key}`;
  const invokeUrl = () => `${emulator?.aws}/2015-03-31/functions/${fnName('target')}/invocations`;
  const queueMessages = async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
    );
  };
  const keysOf = async (bucket: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key);
  const invocationLines = (fn: string) =>
    (emulator?.output() ?? '').split('\n').filter((line) => line.startsWith(`λ ${fn} `));

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`);
      this.skip();
    }
    pages = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    });
    // Both origins are this server: http://localhost:<port> (another site) and http://127.0.0.1:<port>.
    await new Promise<void>((resolve) => pages?.listen(0, '127.0.0.1', resolve));
    pagePort = (pages.address() as AddressInfo).port;
    emulator = await startEmulator(fixture('browser-safety'), ['--state-dir', path.join(dir, 'state')], {
      RECORD_FILE: recordFile,
    });
    s3 = new S3Client({ ...clientConfig(emulator.aws), forcePathStyle: true });
    sqs = new SQSClient(clientConfig(emulator.aws));
    queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: QUEUE }))).QueueUrl ?? '';
    // The object the pages try to read, written by a real client; its upload runs onUpload once.
    await s3.send(new PutObjectCommand({ Bucket: PRIVATE, Key: 'secret.txt', Body: 'top secret' }));
    await waitFor((r) => r.fn === fnName('onUpload'), 20_000);
    // A new empty profile (--user-data-dir), as Playwright passes it for a persistent context.
    browser = await chromium.launchPersistentContext(mkdtempSync(path.join(dir, 'chromium-')), {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
  });

  after(async () => {
    await browser?.close();
    s3?.destroy();
    sqs?.destroy();
    await emulator?.stop();
    await new Promise((resolve) => (pages ? pages.close(resolve) : resolve(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  /** What went over the wire for a page's requests, as Chromium's network stack saw it (CDP). */
  interface Exchange {
    url?: string;
    method?: string;
    /** The request headers as sent, with Origin and Sec-Fetch-*, lower-cased. */
    headers?: Record<string, string>;
    status?: number;
    responseHeaders?: Record<string, string>;
  }
  const wires = new Map<Page, Map<string, Exchange>>();
  const lower = (headers: Record<string, string>) =>
    Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

  /** A new page at `origin`, its network watched. */
  async function open(origin: string): Promise<Page> {
    const context = browser as BrowserContext;
    const page = await context.newPage();
    const wire = new Map<string, Exchange>();
    const exchange = (id: string) => wire.get(id) ?? (wire.set(id, {}).get(id) as Exchange);
    const cdp = await context.newCDPSession(page);
    cdp.on('Network.requestWillBeSent', (e) =>
      Object.assign(exchange(e.requestId), { url: e.request.url, method: e.request.method }),
    );
    cdp.on('Network.requestWillBeSentExtraInfo', (e) => {
      exchange(e.requestId).headers = lower(e.headers);
    });
    cdp.on('Network.responseReceivedExtraInfo', (e) =>
      Object.assign(exchange(e.requestId), { status: e.statusCode, responseHeaders: lower(e.headers) }),
    );
    await cdp.send('Network.enable');
    wires.set(page, wire);
    await page.goto(`${origin}/index.html`);
    return page;
  }

  /**
   * Runs `act` in the page and returns what it saw (`inPage`), and the request to `url` it made and
   * the endpoint's answer, as they went over the wire (the page itself may see nothing of it).
   */
  async function answerTo(page: Page, url: string, method: string, act: () => Promise<unknown>) {
    const inPage = await act();
    const wire = wires.get(page) as Map<string, Exchange>;
    const started = Date.now();
    for (;;) {
      const found = [...wire.values()].find(
        (x) => x.url?.startsWith(url) && x.method === method && x.headers && x.status !== undefined,
      );
      if (found) {
        return {
          inPage,
          headers: found.headers as Record<string, string>,
          status: found.status,
          errorType: found.responseHeaders?.['x-amzn-errortype'],
        };
      }
      if (Date.now() - started > 20_000) {
        throw new Error(`no answer to ${method} ${url} seen; the page saw ${JSON.stringify(inPage)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const attackers = [
    {
      label: 'a page on another site (http://localhost:<port>)',
      origin: () => `http://localhost:${pagePort}`,
      site: 'cross-site',
    },
    {
      label: 'a page on another port of 127.0.0.1, an origin the uploads bucket allows',
      origin: () => `http://127.0.0.1:${pagePort}`,
      site: 'same-site',
    },
  ];

  for (const attacker of attackers) {
    describe(attacker.label, () => {
      let page: Page;
      before(async () => {
        page = await open(attacker.origin());
      });
      after(async () => {
        await page?.close();
      });

      it('cannot invoke a function with fetch(no-cors) text/plain to the Invoke API', async () => {
        const { inPage, headers, status, errorType } = await answerTo(page, invokeUrl(), 'POST', () =>
          page.evaluate(
            (url) => (globalThis as unknown as PageHelpers).postNoCors(url, '{"from":"page"}'),
            invokeUrl(),
          ),
        );
        assert.equal(inPage, 'opaque'); // the page sees nothing
        assert.equal(headers.origin, attacker.origin());
        assert.equal(headers['sec-fetch-site'], attacker.site);
        assert.match(headers['content-type'] ?? '', /^text\/plain/);
        assert.equal(status, 403);
        assert.equal(errorType, 'AccessDeniedException'); // the guard's answer
        assert.deepEqual(invocationLines('target'), []);
        assert.deepEqual(
          records().filter((r) => r.fn === fnName('target')),
          [],
        );
      });

      it('cannot send an SQS message with an HTML form (Query SendMessage, form-urlencoded)', async () => {
        const { headers, status, errorType } = await answerTo(page, queueUrl, 'POST', () =>
          page.evaluate(
            ([action]) =>
              (globalThis as unknown as PageHelpers).postForm(action, 'application/x-www-form-urlencoded', [
                ['Action', 'SendMessage'],
                ['Version', '2012-11-05'],
                ['MessageBody', 'from a form'],
              ]),
            [queueUrl],
          ),
        );
        assert.equal(headers.origin, attacker.origin());
        assert.equal(headers['content-type'], 'application/x-www-form-urlencoded');
        assert.equal(status, 403);
        assert.equal(errorType, 'AccessDeniedException'); // the guard's answer
        assert.equal(await queueMessages(), 0);
        assert.deepEqual(invocationLines('worker'), []);
      });

      it('cannot send an SQS message with an image (Query SendMessage in a GET)', async () => {
        const url = `${queueUrl}?Action=SendMessage&Version=2012-11-05&MessageBody=from+an+image`;
        const { inPage, headers, status, errorType } = await answerTo(page, queueUrl, 'GET', () =>
          page.evaluate((src) => (globalThis as unknown as PageHelpers).loadImage(src), url),
        );
        assert.equal(inPage, 'error');
        assert.equal(headers.origin, undefined); // no Origin on an image's GET: Sec-Fetch-Site tells
        assert.equal(headers['sec-fetch-site'], attacker.site);
        assert.equal(status, 403);
        assert.equal(errorType, 'AccessDeniedException'); // the guard's answer
        assert.equal(await queueMessages(), 0);
        assert.deepEqual(invocationLines('worker'), []);
      });

      it('cannot write an object with an S3 browser-based POST (multipart form) to a bucket without CORS', async () => {
        const bucketUrl = `${emulator?.aws}/${PRIVATE}`;
        const { headers, status, errorType } = await answerTo(page, bucketUrl, 'POST', () =>
          page.evaluate(
            ([action]) =>
              (globalThis as unknown as PageHelpers).postForm(
                action,
                'multipart/form-data',
                [['key', 'planted-${filename}']],
                {
                  name: 'evil.txt',
                  content: 'planted by a page',
                },
              ),
            [bucketUrl],
          ),
        );
        assert.equal(headers.origin, attacker.origin());
        assert.match(headers['content-type'] ?? '', /^multipart\/form-data; boundary=/);
        assert.equal(status, 403);
        assert.equal(errorType, 'AccessDeniedException'); // the guard's answer
        assert.deepEqual(await keysOf(PRIVATE), ['secret.txt']);
        assert.equal(records().filter((r) => r.fn === fnName('onUpload')).length, 1); // secret.txt's
      });

      it('cannot read an object of a bucket without CORS with fetch', async () => {
        const url = `${emulator?.aws}/${PRIVATE}/secret.txt`;
        const { inPage, headers, status, errorType } = await answerTo(page, url, 'GET', () =>
          page.evaluate((u) => (globalThis as unknown as PageHelpers).read(u), url),
        );
        assert.deepEqual(inPage, { error: 'Failed to fetch' });
        assert.equal(headers.origin, attacker.origin());
        assert.equal(status, 403);
        assert.equal(errorType, 'AccessDeniedException'); // the guard's answer
      });
    });
  }

  describe('a page on an origin the bucket CORS configuration allows (http://127.0.0.1:<port>)', () => {
    let page: Page;
    before(async () => {
      page = await open(`http://127.0.0.1:${pagePort}`);
    });
    after(async () => {
      await page?.close();
    });

    it('uploads through a presigned PUT URL, reads the answer, and the object is stored', async () => {
      const url = await presign(emulator?.aws ?? '', 'PUT', UPLOADS, 'from-page.txt');
      const result = await page.evaluate(
        (u) =>
          (globalThis as unknown as PageHelpers).read(u, {
            method: 'PUT',
            body: 'uploaded by the page',
            headers: { 'content-type': 'text/plain' },
          }),
        url,
      );
      assert.equal(result.error, undefined);
      assert.equal(result.status, 200);
      assert.match(result.etag ?? '', /^"[0-9a-f]{32}"$/); // ExposedHeaders: [ETag]
      const object = await s3.send(new GetObjectCommand({ Bucket: UPLOADS, Key: 'from-page.txt' }));
      assert.equal(await object.Body?.transformToString(), 'uploaded by the page');
      assert.equal(object.ContentType, 'text/plain');
      assert.equal(object.ETag, result.etag);
    });

    it('reads the object back with fetch, the bucket allowing GET from its origin', async () => {
      const result = await page.evaluate(
        (u) => (globalThis as unknown as PageHelpers).read(u),
        `${emulator?.aws}/${UPLOADS}/from-page.txt`,
      );
      assert.deepEqual(result, { status: 200, etag: result.etag, body: 'uploaded by the page' });
    });
  });

  describe('then', () => {
    it('a page on another site cannot read that object either', async () => {
      const page = await open(`http://localhost:${pagePort}`);
      try {
        const result = await page.evaluate(
          (u) => (globalThis as unknown as PageHelpers).read(u),
          `${emulator?.aws}/${UPLOADS}/from-page.txt`,
        );
        assert.deepEqual(result, { error: 'Failed to fetch' });
      } finally {
        await page.close();
      }
    });

    it('the real clients still work, and nothing any page sent reached a function, the queue or a bucket', async () => {
      const config = clientConfig(emulator?.aws ?? '');
      const lambda = new LambdaClient(config);
      const invoked = await lambda.send(
        new InvokeCommand({ FunctionName: fnName('target'), Payload: Buffer.from('{"from":"sdk"}') }),
      );
      lambda.destroy();
      assert.equal(invoked.StatusCode, 200);
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'from the sdk' }));
      await s3.send(new PutObjectCommand({ Bucket: PRIVATE, Key: 'from-sdk.txt', Body: 'sdk' }));
      await waitFor((r) => r.fn === fnName('worker'), 20_000);
      await waitFor(
        (r) => r.fn === fnName('onUpload') && r.event.Records[0].s3.object.key === 'from-sdk.txt',
        20_000,
      );
      const seen = records().map(({ fn, event }) =>
        fn === fnName('target')
          ? `${fn} ${JSON.stringify(event)}`
          : fn === fnName('worker')
            ? `${fn} ${event.Records.map((m: { body: string }) => m.body).join(',')}`
            : `${fn} ${event.Records[0].s3.object.key}`,
      );
      assert.deepEqual(seen.sort(), [
        `${fnName('onUpload')} from-sdk.txt`,
        `${fnName('onUpload')} secret.txt`,
        `${fnName('target')} {"from":"sdk"}`,
        `${fnName('worker')} from the sdk`,
      ]);
      assert.deepEqual(await keysOf(PRIVATE), ['from-sdk.txt', 'secret.txt']);
      await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: PRIVATE, Key: 'planted-evil.txt' })), {
        name: 'NotFound',
      });
    });
  });
});
