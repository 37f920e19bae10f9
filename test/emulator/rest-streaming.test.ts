import { strict as assert } from 'node:assert';
import { fixture, OSLS3_BIN } from '../helpers/cli';
import { emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';
import { bodyReader, readToEnd, readUntil, signals } from '../helpers/streaming';

/**
 * REST API response streaming (`response.transferMode: STREAM`, which osls has and serverless@3 does not)
 * through the real `osls emulate`; test/helpers/streaming.ts says how the handlers wait.
 */
describe('osls emulate: REST API methods with response.transferMode STREAM', function () {
  this.timeout(60_000);
  let emulator: EmulatorUnderTest;
  let base: string;
  const { signal, remove } = signals();

  before(async () => {
    emulator = await emulateInProcess(fixture('rest-streaming'), { framework: OSLS3_BIN });
    base = `${emulator.http ?? ''}/test`;
  });
  after(async () => {
    await emulator?.stop();
    remove();
  });

  const INTERNAL_ERROR = { message: 'Internal server error' };

  it('answers with the status and headers of the metadata and sends each chunk as it is written', async () => {
    const { file, release } = signal();
    const response = await fetch(`${base}/prelude?signal=${encodeURIComponent(file)}`);
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('content-type'), 'text/plain');
    assert.equal(response.headers.get('x-kind'), 'streamed');
    assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2; Path=/']);
    assert.equal(response.headers.get('transfer-encoding'), 'chunked');
    assert.match(response.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    const reader = bodyReader(response);
    // The handler is still waiting for the file: the first chunk came while it ran.
    const first = await readUntil(reader, 'first\n');
    assert.equal(first, 'first\n');
    release();
    assert.equal(await readToEnd(reader, first), 'first\nsecond\n');
  });

  it('merges headers and multiValueHeaders (the multi-value one wins) and adds the cookies', async () => {
    const response = await fetch(`${base}/metadata`);
    assert.equal(response.status, 206);
    assert.equal(response.headers.get('x-single'), 'one');
    assert.equal(response.headers.get('x-both'), 'm1, m2');
    assert.deepEqual(response.headers.getSetCookie(), ['c1=blue', 'c2=red']);
    assert.equal(await response.text(), 'body');
  });

  it('ends the answer where it is when the handler throws mid-stream, and logs the error', async () => {
    const { file, release } = signal();
    const response = await fetch(`${base}/fails-mid-stream?signal=${encodeURIComponent(file)}`);
    assert.equal(response.status, 200);
    const reader = bodyReader(response);
    const first = await readUntil(reader, 'partial\n');
    release();
    assert.equal(await readToEnd(reader, first), 'partial\n');
    await emulator.waitForOutput(/Invoke Error.*boom mid-stream/);
  });

  it("answers API Gateway's 502 when the handler throws before writing anything", async () => {
    const response = await fetch(`${base}/fails-early`);
    assert.equal(response.status, 502);
    assert.deepEqual(await response.json(), INTERNAL_ERROR);
  });

  it('answers 500 to a handler that does not stream, and to a stream without metadata', async () => {
    for (const path of ['buffered', 'raw']) {
      const response = await fetch(`${base}/${path}`);
      assert.equal(response.status, 500, path);
      assert.deepEqual(await response.json(), INTERNAL_ERROR, path);
    }
  });

  it('buffers a BUFFERED method, or one without transferMode, as before', async () => {
    // The whole stream is the payload: metadata and null bytes are no proxy result (502), JSON is.
    const buffered = await fetch(`${base}/prelude-buffered`);
    assert.equal(buffered.status, 502);
    assert.deepEqual(await buffered.json(), INTERNAL_ERROR);
    const json = await fetch(`${base}/json-stream`);
    assert.equal(json.status, 203);
    assert.equal(json.headers.get('content-length'), String('streamed json'.length));
    assert.equal(await json.text(), 'streamed json');
  });
});
