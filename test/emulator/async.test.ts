import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { clientConfig, startEmulator, type RunningEmulator } from '../helpers/emulate';

const SERVICE = fixture('async');

interface Entry {
  fn: string;
  requestId?: string;
  id?: string;
  event: {
    id?: string;
    requestContext?: { condition: string; approximateInvokeCount: number; requestId: string };
  } & Record<string, unknown>;
}

const readRecords = (file: string): Entry[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Entry)
    : [];

async function until<T>(check: () => T | undefined, ms = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sls emulate: asynchronous invocations', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-async-'));
  const recordFile = path.join(dir, 'records.jsonl');
  const stateDir = path.join(dir, 'state');
  let emulator: RunningEmulator;
  let lambda: LambdaClient;

  before(async () => {
    emulator = await startEmulator(SERVICE, ['--state-dir', stateDir], { RECORD_FILE: recordFile });
    lambda = new LambdaClient(clientConfig(emulator.aws));
  });
  after(async () => {
    lambda?.destroy();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const invokeEvent = (name: string, payload: unknown) =>
    lambda.send(
      new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: JSON.stringify(payload) }),
    );

  it('retries a failing event twice (three attempts, one request id), then sends the record to onFailure', async () => {
    assert.equal((await invokeEvent('flaky', { id: 'f1' })).StatusCode, 202);
    const failure = await until(() =>
      readRecords(recordFile).find(
        (r) =>
          r.fn === 'recorder' &&
          r.event.requestPayload &&
          (r.event.requestPayload as { id: string }).id === 'f1',
      ),
    );
    const attempts = readRecords(recordFile).filter((r) => r.fn === 'flaky' && r.event.id === 'f1');
    assert.equal(attempts.length, 3);
    assert.equal(new Set(attempts.map((a) => a.requestId)).size, 1);
    const record = failure.event as unknown as {
      version: string;
      requestContext: {
        requestId: string;
        functionArn: string;
        condition: string;
        approximateInvokeCount: number;
      };
      responseContext: { statusCode: number; executedVersion: string; functionError: string };
      responsePayload: { errorType: string; errorMessage: string };
    };
    assert.equal(record.version, '1.0');
    assert.deepEqual(record.requestContext, {
      requestId: attempts[0].requestId,
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:async-dev-flaky:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    });
    assert.deepEqual(record.responseContext, {
      statusCode: 200,
      executedVersion: '$LATEST',
      functionError: 'Unhandled',
    });
    assert.equal(record.responsePayload.errorMessage, 'failing f1');
  });

  it('honours maximumRetryAttempts: 0 (one attempt)', async () => {
    await invokeEvent('once', { id: 'o1' });
    await until(() =>
      readRecords(recordFile).find(
        (r) => r.fn === 'recorder' && (r.event.requestPayload as { id?: string })?.id === 'o1',
      ),
    );
    assert.equal(readRecords(recordFile).filter((r) => r.fn === 'flaky' && r.event.id === 'o1').length, 1);
  });

  it('sends a success record to onSuccess', async () => {
    await invokeEvent('fine', { id: 's1' });
    const success = await until(() =>
      readRecords(recordFile).find(
        (r) => r.fn === 'recorder' && (r.event.requestPayload as { id?: string })?.id === 's1',
      ),
    );
    assert.equal(success.event.requestContext?.condition, 'Success');
    assert.deepEqual(success.event.responsePayload, { done: 's1' });
  });

  it('sends events of a function with reservedConcurrency 0 straight to onFailure, with no attempt', async () => {
    await invokeEvent('paused', { id: 'p1' });
    const failure = await until(() =>
      readRecords(recordFile).find(
        (r) => r.fn === 'recorder' && (r.event.requestPayload as { id?: string })?.id === 'p1',
      ),
    );
    assert.equal(failure.event.requestContext?.approximateInvokeCount, 0);
  });

  it('runs throttled events later without spending their attempts', async () => {
    await Promise.all([1, 2, 3, 4].map((n) => invokeEvent('slow', { id: `t${n}`, ms: 200 })));
    const done = await until(() => {
      const ids = readRecords(recordFile)
        .filter((r) => r.fn === 'slow')
        .map((r) => r.id);
      return ['t1', 't2', 't3', 't4'].every((id) => ids.includes(id)) ? ids : undefined;
    });
    assert.ok(done.length >= 4);
  });
});

describe('sls emulate: accepted async events survive SIGKILL', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-kill-'));
  const recordFile = path.join(dir, 'records.jsonl');
  const stateDir = path.join(dir, 'state');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers every accepted event after a restart', async () => {
    const first = await startEmulator(SERVICE, ['--state-dir', stateDir], { RECORD_FILE: recordFile });
    const ids = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
    for (const id of ids) {
      const response = await fetch(`${first.aws}/2015-03-31/functions/slow/invocations`, {
        method: 'POST',
        headers: { 'x-amz-invocation-type': 'Event' },
        body: JSON.stringify({ id, ms: 800 }),
      });
      assert.equal(response.status, 202);
    }
    // One runs (reservedConcurrency 1), the rest wait: kill the emulator without warning.
    await first.kill();
    const before = readRecords(recordFile).filter((r) => r.fn === 'slow').length;
    assert.ok(before < ids.length, 'every event ran before the kill: the test proves nothing');
    const second = await startEmulator(SERVICE, ['--state-dir', stateDir], { RECORD_FILE: recordFile });
    try {
      const delivered = await until(() => {
        const seen = new Set(
          readRecords(recordFile)
            .filter((r) => r.fn === 'slow')
            .map((r) => r.id),
        );
        return ids.every((id) => seen.has(id)) ? seen : undefined;
      }, 60_000);
      assert.equal(delivered.size, ids.length);
    } finally {
      await second.stop();
    }
  });
});
