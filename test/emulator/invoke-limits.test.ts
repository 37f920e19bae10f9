import { InvokeCommand, LambdaClient, LambdaServiceException } from '@aws-sdk/client-lambda';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { clientConfig, emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';

const MB = 1024 * 1024;

/** A JSON string payload of exactly `bytes` bytes. */
const payloadOf = (bytes: number) => JSON.stringify('x'.repeat(bytes - 2));

describe('sls emulate: the Invoke API payload limits (6 MB sync, 1 MB async)', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-invoke-limits-'));
  let emulator: EmulatorUnderTest;
  let lambda: LambdaClient;

  before(async () => {
    emulator = await emulateInProcess(fixture('async'), {
      stateDir: path.join(dir, 'state'),
      env: {
        RECORD_FILE: path.join(dir, 'records.jsonl'),
      },
    });
    lambda = new LambdaClient(clientConfig(emulator.aws));
  });
  after(async () => {
    lambda?.destroy();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const invoke = (type: 'Event' | 'RequestResponse', payload: string) =>
    lambda.send(new InvokeCommand({ FunctionName: 'fine', InvocationType: type, Payload: payload }));

  const rejected = async (call: Promise<unknown>) => {
    const error = await call.then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof LambdaServiceException, String(error));
    return error;
  };

  it('accepts an Event payload of exactly 1 MB', async () => {
    assert.equal((await invoke('Event', payloadOf(MB))).StatusCode, 202);
  });

  it('answers an Event payload over 1 MB with 413 RequestEntityTooLargeException, naming size and limit', async () => {
    const error = await rejected(invoke('Event', payloadOf(MB + 1)));
    assert.equal(error.name, 'RequestEntityTooLargeException');
    assert.equal(error.$metadata.httpStatusCode, 413);
    assert.equal(
      error.message,
      `${MB + 1} byte payload is too large for the Event invocation type (limit ${MB} bytes)`,
    );
  });

  it('runs a RequestResponse payload over 1 MB (its limit is 6 MB)', async () => {
    const result = await invoke('RequestResponse', JSON.stringify({ id: 'r1', filler: 'x'.repeat(2 * MB) }));
    assert.equal(result.StatusCode, 200);
    assert.deepEqual(JSON.parse(Buffer.from(result.Payload ?? []).toString()), { done: 'r1' });
  });

  it('answers a RequestResponse payload over 6 MB with 413 RequestEntityTooLargeException, in Lambda’s words', async () => {
    const error = await rejected(invoke('RequestResponse', payloadOf(6 * MB + 1)));
    assert.equal(error.name, 'RequestEntityTooLargeException');
    assert.equal(error.$metadata.httpStatusCode, 413);
    assert.equal(
      error.message,
      `Request must be smaller than ${6 * MB} bytes for the InvokeFunction operation`,
    );
  });
});
