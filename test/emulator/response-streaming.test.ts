import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  LambdaClient,
  type InvokeWithResponseStreamResponseEvent,
} from '@aws-sdk/client-lambda';
import { fixture } from '../helpers/cli';
import { clientConfig, emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';
import { bodyReader, readToEnd, readUntil, signals } from '../helpers/streaming';

/** Response streaming through the real `sls emulate`; test/helpers/streaming.ts says how the handlers wait. */
describe('sls emulate: response streaming (awslambda.streamifyResponse)', function () {
  this.timeout(60_000);
  let emulator: EmulatorUnderTest;
  let base: string;
  const { signal, remove } = signals();
  let lambda: LambdaClient;

  before(async () => {
    emulator = await emulateInProcess(fixture('response-streaming'));
    base = emulator.http ?? '';
    lambda = new LambdaClient(clientConfig(emulator.aws));
  });
  after(async () => {
    await emulator?.stop();
    remove();
  });

  describe('function URLs with invokeMode RESPONSE_STREAM', () => {
    it('answers with the prelude of HttpResponseStream.from and sends each chunk as it is written', async () => {
      const { file, release } = signal();
      const response = await fetch(`${base}/lambda-url/prelude/?signal=${encodeURIComponent(file)}`);
      assert.equal(response.status, 201);
      assert.equal(response.headers.get('content-type'), 'text/plain');
      assert.equal(response.headers.get('x-kind'), 'streamed');
      assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2; Path=/']);
      assert.equal(response.headers.get('transfer-encoding'), 'chunked');
      const reader = bodyReader(response);
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
      const reader = bodyReader(response);
      const first = await readUntil(reader, 'a,b\n');
      release();
      assert.equal(await readToEnd(reader, first), 'a,b\n{"not":"bytes"}');
    });

    it('ends the answer where it is when the handler throws mid-stream, and logs the error', async () => {
      const { file, release } = signal();
      const response = await fetch(`${base}/lambda-url/failsMidStream/?signal=${encodeURIComponent(file)}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/octet-stream');
      const reader = bodyReader(response);
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

  describe('InvokeWithResponseStream (@aws-sdk/client-lambda)', () => {
    const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');
    const streamOf = async (FunctionName: string, event: object, LogType?: 'Tail') => {
      const response = await lambda.send(
        new InvokeWithResponseStreamCommand({
          FunctionName,
          Payload: Buffer.from(JSON.stringify(event)),
          LogType,
        }),
      );
      assert.equal(response.StatusCode, 200);
      assert.equal(response.ExecutedVersion, '$LATEST');
      return (response.EventStream as AsyncIterable<InvokeWithResponseStreamResponseEvent>)[
        Symbol.asyncIterator
      ]();
    };
    const next = async (events: AsyncIterator<InvokeWithResponseStreamResponseEvent>) => {
      const { done, value } = await events.next();
      assert.equal(done, false);
      return value as InvokeWithResponseStreamResponseEvent;
    };

    it('sends each chunk as a PayloadChunk event as it is written, then InvokeComplete', async () => {
      const { file, release } = signal();
      const events = await streamOf('raw', { signal: file });
      // The handler is still waiting for the file: the first chunk came while it ran.
      assert.equal(text((await next(events)).PayloadChunk?.Payload), 'a,b\n');
      release();
      assert.equal(text((await next(events)).PayloadChunk?.Payload), '{"not":"bytes"}');
      assert.deepEqual((await next(events)).InvokeComplete, {});
      assert.equal((await events.next()).done, true);
    });

    it("keeps HttpResponseStream's prelude in the payload, as the function wrote it", async () => {
      const events = await streamOf('prelude', {});
      const chunks: string[] = [];
      for (;;) {
        const event = await next(events);
        if (event.InvokeComplete) break;
        chunks.push(text(event.PayloadChunk?.Payload));
      }
      assert.equal(
        chunks.join(''),
        `{"statusCode":201,"headers":{"content-type":"text/plain","x-kind":"streamed"},"cookies":["a=1","b=2; Path=/"]}${'\0'.repeat(8)}first\nsecond\n`,
      );
    });

    it("ends with InvokeComplete's ErrorCode and ErrorDetails when the handler throws mid-stream", async () => {
      const { file, release } = signal();
      const events = await streamOf('failsMidStream', { signal: file }, 'Tail');
      assert.equal(text((await next(events)).PayloadChunk?.Payload), 'partial\n');
      release();
      const complete = (await next(events)).InvokeComplete;
      assert.equal(complete?.ErrorCode, 'Error');
      assert.equal(complete?.ErrorDetails, 'boom mid-stream');
      assert.match(
        Buffer.from(complete?.LogResult ?? '', 'base64').toString(),
        /Invoke Error.*boom mid-stream/,
      );
    });

    it('answers a handler that throws before writing with InvokeComplete alone, in a 200', async () => {
      const events = await streamOf('failsEarly', {});
      const complete = (await next(events)).InvokeComplete;
      assert.equal(complete?.ErrorCode, 'Error');
      assert.equal(complete?.ErrorDetails, 'boom before any byte');
      assert.equal((await events.next()).done, true);
    });

    it('sends the whole payload of a handler that does not stream as one PayloadChunk', async () => {
      const events = await streamOf('buffered', {});
      assert.deepEqual(JSON.parse(text((await next(events)).PayloadChunk?.Payload)), {
        statusCode: 202,
        headers: { 'x-kind': 'buffered' },
        body: 'whole',
      });
      assert.deepEqual((await next(events)).InvokeComplete, {});
    });

    it('answers ResourceNotFoundException for an unknown function', async () => {
      await assert.rejects(
        lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'nope' })),
        (error: Error) => error.name === 'ResourceNotFoundException',
      );
    });
  });

  describe('InvokeWithResponseStream (boto3)', () => {
    // Each event of the stream as boto3 reads it: a chunk's bytes as text, or InvokeComplete's fields.
    const BOTO3 = `
import json, sys, boto3
c = boto3.client('lambda', endpoint_url=sys.argv[1], region_name='us-east-1',
                 aws_access_key_id='test', aws_secret_access_key='test')
r = c.invoke_with_response_stream(FunctionName=sys.argv[2], Payload=b'{}')
events = [e['PayloadChunk']['Payload'].decode() if 'PayloadChunk' in e else e['InvokeComplete'] for e in r['EventStream']]
print(json.dumps({'status': r['StatusCode'], 'contentType': r['ResponseStreamContentType'], 'events': events}))
`;
    const boto3 = async (functionName: string) => {
      const { stdout } = await promisify(execFile)('python3', ['-c', BOTO3, emulator.aws, functionName]);
      return JSON.parse(stdout) as { status: number; contentType: string; events: unknown[] };
    };

    it('reads the chunks and InvokeComplete, a function error included', async () => {
      assert.deepEqual(await boto3('raw'), {
        status: 200,
        contentType: 'application/vnd.amazon.eventstream',
        events: ['a,b\n', '{"not":"bytes"}', {}],
      });
      const failed = await boto3('failsMidStream');
      assert.deepEqual(failed.events, ['partial\n', { ErrorCode: 'Error', ErrorDetails: 'boom mid-stream' }]);
    });
  });

  describe('a streaming handler through the buffered paths', () => {
    it('answers a plain Invoke with the whole stream as its payload, prelude included', async () => {
      const response = await lambda.send(new InvokeCommand({ FunctionName: 'prelude', Payload: '{}' }));
      assert.equal(response.FunctionError, undefined);
      const payload = Buffer.from(response.Payload ?? []).toString('utf8');
      assert.ok(payload.endsWith(`${'\0'.repeat(8)}first\nsecond\n`), JSON.stringify(payload));
    });

    it('gives an HTTP API route the whole stream as the payload, which API Gateway reads as any result', async () => {
      const response = await fetch(`${base}/json-stream`);
      assert.equal(response.status, 203);
      assert.equal(await response.text(), 'streamed json');
      // A prelude and its null bytes are no JSON result: API Gateway's 500.
      const prelude = await fetch(`${base}/prelude`);
      assert.equal(prelude.status, 500);
      assert.deepEqual(await prelude.json(), { message: 'Internal Server Error' });
    });

    it('answers an Invoke of a handler that throws with its error, as any handler', async () => {
      const response = await lambda.send(new InvokeCommand({ FunctionName: 'failsEarly', Payload: '{}' }));
      assert.equal(response.FunctionError, 'Unhandled');
      const error = JSON.parse(Buffer.from(response.Payload ?? []).toString('utf8'));
      assert.equal(error.errorMessage, 'boom before any byte');
    });
  });
});
