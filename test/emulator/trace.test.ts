import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';
import { recorded, type Recorded } from '../helpers/records';

const rootOf = (header: string | undefined) => /Root=([^;]+)/.exec(header ?? '')?.[1];
/** The invocation's `_X_AMZN_TRACE_ID`, which the fixture's handlers record beside the event. */
const traceOf = (record: Recorded) => (record as Recorded & { trace: string }).trace;

describe('sls emulate: an invocation continues the trace of the call that caused it', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-trace-'));
  const recordFile = path.join(dir, 'records.jsonl');
  const { waitFor } = recorded(recordFile);
  let emulator: EmulatorUnderTest;

  before(async () => {
    emulator = await emulateInProcess(fixture('trace'), {
      stateDir: path.join(dir, 'state'),
      env: {
        RECORD_FILE: recordFile,
      },
    });
  });
  after(async () => {
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("follows an HTTP request's X-Amzn-Trace-Id through SQS, SNS and SNS to SQS", async () => {
    const root = '1-67891233-abcdef012345678912345678';
    const response = await fetch(`${emulator.http}/start`, {
      headers: { 'X-Amzn-Trace-Id': `Root=${root}` },
    });
    assert.equal(response.status, 200);
    const { trace } = (await response.json()) as { trace: string };
    assert.equal(rootOf(trace), root);

    const fromQueue = await waitFor((r) => r.fn === 'trace-dev-fromQueue');
    assert.equal(fromQueue.event.Records[0].attributes.AWSTraceHeader, trace);
    assert.equal(rootOf(traceOf(fromQueue)), root);
    assert.notEqual(traceOf(fromQueue), trace, 'a new Parent for the new invocation');

    const fromTopic = await waitFor((r) => r.fn === 'trace-dev-fromTopic');
    assert.equal(rootOf(traceOf(fromTopic)), root);

    const fromFanout = await waitFor((r) => r.fn === 'trace-dev-fromFanout');
    assert.equal(fromFanout.event.Records[0].attributes.AWSTraceHeader, trace);
    assert.equal(rootOf(traceOf(fromFanout)), root);
  });

  it('follows it through an S3 notification, an EventBridge event, an async Invoke and a destination', async () => {
    const root = '1-67891234-abcdef012345678912345678';
    const response = await fetch(`${emulator.http}/more`, {
      headers: { 'X-Amzn-Trace-Id': `Root=${root}` },
    });
    assert.equal(response.status, 200);
    for (const fn of ['fromBucket', 'fromBus', 'fromInvoke', 'fromDestination']) {
      const record = await waitFor((r) => r.fn === `trace-dev-${fn}`);
      assert.equal(rootOf(traceOf(record)), root, fn);
    }
  });

  it('logs the invocation that caused each invocation', async () => {
    const response = await fetch(`${emulator.http}/start`);
    const { requestId } = (await response.json()) as { requestId: string };
    const cause = `caused by start ${requestId}`;
    await emulator.waitForOutput(new RegExp(`λ fromQueue ← sqs trace-hop .*${cause}$`, 'm'));
    await emulator.waitForOutput(new RegExp(`λ fromTopic ← sns .*${cause}$`, 'm'));
    assert.doesNotMatch(emulator.output(), /λ start ← .*caused by/, 'an outside request has no cause');
  });
});
