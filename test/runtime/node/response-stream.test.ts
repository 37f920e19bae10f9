import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { loadHandler } from '../../../src/runtime/node/load-handler';
import type { HandlerSetup } from '../../../src/runtime/node/protocol';
import {
  HttpResponseStream,
  installAwsLambdaGlobal,
  isStreamingHandler,
  MAX_STREAMED_RESPONSE_BYTES,
  ResponseStream,
} from '../../../src/runtime/node/response-stream';
import type { ResponseStreamSink } from '../../../src/runtime/types';

/** A sink that keeps what it is given, in order. */
function recording() {
  const calls: Array<{ start: string } | { chunk: string }> = [];
  const sink: ResponseStreamSink = {
    start: (contentType) => calls.push({ start: contentType }),
    chunk: (data) => calls.push({ chunk: data.toString('latin1') }),
  };
  return { calls, sink };
}

describe("Node.js runtime: a streaming handler's responseStream", () => {
  it('starts with the content type before the first chunk and writes values that are not bytes as JSON', async () => {
    const { calls, sink } = recording();
    const stream = new ResponseStream(sink);
    stream.setContentType('text/csv');
    stream.write('a');
    stream.write({ b: 1 });
    stream.end(Buffer.from('c'));
    await finished(stream);
    assert.deepEqual(calls, [{ start: 'text/csv' }, { chunk: 'a' }, { chunk: '{"b":1}' }, { chunk: 'c' }]);
  });

  it('refuses a content type once the stream has started, as the runtime does', () => {
    const stream = new ResponseStream(recording().sink);
    stream.write('x');
    assert.throws(() => stream.setContentType('text/plain'), /Cannot set content-type, too late\./);
  });

  it('writes the prelude of HttpResponseStream.from and 8 null bytes before the first chunk', async () => {
    const { calls, sink } = recording();
    const stream = HttpResponseStream.from(new ResponseStream(sink), { statusCode: 404 });
    stream.write('body');
    stream.end();
    await finished(stream);
    assert.deepEqual(calls, [
      { start: 'application/vnd.awslambda.http-integration-response' },
      { chunk: '{"statusCode":404}' },
      { chunk: '\0'.repeat(8) },
      { chunk: 'body' },
    ]);
  });

  it('writes the prelude before the chunk given to end(), and that chunk as JSON when it is not bytes', async () => {
    for (const [last, written] of [
      ['body', 'body'],
      [{ done: true }, '{"done":true}'],
    ] as const) {
      const { calls, sink } = recording();
      const stream = HttpResponseStream.from(new ResponseStream(sink), { statusCode: 201 });
      stream.end(last);
      await finished(stream);
      assert.deepEqual(calls, [
        { start: 'application/vnd.awslambda.http-integration-response' },
        { chunk: '{"statusCode":201}' },
        { chunk: '\0'.repeat(8) },
        { chunk: written },
      ]);
    }
  });

  it('says when nothing was written: the stream starts at its end', async () => {
    const { calls, sink } = recording();
    const stream = new ResponseStream(sink);
    stream.end();
    await finished(stream);
    assert.deepEqual(calls, [{ start: 'application/octet-stream' }]);
  });

  it('fails with Function.ResponseSizeTooLarge past 200 MB, without passing on what is over', async () => {
    let bytes = 0;
    const stream = new ResponseStream({ start: () => undefined, chunk: (data) => (bytes += data.length) });
    stream.write(Buffer.alloc(MAX_STREAMED_RESPONSE_BYTES));
    stream.write(Buffer.alloc(1));
    await assert.rejects(finished(stream), (error: Error) => error.name === 'Function.ResponseSizeTooLarge');
    assert.equal(bytes, MAX_STREAMED_RESPONSE_BYTES);
  });

  describe('awslambda.streamifyResponse', () => {
    let dir: string;
    before(() => {
      installAwsLambdaGlobal();
      dir = mkdtempSync(path.join(os.tmpdir(), 'emulate-streamify-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('marks the handler as Lambda does, and Node.js 24 takes its three parameters for no callback', async () => {
      const file = path.join(dir, 'handler.js');
      writeFileSync(
        file,
        'exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => responseStream.end());\n',
      );
      const setup: HandlerSetup = {
        moduleFile: file,
        sourceMaps: false,
        exportPath: 'handler',
        handler: 'handler.handler',
        functionName: 'f',
        memorySize: 128,
        logGroupName: '/aws/lambda/f',
        logStreamName: 's',
        awsEndpoint: '',
        callbackHandlers: false,
        runtime: 'nodejs24.x',
      };
      const handler = await loadHandler(setup);
      assert.equal(isStreamingHandler(handler), true);
      const symbol = Symbol.for('aws.lambda.runtime.handler.streaming');
      assert.equal((handler as unknown as Record<symbol, unknown>)[symbol], 'response');
    });
  });
});
