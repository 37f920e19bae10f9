import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { startEmulator, type RunningEmulator } from '../helpers/emulate';

/**
 * Response streaming through the real `sls emulate`: the handlers of test/fixtures/response-streaming
 * write a first chunk, then wait until the test creates the file the request names, so a chunk read
 * before that file exists was sent while the handler was still running.
 */
describe('sls emulate: response streaming (awslambda.streamifyResponse)', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let base: string;
  let signals: string;
  let count = 0;

  before(async () => {
    signals = mkdtempSync(path.join(tmpdir(), 'emulate-signals-'));
    emulator = await startEmulator(fixture('response-streaming'));
    base = emulator.http ?? '';
  });
  after(async () => {
    assert.equal(await emulator?.stop(), 0);
    rmSync(signals, { recursive: true, force: true });
  });

  /** A file that does not exist yet, and what creates it (releasing the handler that waits for it). */
  const signal = () => {
    const file = path.join(signals, `release-${++count}`);
    return { file, release: () => writeFileSync(file, '') };
  };

  /** Reads the body until `text` has arrived; what was read so far. */
  const readUntil = async (reader: ReadableStreamDefaultReader<Uint8Array>, text: string, got = '') => {
    const decoder = new TextDecoder();
    while (!got.includes(text)) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`body ended before ${JSON.stringify(text)}: ${JSON.stringify(got)}`);
      got += decoder.decode(value, { stream: true });
    }
    return got;
  };

  const readToEnd = async (reader: ReadableStreamDefaultReader<Uint8Array>, got: string) => {
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return got;
      got += decoder.decode(value, { stream: true });
    }
  };

  describe('function URLs with invokeMode RESPONSE_STREAM', () => {
    it('answers with the prelude of HttpResponseStream.from and sends each chunk as it is written', async () => {
      const { file, release } = signal();
      const response = await fetch(`${base}/lambda-url/prelude/?signal=${encodeURIComponent(file)}`);
      assert.equal(response.status, 201);
      assert.equal(response.headers.get('content-type'), 'text/plain');
      assert.equal(response.headers.get('x-kind'), 'streamed');
      assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2; Path=/']);
      assert.equal(response.headers.get('transfer-encoding'), 'chunked');
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      // The handler is still waiting for the file: the first chunk came while it ran.
      const first = await readUntil(reader, 'first\n');
      assert.equal(first, 'first\n');
      release();
      assert.equal(await readToEnd(reader, first), 'first\nsecond\n');
    });

    it("sends a stream without prelude as a 200 of the stream's content type, values as their JSON", async () => {
      const { file, release } = signal();
      const response = await fetch(`${base}/lambda-url/raw/?signal=${encodeURIComponent(file)}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/csv');
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const first = await readUntil(reader, 'a,b\n');
      release();
      assert.equal(await readToEnd(reader, first), 'a,b\n{"not":"bytes"}');
    });

    it('ends the answer where it is when the handler throws mid-stream, and logs the error', async () => {
      const { file, release } = signal();
      const response = await fetch(`${base}/lambda-url/failsMidStream/?signal=${encodeURIComponent(file)}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/octet-stream');
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const first = await readUntil(reader, 'partial\n');
      release();
      assert.equal(await readToEnd(reader, first), 'partial\n');
      await emulator.waitForOutput(/Invoke Error.*boom mid-stream/);
    });

    it('answers 502 when the handler throws before writing anything', async () => {
      const response = await fetch(`${base}/lambda-url/failsEarly/`);
      assert.equal(response.status, 502);
      assert.equal(await response.text(), 'Internal Server Error');
    });

    it('sends the whole payload of a handler that does not stream as the body', async () => {
      const response = await fetch(`${base}/lambda-url/buffered/`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/json');
      assert.deepEqual(await response.json(), {
        statusCode: 202,
        headers: { 'x-kind': 'buffered' },
        body: 'whole',
      });
    });
  });
});
