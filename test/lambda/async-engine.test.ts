import { directOrigin } from '../../src/classify/origin';
import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { AsyncEngine, type AsyncSettings, type Delivery } from '../../src/lambda/async-engine';
import { AsyncStore } from '../../src/lambda/async-store';
import { systemClock } from '../../src/clock';
import type { InvokeOutcome } from '../../src/lambda/types';
import type { Reference } from '../../src/service/model';
import { memoryDatabase } from '../../src/state/database';

const TEST_ORIGIN = directOrigin('invoke');

const queue: Reference = { text: 'failed', kind: 'sqs', name: 'failed', status: 'service' };
const topic: Reference = { text: 'alarms', kind: 'sns', name: 'alarms', status: 'service' };
const done: Reference = { text: 'done', kind: 'function', name: 'done', status: 'service' };

const ok = (payload: unknown): InvokeOutcome => ({
  requestId: 'r',
  statusCode: 200,
  payload: JSON.stringify(payload),
  durationMs: 1,
});
const failed = (message: string): InvokeOutcome => ({
  requestId: 'r',
  statusCode: 200,
  payload: JSON.stringify({ errorType: 'Error', errorMessage: message }),
  functionError: 'Unhandled',
  durationMs: 1,
});

describe('the async invocation engine (on fake time)', () => {
  let clock: sinon.SinonFakeTimers;
  let store: AsyncStore;
  let deliveries: Array<{ target: string; delivery: Delivery }>;
  let attempts: number[];
  /** Which deliveries never finish: the emulator is killed while they are on their way. */
  let stalls: (delivery: Delivery) => boolean;

  beforeEach(() => {
    clock = sinon.useFakeTimers({
      now: Date.UTC(2026, 0, 1),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    store = new AsyncStore(memoryDatabase());
    deliveries = [];
    attempts = [];
    stalls = () => false;
  });
  afterEach(() => clock.restore());

  const engine = (
    settings: Partial<AsyncSettings>,
    run: (n: number) => InvokeOutcome | undefined | Promise<InvokeOutcome>,
    scale = 1,
  ) =>
    new AsyncEngine({
      store,
      clock: systemClock,
      retryDelayScale: scale,
      settings: new Map([
        [
          'fn',
          {
            functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-fn',
            timeout: 6,
            maximumRetryAttempts: 2,
            maximumEventAge: 21600,
            ...settings,
          },
        ],
      ]),
      attempt: async () => {
        attempts.push(Date.now());
        return run(attempts.length);
      },
      destinations: {
        send: (target, delivery) => {
          deliveries.push({ target: target.text, delivery });
          return stalls(delivery) ? new Promise(() => undefined) : Promise.resolve();
        },
      },
      log: () => undefined,
      outcome: () => undefined,
    });

  it("retries a function error after AWS's 1 and 2 minutes, then sends the record and the DLQ message", async () => {
    const start = Date.now();
    const e = engine({ onFailure: queue, deadLetter: topic }, () => failed('boom'));
    e.accept('fn', '{"n":1}', TEST_ORIGIN, 'req-1');
    await clock.tickAsync(0);
    await clock.tickAsync(59_999);
    assert.equal(attempts.length, 1);
    await clock.tickAsync(1);
    assert.equal(attempts.length, 2);
    await clock.tickAsync(120_000);
    assert.deepEqual(
      attempts.map((t) => t - start),
      [0, 60_000, 180_000],
    );
    assert.equal(store.size(), 0);
    const [record, deadLetter] = deliveries;
    assert.equal(record.target, 'failed');
    assert.ok(record.delivery.kind === 'destination');
    assert.deepEqual(record.delivery.record.requestContext, {
      requestId: 'req-1',
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-fn:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    });
    assert.deepEqual(record.delivery.record.requestPayload, { n: 1 });
    assert.deepEqual(record.delivery.record.responsePayload, { errorType: 'Error', errorMessage: 'boom' });
    assert.equal(deadLetter.target, 'alarms');
    assert.ok(deadLetter.delivery.kind === 'dead-letter');
    assert.equal(deadLetter.delivery.event, '{"n":1}');
    assert.deepEqual(deadLetter.delivery.attributes, {
      RequestID: 'req-1',
      ErrorCode: 200,
      ErrorMessage: 'boom',
    });
  });

  it('scales the delays by retryDelayScale', async () => {
    const start = Date.now();
    engine({}, () => failed('x'), 1 / 60).accept('fn', '{}', TEST_ORIGIN, 'req');
    await clock.tickAsync(10_000);
    assert.deepEqual(
      attempts.map((t) => t - start),
      [0, 1000, 3000],
    );
  });

  it('holds a throttled event without spending attempts until an instance is free, then runs it', async () => {
    const e = engine({ onSuccess: done }, (n) => (n === 1 ? undefined : ok('fine')));
    e.accept('fn', '{}', TEST_ORIGIN, 'req');
    await clock.tickAsync(60_000);
    assert.equal(attempts.length, 1, 'a throttled event waits for capacity');
    assert.equal(store.size(), 1);
    e.capacityFreed('fn');
    await clock.tickAsync(0);
    assert.equal(attempts.length, 2);
    assert.ok(deliveries[0].delivery.kind === 'destination');
    assert.equal(deliveries[0].delivery.record.requestContext.condition, 'Success');
    assert.equal(deliveries[0].delivery.record.requestContext.approximateInvokeCount, 1);
    assert.equal(store.size(), 0);
  });

  it('expires a throttled event that waited past maximumEventAge', async () => {
    const e = engine({ maximumEventAge: 60, onFailure: queue }, (n) => (n === 1 ? undefined : ok('late')));
    e.accept('fn', '{}', TEST_ORIGIN, 'req');
    await clock.tickAsync(61_000);
    e.capacityFreed('fn');
    await clock.tickAsync(0);
    assert.equal(attempts.length, 1);
    assert.ok(deliveries[0].delivery.kind === 'destination');
    assert.equal(deliveries[0].delivery.record.requestContext.condition, 'EventAgeExceeded');
    assert.equal(deliveries[0].delivery.record.requestContext.approximateInvokeCount, 0);
  });

  it('expires an event older than maximumEventAge, with its last error', async () => {
    const e = engine({ maximumEventAge: 90, onFailure: queue }, () => failed('slow'));
    e.accept('fn', '{}', TEST_ORIGIN, 'req');
    await clock.tickAsync(200_000);
    assert.equal(attempts.length, 2, 'the third attempt (at 180 s) is past the 90 s age');
    assert.ok(deliveries[0].delivery.kind === 'destination');
    assert.equal(deliveries[0].delivery.record.requestContext.condition, 'EventAgeExceeded');
    assert.equal(deliveries[0].delivery.record.responseContext?.functionError, 'Unhandled');
  });

  it('sends events of a function with reservedConcurrency 0 to the failure path with no attempt', async () => {
    engine({ reservedConcurrency: 0, onFailure: queue }, () => ok('never')).accept(
      'fn',
      '{}',
      TEST_ORIGIN,
      'req',
    );
    await clock.tickAsync(0);
    assert.equal(attempts.length, 0);
    assert.ok(deliveries[0].delivery.kind === 'destination');
    assert.equal(deliveries[0].delivery.record.requestContext.approximateInvokeCount, 0);
    assert.equal(deliveries[0].delivery.record.responseContext, undefined);
  });

  it('keeps an event in the store until its outcome is recorded, and a new engine resumes it', async () => {
    const first = engine({}, () => failed('x'));
    first.accept('fn', '{"keep":true}', TEST_ORIGIN, 'req');
    await clock.tickAsync(0);
    first.stop();
    assert.equal(store.size(), 1);
    const second = engine({ onFailure: queue }, () => failed('again'));
    second.start();
    await clock.tickAsync(300_000);
    assert.equal(store.size(), 0);
    assert.equal(attempts.length, 3);
  });

  it('records nothing of an attempt that ends after stop (the state may be closed), and runs the event again at the next start', async () => {
    let finish: (outcome: InvokeOutcome) => void = () => undefined;
    const first = engine({}, () => new Promise<InvokeOutcome>((resolve) => (finish = resolve)));
    first.accept('fn', '{}', TEST_ORIGIN, 'req');
    await clock.tickAsync(0);
    first.stop();
    const remove = sinon.spy(store, 'remove');
    finish(ok('late'));
    await clock.tickAsync(0);
    assert.equal(remove.callCount, 0);
    const second = engine({}, () => ok('again'));
    second.start();
    await clock.tickAsync(0);
    assert.equal(attempts.length, 2);
    assert.equal(store.size(), 0);
  });

  it('finishes an ended event at restart: the delivery a kill cut short is made, the function not run again', async () => {
    stalls = () => true;
    const first = engine({ onSuccess: done }, () => ok('fine'));
    first.accept('fn', '{}', TEST_ORIGIN, 'req');
    await clock.tickAsync(0);
    first.stop(); // killed while the success record is on its way
    assert.deepEqual([attempts.length, deliveries.length, store.size()], [1, 1, 1]);
    stalls = () => false;
    await clock.tickAsync(5_000);
    engine({ onSuccess: done }, () => ok('again')).start();
    await clock.tickAsync(0);
    assert.equal(attempts.length, 1);
    assert.equal(deliveries.length, 2);
    assert.deepEqual(deliveries[1], deliveries[0], 'the record as it was made, timestamp included');
    assert.equal(store.size(), 0);
  });

  it('at restart, makes only the deliveries of an ending still to make', async () => {
    stalls = (delivery) => delivery.kind === 'dead-letter';
    const first = engine({ maximumRetryAttempts: 0, onFailure: queue, deadLetter: topic }, () =>
      failed('boom'),
    );
    first.accept('fn', '{}', TEST_ORIGIN, 'req');
    await clock.tickAsync(0);
    first.stop(); // killed after the failure record, while the DLQ message is on its way
    stalls = () => false;
    engine({ maximumRetryAttempts: 0, onFailure: queue, deadLetter: topic }, () => ok('x')).start();
    await clock.tickAsync(0);
    assert.equal(attempts.length, 1);
    assert.deepEqual(
      deliveries.map((d) => d.target),
      ['failed', 'alarms', 'alarms'],
    );
    assert.deepEqual(deliveries[2], deliveries[1]);
    assert.equal(store.size(), 0);
  });

  it('opens a queue table from before endings, and runs what it holds', async () => {
    const db = memoryDatabase();
    db.exec(`CREATE TABLE lambda_async_queue (
      id TEXT PRIMARY KEY, function_key TEXT NOT NULL, payload TEXT NOT NULL, source TEXT NOT NULL,
      accepted_at INTEGER NOT NULL, attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL,
      last_error TEXT, leased INTEGER NOT NULL)`);
    db.prepare('INSERT INTO lambda_async_queue VALUES (?, ?, ?, ?, ?, 0, ?, NULL, 1)').run(
      'req',
      'fn',
      '{"old":true}',
      'test',
      Date.now(),
      Date.now(),
    );
    store = new AsyncStore(db);
    engine({ onSuccess: done }, () => ok('fine')).start();
    await clock.tickAsync(0);
    assert.equal(attempts.length, 1);
    assert.ok(deliveries[0].delivery.kind === 'destination');
    assert.deepEqual(deliveries[0].delivery.record.requestPayload, { old: true });
    assert.equal(store.size(), 0);
  });
});
