import { directOrigin } from '../../src/classify/origin';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import sinon from 'sinon';
import { AsyncEngine, type AsyncSettings, type Delivery } from '../../src/lambda/async-engine';
import type { InvocationRecord } from '../../src/lambda/async-records';
import { AsyncStore } from '../../src/lambda/async-store';
import { systemClock } from '../../src/clock';
import type { InvokeOutcome } from '../../src/lambda/types';
import type { Reference } from '../../src/service/model';
import { memoryDatabase, openStateDatabase, type Db } from '../../src/state/database';

const TEST_ORIGIN = directOrigin('invoke');

/*
 * Lambda's async invocation as a property (issue 4, "Speed and loss"): over random functions (retries,
 * event age, destinations, DLQ, reservedConcurrency 0), random outcomes of every call (success, thrown
 * error, timeout, throttle) and random SIGKILLs of the emulator (a new engine then starts on the same
 * durable store), every accepted event ends exactly once (success, failure destination and/or DLQ, or
 * dropped), after the right attempts, with the right record. A kill during an attempt loses its
 * outcome: the next engine runs it again (at-least-once, as in AWS). The outcome that ends an event is
 * recorded with its deliveries before they are made: a kill while one is on its way leads the next
 * engine to make it again, and those after it, exactly as recorded, without running the function again.
 */

// What one call of the function does: the engine cannot tell a timeout from a thrown error (both are
// function errors), and a throttle is the pool having no free instance (`undefined`): an invocation
// outside the engine holds it, and frees it (LambdaService calls capacityFreed) when it ends.
type Kind = 'succeed' | 'throw' | 'timeout' | 'throttle';

interface OutcomeSpec {
  kind: Kind;
  /**
   * How long a succeeding or throwing call runs, in percent of the function's timeout; for a throttle,
   * how long the invocation that holds the instance still runs, from 10 s (fewer, longer waits keep
   * a 6-hour throttle quick to play) to 15 minutes.
   */
  durationPct: number;
  /** What a succeeding call returns. */
  value: unknown;
  /** What a throwing call throws. */
  message: string;
}

interface FunctionSpec {
  timeout: number;
  maximumRetryAttempts: number;
  maximumEventAge: number;
  reservedConcurrencyZero: boolean;
  onSuccess: boolean;
  onFailure: boolean;
  deadLetter: boolean;
  /** Every delivery to this function's destinations and DLQ fails (it is still tried once). */
  deliveryFails: boolean;
  /** How long a delivery takes: a kill may come while one is on its way. */
  deliveryMs: number;
}

interface EventSpec {
  fn: number;
  payload: unknown;
  /** Milliseconds after the start; an event due while the emulator is down is accepted at its restart. */
  acceptAt: number;
  /** The outcome of each call of the function for this event, in order... */
  calls: OutcomeSpec[];
  /** ...and of every call after those. */
  then: OutcomeSpec;
}

/**
 * A SIGKILL of the emulator, at a time, or a delay after the n-th thing the engine does (a call of a
 * function or a delivery), which is when work is on its way. A kill while it is down is no kill.
 */
type KillSpec = ({ at: number } | { step: number; delay: number }) & {
  /** How long the emulator stays down before a new engine starts on the same store. */
  downtime: number;
};

interface Scenario {
  functions: FunctionSpec[];
  events: EventSpec[];
  kills: KillSpec[];
  retryDelayScale: number;
  store: 'file' | 'memory';
}

interface Call {
  gen: number;
  at: number;
  spec: OutcomeSpec;
  /** What the engine got back; unset while the call runs, and forever when a kill interrupted it. */
  outcome?: InvokeOutcome;
  resolvedAt?: number;
  /** A kill came while the call ran: the engine never heard its outcome. */
  interrupted: boolean;
}

interface Sent {
  gen: number;
  at: number;
  target: Reference;
  delivery: Delivery;
  functionKey: string;
  /** The delivery finished (whether the target took it or refused it). */
  done: boolean;
  /** A kill came while it was on its way: it counts as not delivered, and the next engine makes it again. */
  interrupted: boolean;
}

interface Trace {
  calls: Map<string, Call[]>;
  sent: Sent[];
  logs: Array<{ gen: number; at: number; functionKey: string; line: string }>;
  kills: Array<{ at: number; restartAt: number }>;
  acceptedAt: Map<string, number>;
  /** What must never happen whatever the schedule (a dead engine acting, a wrong argument). */
  violations: string[];
  storeSize: number;
}

const START = Date.UTC(2026, 0, 1);
const RETRY_DELAYS_MS = [60_000, 120_000];
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-';

const functionKey = (i: number) => `fn${i}`;
const requestId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const ref = (text: string, kind: Reference['kind']): Reference => ({
  text,
  kind,
  name: text,
  status: 'service',
});
const targets = (key: string) => ({
  onSuccess: ref(`${key}-done`, 'function'),
  onFailure: ref(`${key}-failed`, 'sqs'),
  deadLetter: ref(`${key}-dlq`, 'sns'),
});

const requestIdOf = (x: Sent) =>
  x.delivery.kind === 'destination'
    ? x.delivery.record.requestContext.requestId
    : x.delivery.attributes.RequestID;

const settingsOf = (spec: FunctionSpec, key: string): AsyncSettings => ({
  functionArn: `${ARN}${key}`,
  maximumRetryAttempts: spec.maximumRetryAttempts,
  maximumEventAge: spec.maximumEventAge,
  ...(spec.reservedConcurrencyZero && { reservedConcurrency: 0 }),
  ...(spec.onSuccess && { onSuccess: targets(key).onSuccess }),
  ...(spec.onFailure && { onFailure: targets(key).onFailure }),
  ...(spec.deadLetter && { deadLetter: targets(key).deadLetter }),
});

const outcomeSpec = (kind: fc.Arbitrary<Kind>): fc.Arbitrary<OutcomeSpec> =>
  fc.record({
    kind,
    durationPct: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100 })),
    value: fc.jsonValue({ maxDepth: 2 }),
    // Some longer than the 1 KB a DLQ's ErrorMessage keeps.
    message: fc.oneof(
      { arbitrary: fc.string({ maxLength: 20 }), weight: 9 },
      { arbitrary: fc.string({ minLength: 1000, maxLength: 1100 }), weight: 1 },
    ),
  });

const functionSpec: fc.Arbitrary<FunctionSpec> = fc.record({
  timeout: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 900 })),
  maximumRetryAttempts: fc.integer({ min: 0, max: 2 }),
  // Short ages more often, so that retries and throttles meet them.
  maximumEventAge: fc.oneof(
    fc.integer({ min: 60, max: 400 }),
    fc.constantFrom(60, 21600),
    fc.integer({ min: 60, max: 21600 }),
  ),
  reservedConcurrencyZero: fc.oneof(
    { arbitrary: fc.constant(false), weight: 4 },
    { arbitrary: fc.constant(true), weight: 1 },
  ),
  onSuccess: fc.boolean(),
  onFailure: fc.boolean(),
  deadLetter: fc.boolean(),
  deliveryFails: fc.boolean(),
  deliveryMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5000 })),
});

const scenario: fc.Arbitrary<Scenario> = fc.record({
  functions: fc.array(functionSpec, { minLength: 1, maxLength: 3 }),
  events: fc.array(
    fc.record({
      fn: fc.nat(2),
      payload: fc.jsonValue({ maxDepth: 2 }),
      acceptAt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300_000 })),
      calls: fc.array(outcomeSpec(fc.constantFrom<Kind>('succeed', 'throw', 'timeout', 'throttle')), {
        maxLength: 6,
      }),
      // Throttled for ever (until the event is too old) is the slow case to play: a little rarer.
      then: outcomeSpec(
        fc.oneof(
          { arbitrary: fc.constantFrom<Kind>('succeed', 'throw', 'timeout'), weight: 6 },
          { arbitrary: fc.constant<Kind>('throttle'), weight: 1 },
        ),
      ),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  kills: fc.array(
    fc
      .tuple(
        fc.oneof(
          fc.record({
            at: fc.oneof(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 600_000 })),
          }),
          fc.record({ step: fc.nat(20), delay: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 })) }),
        ),
        fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 900_000 })),
      )
      .map(([when, downtime]): KillSpec => ({ ...when, downtime })),
    { maxLength: 3 },
  ),
  // AWS's timing, the default (1/60), and 0 (which the option accepts).
  retryDelayScale: fc.constantFrom(1, 1 / 60, 0.5, 0),
  store: fc.constantFrom<Scenario['store']>('file', 'memory'),
});

/** What the function returns for one call: AWS's error bodies for a thrown error and a timeout. */
function invokeOutcome(spec: OutcomeSpec, id: string, timeout: number): InvokeOutcome | undefined {
  const base = { requestId: id, statusCode: 200 as const, durationMs: 1 };
  if (spec.kind === 'throttle') return undefined;
  if (spec.kind === 'succeed') return { ...base, payload: JSON.stringify(spec.value) };
  const error =
    spec.kind === 'throw'
      ? { errorType: 'Error', errorMessage: spec.message, trace: [`Error: ${spec.message}`] }
      : {
          errorType: 'Sandbox.Timedout',
          errorMessage: `${new Date().toISOString()} ${id} Task timed out after ${timeout.toFixed(2)} seconds`,
        };
  return { ...base, payload: JSON.stringify(error), functionError: 'Unhandled', error };
}

const busyFor = (spec: OutcomeSpec, timeout: number) => Math.round((spec.durationPct / 100) * timeout * 1000);
const durationOf = (spec: OutcomeSpec, timeout: number) =>
  spec.kind === 'throttle' ? 0 : spec.kind === 'timeout' ? timeout * 1000 : busyFor(spec, timeout);

/** Flushes promise callbacks (setImmediate is not faked). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Plays a scenario on fake time: engines on one durable store, events accepted at their times, kills
 * (the engine stops dead: its running attempts and deliveries never return) and restarts, then time
 * until all has settled.
 */
async function play(s: Scenario): Promise<Trace> {
  const sandbox = sinon.createSandbox();
  const clock = sandbox.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const dir = s.store === 'file' ? mkdtempSync(path.join(tmpdir(), 'async-engine-property-')) : undefined;
  try {
    return await playOn(s, clock, dir);
  } finally {
    sandbox.restore();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

async function playOn(s: Scenario, clock: sinon.SinonFakeTimers, dir: string | undefined): Promise<Trace> {
  const open = (): Db => (dir ? openStateDatabase(dir, { reset: false }) : memoryDatabase());
  let db = open();
  const trace: Trace = {
    calls: new Map(s.events.map((_, i) => [requestId(i), []])),
    sent: [],
    logs: [],
    kills: [],
    acceptedAt: new Map(),
    violations: [],
    storeSize: -1,
  };
  const settings = new Map(s.functions.map((f, i) => [functionKey(i), settingsOf(f, functionKey(i))]));
  const eventOf = new Map(s.events.map((e, i) => [requestId(i), e]));
  let store = new AsyncStore(db);
  let generations = 0;
  let alive = 0;
  let engine: AsyncEngine | undefined;

  const startEngine = () => {
    const gen = ++generations;
    alive = gen;
    const live = (what: string) => {
      if (alive !== gen) trace.violations.push(`engine ${gen}, stopped, ${what} at ${Date.now() - START}`);
    };
    const started: AsyncEngine = new AsyncEngine({
      store,
      clock: systemClock,
      retryDelayScale: s.retryDelayScale,
      settings,
      attempt: ({ functionKey: key, payload, id }) => {
        live(`ran ${id}`);
        stepped();
        const event = eventOf.get(id);
        const calls = trace.calls.get(id);
        if (!event || !calls) {
          trace.violations.push(`an attempt of an unknown event ${id}`);
          return Promise.resolve(undefined);
        }
        if (key !== functionKey(event.fn % s.functions.length) || payload !== JSON.stringify(event.payload))
          trace.violations.push(`${id} attempted as ${key} with ${payload}`);
        const spec = event.calls[calls.length] ?? event.then;
        const call: Call = { gen, at: Date.now(), spec, interrupted: false };
        calls.push(call);
        const { timeout } = s.functions[event.fn % s.functions.length];
        return new Promise((resolve) => {
          setTimeout(
            () => {
              if (call.interrupted) return; // the process died: nobody hears how it ended
              call.resolvedAt = Date.now();
              call.outcome = invokeOutcome(spec, id, timeout);
              // As LambdaService does when an instance is released, before the engine hears the outcome.
              if (call.outcome) started.capacityFreed(key);
              resolve(call.outcome);
              // A throttle: the invocation holding the instance ends later, and frees it.
              if (!call.outcome)
                setTimeout(
                  () => alive === gen && started.capacityFreed(key),
                  10_000 + spec.durationPct * 8900,
                );
            },
            durationOf(spec, timeout),
          );
        });
      },
      destinations: {
        send: (target, delivery, key) => {
          live(`sent to ${target.text}`);
          stepped();
          const sent: Sent = {
            gen,
            at: Date.now(),
            target,
            delivery,
            functionKey: key,
            done: false,
            interrupted: false,
          };
          trace.sent.push(sent);
          const { deliveryMs, deliveryFails } = s.functions[Number(key.slice(2))] ?? {};
          return new Promise((resolve, reject) => {
            const finish = () => {
              if (sent.interrupted) return; // the process died on the way
              sent.done = true;
              if (deliveryFails) reject(new Error('AccessDenied'));
              else resolve();
            };
            if (deliveryMs) setTimeout(finish, deliveryMs);
            else finish();
          });
        },
      },
      log: (key, line) => trace.logs.push({ gen, at: Date.now(), functionKey: key, line }),
      outcome: () => undefined,
    });
    started.start();
    return started;
  };

  // Kills and restarts run on fake time, between the engine's own timers.
  const deferred: number[] = [];
  let steps = 0;
  const stepped = () => {
    const gen = alive;
    for (const k of s.kills)
      if ('step' in k && k.step === steps) setTimeout(() => alive === gen && kill(k.downtime), k.delay);
    steps++;
  };
  const accept = (i: number) => {
    // The emulator is down: the client tries again, and gets through once it is back.
    if (!engine || alive === 0) {
      deferred.push(i);
      return;
    }
    const event = s.events[i];
    trace.acceptedAt.set(requestId(i), Date.now());
    engine.accept(
      functionKey(event.fn % s.functions.length),
      JSON.stringify(event.payload),
      TEST_ORIGIN,
      requestId(i),
    );
  };
  const kill = (downtime: number) => {
    if (alive === 0) return;
    const killed = { at: Date.now(), restartAt: NaN };
    trace.kills.push(killed);
    engine?.stop();
    for (const calls of trace.calls.values())
      for (const call of calls)
        if (call.gen === alive && call.resolvedAt === undefined) call.interrupted = true;
    // A delivery on its way is lost with the process; the ending it belongs to is in the store.
    for (const sent of trace.sent) if (sent.gen === alive && !sent.done) sent.interrupted = true;
    alive = 0;
    // A new process opens the state again: the file, or the same in-memory database standing for it.
    if (dir) {
      db.close();
      db = open();
    }
    store = new AsyncStore(db);
    setTimeout(() => {
      killed.restartAt = Date.now();
      engine = startEngine();
      for (const i of deferred.splice(0)) accept(i);
    }, downtime);
  };

  const advance = async (ms: number) => {
    if (ms > 0) await clock.tickAsync(ms);
    await flush();
  };

  try {
    engine = startEngine();
    s.events.forEach((e, i) => setTimeout(() => accept(i), e.acceptAt));
    for (const k of s.kills) if ('at' in k) setTimeout(() => kill(k.downtime), k.at);
    // Until every event is accepted and gone, and the emulator is up. The longest wait is a throttled
    // event living out a 6-hour age after the last accept and the last restart: 12 hours is plenty.
    const pending = () => store.size() > 0 || trace.acceptedAt.size < s.events.length || alive === 0;
    for (let i = 0; i < 72 && pending(); i++) await advance(600_000);
    trace.storeSize = pending() ? Math.max(1, store.size()) : 0;
    // Settled means settled: nothing more happens in the next hour.
    const before = { sent: trace.sent.length, logs: trace.logs.length };
    const calls = () => [...trace.calls.values()].reduce((n, c) => n + c.length, 0);
    const callsBefore = calls();
    await advance(3_600_000);
    if (trace.sent.length !== before.sent || calls() !== callsBefore)
      trace.violations.push('something happened after the store was empty');
    return trace;
  } finally {
    engine?.stop();
    db.close();
  }
}

const parse = (json: string): unknown => JSON.parse(json);

/** Checks one event's calls and endings against Lambda's async rules. */
function checkEvent(s: Scenario, trace: Trace, i: number): void {
  const event = s.events[i];
  const id = requestId(i);
  const key = functionKey(event.fn % s.functions.length);
  const fn = s.functions[event.fn % s.functions.length];
  const settings = settingsOf(fn, key);
  const payload = JSON.stringify(event.payload);
  const acceptedAt = trace.acceptedAt.get(id) ?? NaN;
  const calls = trace.calls.get(id) ?? [];
  const maxAgeMs = fn.maximumEventAge * 1000;
  const where = `event ${id} (${key})`;
  const restartOf = (gen: number) => trace.kills[gen - 1]?.restartAt;

  // The calls whose outcome the engine recorded, throttles aside: those are the attempts that count.
  const attempts = calls.filter((c) => c.outcome !== undefined && !c.interrupted);
  const last = attempts.at(-1)?.outcome;

  // The ending: deliveries, or the log line of an event dropped for want of a failure target. It is
  // recorded with the outcome that ends the event, and a delivery a kill cut short is made again, the
  // same, as the next engine starts (at-least-once, as in AWS); the deliveries made count once each.
  const sent = trace.sent.filter((x) => requestIdOf(x) === id);
  sent.forEach((x, n) => {
    if (!x.interrupted) return;
    const again = sent[n + 1];
    assert.equal(again?.at, restartOf(x.gen), `${where}: a cut-short delivery not made again at the restart`);
    assert.deepEqual(
      { target: again.target, delivery: again.delivery },
      { target: x.target, delivery: x.delivery },
      `${where}: a cut-short delivery made again otherwise`,
    );
  });
  const made = sent.filter((x) => !x.interrupted);
  const successes = made.filter((x) => x.delivery.kind === 'destination' && x.delivery.success);
  const failures = made.filter((x) => x.delivery.kind === 'destination' && !x.delivery.success);
  const deadLetters = made.filter((x) => x.delivery.kind === 'dead-letter');
  const dropped = trace.logs.filter((l) => l.line.startsWith(`async event ${id} dropped`));
  const marks = [...sent, ...dropped].sort((a, b) => a.at - b.at);
  // When the event ended: its first delivery goes out (or its drop is logged) as the ending is recorded.
  const endedAt = marks[0]?.at;

  for (const x of sent) assert.equal(x.functionKey, key, `${where}: delivered as another function's`);
  // Event age: no attempt starts once the event is older than maximumEventAge.
  for (const c of calls)
    assert.ok(c.at - acceptedAt <= maxAgeMs, `${where}: a call ${c.at - acceptedAt} ms after accept`);

  if (fn.reservedConcurrencyZero) {
    assert.equal(calls.length, 0, `${where}: reservedConcurrency 0 ran the function`);
    assert.equal(marks[0]?.at, acceptedAt, `${where}: reservedConcurrency 0 did not fail at once`);
  } else {
    // Attempts: function errors until the first success, at most 1 + maximumRetryAttempts.
    attempts.slice(0, -1).forEach((c, n) => {
      assert.ok(c.outcome?.functionError, `${where}: attempt ${n + 1} succeeded and was run again`);
    });
    assert.ok(attempts.length <= 1 + fn.maximumRetryAttempts, `${where}: ${attempts.length} attempts`);
    // What comes after each call (the next call, or an ending) comes when it should.
    // The first moment from `at` when an engine runs (not between a kill and its restart); at a kill's
    // own millisecond, the engine's timer may fire before the kill or not.
    const resumeAt = (at: number, killFirst: boolean) =>
      trace.kills.reduce(
        (t, k) => ((killFirst ? k.at <= t : k.at < t) && t < k.restartAt ? k.restartAt : t),
        at,
      );
    calls.forEach((c, n) => {
      const gen = c.interrupted ? c.gen + 1 : c.gen;
      const next = [calls[n + 1], ...marks.filter((m) => m.gen >= gen && m.at >= c.at)]
        .filter((m) => m !== undefined)
        .sort((a, b) => a.at - b.at)[0];
      const what = `${where}, after call ${n + 1} (${c.spec.kind})`;
      if (c.interrupted) {
        // At-least-once: an attempt whose outcome a kill lost runs again as soon as the next engine
        // starts (or the event ends then, if it has grown too old meanwhile).
        assert.equal(
          next?.at,
          restartOf(c.gen),
          `${what}: an interrupted attempt not resumed at the restart`,
        );
      } else if (!c.outcome) {
        // A throttled event waits for a free instance; should its engine die first, the next one resumes it.
        if (next && next.gen !== c.gen) assert.equal(next.at, restartOf(c.gen), `${what}: not resumed`);
      } else if (c.outcome.functionError && c.resolvedAt !== undefined) {
        // Retries: AWS's 1 and 2 minutes (scaled) after a function error; a restart does not shorten them.
        const number = attempts.indexOf(c) + 1;
        if (number > fn.maximumRetryAttempts) return;
        // Within a millisecond: a scaled delay has fractions, and a 0 ms timer fires after 1 ms.
        const due = c.resolvedAt + RETRY_DELAYS_MS[number - 1] * s.retryDelayScale;
        assert.ok(
          next && resumeAt(due - 1, false) <= next.at && next.at <= resumeAt(due + 1, true),
          `${what}: retry at ${next && next.at - c.resolvedAt}`,
        );
      }
    });
  }

  const succeeded = last !== undefined && !last.functionError;
  const condition = fn.reservedConcurrencyZero
    ? 'RetriesExhausted'
    : succeeded
      ? 'Success'
      : attempts.length === 1 + fn.maximumRetryAttempts
        ? 'RetriesExhausted'
        : 'EventAgeExceeded';

  // Nothing runs the function once the event has ended.
  if (condition !== 'EventAgeExceeded')
    assert.equal(calls.at(-1), attempts.at(-1), `${where}: a call after the ${condition} attempt`);
  for (const c of calls)
    assert.ok(endedAt === undefined || c.at <= endedAt, `${where}: a call after its end`);

  // A record is made as the event ends, and sent again as it was.
  const checkRecord = (record: InvocationRecord) => {
    assert.equal(record.version, '1.0');
    assert.equal(record.timestamp, new Date(Number(endedAt)).toISOString());
    assert.deepEqual(record.requestContext, {
      requestId: id,
      functionArn: `${settings.functionArn}:$LATEST`,
      condition,
      approximateInvokeCount: attempts.length,
    });
    assert.deepEqual(record.requestPayload, parse(payload));
    if (last) {
      assert.deepEqual(record.responseContext, {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(last.functionError && { functionError: 'Unhandled' }),
      });
      assert.deepEqual(record.responsePayload, parse(last.payload));
    } else {
      assert.ok(!('responseContext' in record) && !('responsePayload' in record), `${where}: a response`);
    }
  };

  if (condition === 'Success') {
    assert.equal(failures.length + deadLetters.length + dropped.length, 0, `${where}: succeeded and failed`);
    assert.equal(successes.length, fn.onSuccess ? 1 : 0, `${where}: onSuccess records`);
    if (fn.onSuccess)
      assert.equal(endedAt, attempts.at(-1)?.resolvedAt, `${where}: onSuccess record not sent at once`);
    for (const x of successes) {
      assert.equal(x.target.text, targets(key).onSuccess.text);
      assert.ok(x.delivery.kind === 'destination');
      checkRecord(x.delivery.record);
    }
    return;
  }

  assert.equal(successes.length, 0, `${where}: ${condition} and an onSuccess record`);
  assert.equal(failures.length, fn.onFailure ? 1 : 0, `${where}: onFailure records`);
  assert.equal(deadLetters.length, fn.deadLetter ? 1 : 0, `${where}: DLQ messages`);
  assert.equal(dropped.length, fn.onFailure || fn.deadLetter ? 0 : 1, `${where}: dropped`);
  if (condition === 'RetriesExhausted' && !fn.reservedConcurrencyZero)
    assert.equal(endedAt, attempts.at(-1)?.resolvedAt, `${where}: not ended by its last attempt`);
  if (condition === 'EventAgeExceeded')
    assert.ok(
      Number(endedAt) - acceptedAt > maxAgeMs,
      `${where}: expired ${Number(endedAt) - acceptedAt} ms old`,
    );
  for (const x of failures) {
    assert.equal(x.target.text, targets(key).onFailure.text);
    assert.ok(x.delivery.kind === 'destination');
    checkRecord(x.delivery.record);
  }
  for (const x of deadLetters) {
    assert.equal(x.target.text, targets(key).deadLetter.text);
    assert.ok(x.delivery.kind === 'dead-letter');
    assert.equal(x.delivery.event, payload, `${where}: the DLQ gets the original event`);
    assert.equal(x.delivery.attributes.RequestID, id);
    assert.equal(typeof x.delivery.attributes.ErrorCode, 'number');
    assert.ok(x.delivery.attributes.ErrorMessage.length <= 1024);
    if (last) {
      const error = parse(last.payload) as { errorMessage: string };
      assert.equal(x.delivery.attributes.ErrorCode, 200);
      assert.equal(x.delivery.attributes.ErrorMessage, error.errorMessage.slice(0, 1024));
    }
  }
}

describe('the async invocation engine, over random failure schedules and kills (property)', () => {
  it('ends every accepted event exactly once, after the right attempts, with the right record', async function () {
    this.timeout(120_000);
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const trace = await play(s);
        assert.deepEqual(trace.violations, []);
        assert.equal(trace.storeSize, 0, 'every accepted event leaves the store');
        const known = new Set(s.events.map((_, i) => requestId(i)));
        for (const x of trace.sent) assert.ok(known.has(requestIdOf(x)), 'a delivery for an unknown event');
        s.events.forEach((_, i) => checkEvent(s, trace, i));
      }),
      { numRuns: 200 },
    );
  });
});
