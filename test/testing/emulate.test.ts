import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emulate, type EmulatedService } from '../../src/testing';
import { fixture } from '../helpers/cli';

const START = Date.parse('2030-01-01T00:00:00Z');

describe('serverless-emulate/testing: a service in the test process, in virtual time', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-testing-'));
  let service: EmulatedService;

  before(async () => {
    service = await emulate({
      dir: fixture('async'),
      clock: 'virtual',
      startAt: START,
      env: { RECORD_FILE: path.join(dir, 'records.jsonl') },
    });
  });
  after(async () => {
    await service?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes an async event through its three attempts, AWS's minutes apart, to its on-failure destination", async () => {
    const { requestId } = await service.invoke('flaky', { id: 'a' }, { type: 'Event' });
    await service.settle();
    assert.equal(service.invocations({ function: 'flaky' }).length, 1, 'the first attempt at once');
    await service.advance('59s');
    assert.equal(service.invocations({ function: 'flaky' }).length, 1, 'the second one a minute later');
    await service.advance('3m');
    const attempts = service.invocations({ function: 'flaky' });
    assert.deepEqual(
      attempts.map((i) => [i.requestId, i.attempt, i.outcome, i.error?.errorMessage]),
      [1, 2, 3].map((n) => [requestId, n, 'error', 'failing a']),
    );
    const [record] = await service.waitFor({ function: 'recorder' });
    assert.equal(record.source.kind, 'destination');
    assert.deepEqual(
      (record.event as { requestContext: { condition: string; approximateInvokeCount: number } })
        .requestContext,
      {
        requestId,
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:async-dev-flaky:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
    );
    assert.equal(service.now().getTime(), START + 59_000 + 180_000);
    assert.match(attempts[0].logs[0], new RegExp(`^START RequestId: ${requestId}`));
  });

  it("invokes synchronously and records the function's result", async () => {
    const { payload } = await service.invoke('fine', { id: 'b' });
    assert.deepEqual(payload, { done: 'b' });
    const [fine] = service.invocations({ function: 'fine', where: (i) => i.type === 'RequestResponse' });
    assert.deepEqual([fine.outcome, fine.result, fine.source.kind], ['ok', { done: 'b' }, 'invoke']);
  });

  it('explains a waitFor that fails: what did happen to that function', async () => {
    await assert.rejects(
      service.waitFor({ function: 'flaky', outcome: 'ok', timeout: 50 }),
      (error: Error) => {
        assert.match(
          error.message,
          /^waitFor: expected 1 invocation of flaky with outcome ok, saw 0 within 50 ms\./,
        );
        assert.match(
          error.message,
          /The last invocations of flaky:\n {2}- flaky ← Invoke API \(attempt 1\): error Error: failing a/,
        );
        return true;
      },
    );
  });

  it('resets to an empty service with warm instances: no invocations, no queued retries', async () => {
    await service.invoke('flaky', { id: 'c' }, { type: 'Event' });
    await service.settle();
    assert.equal(service.invocations({ function: 'flaky' }).length > 0, true);
    await service.reset();
    assert.deepEqual(service.invocations(), []);
    await service.advance('10m');
    assert.deepEqual(service.invocations(), [], 'the retries of the event before the reset are gone');
    const { payload } = await service.invoke('fine', { id: 'd' });
    assert.deepEqual(payload, { done: 'd' });
    const [fine] = service.invocations({ function: 'fine' });
    assert.ok(
      !fine.logs.some((line) => /Init Duration/.test(line)),
      'a warm instance: no init in its REPORT',
    );
  });
});
