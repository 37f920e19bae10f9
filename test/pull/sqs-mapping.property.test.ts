import { strict as assert } from 'node:assert';
import { sourceInvocationOfType } from '../../src/classify/origin';
import type { SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import sinon from 'sinon';
import { SqsService } from '../../src/aws/sqs/sqs-service';
import { systemClock } from '../../src/clock';
import { throttled } from '../../src/lambda/errors';
import type { InvokeOutcome, Invoker } from '../../src/lambda/types';
import type { SqsSourceApi } from '../../src/pull/source-apis';
import { SqsMapping } from '../../src/pull/sqs-mapping';
import { openStateDatabase, type Db } from '../../src/state/database';
import {
  callSpecs,
  killsByCall,
  killSpecs,
  never,
  onFakeTime,
  START,
  whileAlive,
  type CallSpec,
  type KillSpec,
} from './kill-harness';

/*
 * The SQS event source mapping as a property: the real SqsMapping polling the real SqsService (a queue
 * with a RedrivePolicy to a DLQ, standard or FIFO), a scripted handler whose behaviour is what is random
 * (each message succeeds or fails on each receive, throttles, durations), all on fake time so that the
 * 30 s visibility timeouts pass at once. The emulator is killed at random points (at a time, or as an
 * invocation starts or returns) and restarted over the same SQLite file, as `sls emulate` after a
 * SIGKILL: the dead service and mapping just stop (their invocations never return, their calls go
 * nowhere, their long polls and timers end with nothing committed) and a new service and mapping take
 * over what the database holds. Every message ends exactly once, deleted or in the DLQ after exactly
 * maxReceiveCount receives, counting the receives of every generation (one cut short by a kill
 * counts, as in SQS); a FIFO queue's groups are processed in order.
 */

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const VISIBILITY_TIMEOUT_S = 30;
const arn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

interface MessageSpec {
  /** Whether the handler succeeds with the message on its 1st, 2nd, ... receive. */
  plan: boolean[];
  /** FIFO: the message's group. */
  group: number;
  /** When it is sent, after the mapping starts. */
  sendAt: number;
}

interface Scenario {
  fifo: boolean;
  maxReceiveCount: number;
  reportBatchItemFailures: boolean;
  batchSize: number;
  maximumBatchingWindow: number;
  functionConcurrency: number;
  maximumConcurrency: number | undefined;
  messages: MessageSpec[];
  /** The invoker's n-th call; calls past the list run at once and are not throttled. */
  calls: CallSpec[];
  kills: KillSpec[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  fifo: fc.boolean(),
  maxReceiveCount: fc.integer({ min: 1, max: 4 }),
  reportBatchItemFailures: fc.boolean(),
  batchSize: fc.integer({ min: 1, max: 10 }),
  maximumBatchingWindow: fc.oneof(
    { arbitrary: fc.constant(0), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 1 },
  ),
  functionConcurrency: fc.oneof(fc.constant(1000), fc.integer({ min: 1, max: 6 })),
  maximumConcurrency: fc.option(fc.integer({ min: 2, max: 6 }), { nil: undefined }),
  messages: fc.array(
    fc.record({
      plan: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      group: fc.nat(2),
      sendAt: fc.oneof(
        { arbitrary: fc.constant(0), weight: 3 },
        { arbitrary: fc.integer({ min: 0, max: 60_000 }), weight: 1 },
      ),
    }),
    { minLength: 1, maxLength: 25, size: 'max' },
  ),
  calls: callSpecs,
  kills: killSpecs(60_000, 180_000),
});

/** One receive of a message, as the source queue made it (committed in the database). */
interface Receive {
  generation: number;
  /** Its ApproximateReceiveCount: 1 for the first receive, across generations. */
  count: number;
  /** How many processings the handler had done when it was received. */
  at: number;
  /** A live mapping deleted the message with this receive's handle. */
  deleted: boolean;
}

/** One receive of a message as the invoker got it. */
interface Delivery {
  generation: number;
  call: number;
  approximateReceiveCount: number;
  throttled: boolean;
  /** The handler processed it successfully in this invocation. */
  processed: boolean;
  /** At which index of `processed` it was. */
  processedAt: number;
  /** The invocation returned its result to a live mapping (it was neither throttled nor cut short). */
  completed: boolean;
}

interface Trace {
  /** By message index. */
  receives: Receive[][];
  deliveries: Delivery[][];
  /** Successful processings in the order the handler did them. */
  processed: number[];
  /** Per message, the processed-order index of the processing whose receive deleted it. */
  processedAt: Map<number, number>;
  deadLettered: number[];
  /** What the source queue still holds at the end (visible, in flight, delayed). */
  left: number;
  /** How many generations ran (1 + the restarts). */
  generations: number;
  violations: string[];
}

/** The messages' indexes in the order they are sent: by sendAt, then index. */
const sendOrder = (messages: MessageSpec[]): number[] =>
  messages.map((_, i) => i).sort((a, b) => messages[a].sendAt - messages[b].sendAt || a - b);

/** One run of the emulator, from a start to its kill (or to the end of the scenario). */
interface Generation {
  n: number;
  db: Db;
  sqs: SqsService;
  mapping?: SqsMapping;
  dead: boolean;
  /** Invocations in progress. */
  running: number;
  /** Resolves when it is killed. */
  killed: Promise<void>;
  onKilled: () => void;
}

function play(s: Scenario): Promise<Trace> {
  return onFakeTime('sqs-mapping-kill-', (clock, dir) => playOn(s, clock, dir));
}

async function playOn(s: Scenario, clock: sinon.SinonFakeTimers, dir: string): Promise<Trace> {
  const suffix = s.fifo ? '.fifo' : '';
  const source = `orders${suffix}`;
  const dlq = `orders-dlq${suffix}`;
  const fifoAttributes: Record<string, string> = s.fifo ? { FifoQueue: 'true' } : {};
  const queues = [
    { name: dlq, attributes: { ...fifoAttributes } },
    {
      name: source,
      attributes: {
        ...fifoAttributes,
        VisibilityTimeout: String(VISIBILITY_TIMEOUT_S),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn(dlq), maxReceiveCount: s.maxReceiveCount }),
      },
    },
  ];
  const trace: Trace = {
    receives: s.messages.map(() => []),
    deliveries: s.messages.map(() => []),
    processed: [],
    processedAt: new Map(),
    deadLettered: [],
    left: -1,
    generations: 0,
    violations: [],
  };
  let calls = 0;
  const callKills = killsByCall(s.kills);
  /** The generation running now, or the last one killed. */
  let current: Generation;
  let killing = true;
  let restartAt = 0;
  /** Which receive of which message a receipt handle names. */
  const handles = new Map<string, { index: number; count: number }>();

  /** SIGKILL: nothing of the generation runs any more; what it committed stays in the file. */
  const kill = (downMs: number) => {
    const gen = current;
    if (!killing || gen.dead) return;
    gen.dead = true;
    // Ends its long polls with nothing (they commit nothing) and clears their timers.
    gen.sqs.stop();
    gen.db.close();
    gen.onKilled();
    restartAt = Date.now() + downMs;
  };

  /** What the mapping of a generation calls SQS through: inert once the generation is dead. */
  const gate = (gen: Generation): SqsSourceApi => {
    const alive = <T>(call: () => Promise<T>, seen?: (result: T) => void): Promise<T> =>
      whileAlive(() => gen.dead, call, seen);
    return {
      receiveMessage: (input) =>
        alive(
          () => gen.sqs.receiveMessage(input),
          // Made while the generation lived, so committed, even when it died before it heard back.
          ({ Messages = [] }) => {
            for (const message of Messages) {
              const index = Number(message.Body);
              const count = Number(message.Attributes?.ApproximateReceiveCount);
              trace.receives[index].push({
                generation: gen.n,
                count,
                at: trace.processed.length,
                deleted: false,
              });
              handles.set(message.ReceiptHandle ?? '', { index, count });
            }
          },
        ),
      deleteMessageBatch: (input) => {
        if (gen.dead) return never();
        for (const entry of input.Entries ?? []) {
          const receipt = handles.get(entry.ReceiptHandle ?? '');
          if (!receipt) {
            trace.violations.push(`deleted with an unknown handle`);
            continue;
          }
          const { index, count } = receipt;
          const receives = trace.receives[index];
          if (receives.at(-1)?.count !== count) trace.violations.push(`message ${index}: a stale delete`);
          const receive = receives.find((r) => r.count === count);
          if (receive) receive.deleted = true;
          const delivery = trace.deliveries[index].find((d) => d.approximateReceiveCount === count);
          if (!delivery?.processed) trace.violations.push(`message ${index} deleted unprocessed`);
          else trace.processedAt.set(index, delivery.processedAt);
        }
        return alive(() => gen.sqs.deleteMessageBatch(input));
      },
      changeMessageVisibilityBatch: (input) => alive(() => gen.sqs.changeMessageVisibilityBatch(input)),
      getQueueAttributes: (input) => alive(() => gen.sqs.getQueueAttributes(input)),
      getQueueUrl: (input) => alive(() => gen.sqs.getQueueUrl(input)),
    };
  };

  const invokerOf = (gen: Generation): Invoker => ({
    async invoke(functionName, request): Promise<InvokeOutcome> {
      if (gen.dead) return never();
      const call = calls++;
      const spec = s.calls[call] ?? { throttle: false, durationMs: 0 };
      const killHere = callKills.get(call);
      if (functionName !== 'worker') trace.violations.push(`invoked ${functionName}`);
      if (request.type !== 'RequestResponse') trace.violations.push(`invoked ${request.type}`);
      const event = JSON.parse(request.payload) as SQSEvent;
      if (event.Records.length > s.batchSize) trace.violations.push(`a batch of ${event.Records.length}`);
      const batch = event.Records.map((record) => {
        const index = Number(record.body);
        const delivery: Delivery = {
          generation: gen.n,
          call,
          approximateReceiveCount: Number(record.attributes.ApproximateReceiveCount),
          throttled: spec.throttle,
          processed: false,
          processedAt: -1,
          completed: false,
        };
        if (record.eventSourceARN !== arn(source))
          trace.violations.push(`eventSourceARN ${record.eventSourceARN}`);
        trace.deliveries[index].push(delivery);
        return { index, id: record.messageId, delivery };
      });
      if (killHere?.phase === 'start') {
        kill(killHere.downMs);
        return never();
      }
      if (spec.throttle) {
        if (killHere) kill(killHere.downMs);
        if (gen.dead) return never();
        throw throttled(functionName);
      }
      gen.running++;
      try {
        if (spec.durationMs) await new Promise((resolve) => setTimeout(resolve, spec.durationMs));
      } finally {
        gen.running--;
      }
      // Killed while it ran: the handler's work is lost with it.
      if (gen.dead) return never();
      const succeeds = ({ index, delivery }: (typeof batch)[number]) =>
        s.messages[index].plan[delivery.approximateReceiveCount - 1] ?? true;
      const done = (items: typeof batch) => {
        for (const item of items) {
          item.delivery.processed = true;
          item.delivery.processedAt = trace.processed.length;
          trace.processed.push(item.index);
        }
      };
      const ok = (payload: unknown): InvokeOutcome => ({
        requestId: `req-${call}`,
        statusCode: 200,
        payload: JSON.stringify(payload),
        durationMs: spec.durationMs,
      });
      const outcome = (): InvokeOutcome => {
        const failed = batch.findIndex((item) => !succeeds(item));
        if (failed === -1) {
          done(batch);
          return ok(s.reportBatchItemFailures && call % 2 ? { batchItemFailures: [] } : null);
        }
        if (!s.reportBatchItemFailures) {
          return {
            ...ok({ errorType: 'Error', errorMessage: `message ${batch[failed].index} failed` }),
            functionError: 'Unhandled',
          };
        }
        // A FIFO handler stops at the first failure and reports it and everything after it (as AWS
        // asks, to keep each group's order); a standard one processes what it can.
        const failures = s.fifo ? batch.slice(failed) : batch.filter((item) => !succeeds(item));
        done(batch.filter((item) => !failures.includes(item)));
        return ok({ batchItemFailures: failures.map((item) => ({ itemIdentifier: item.id })) });
      };
      const result = outcome();
      // Killed as the handler returned: it did its work, the mapping never heard of it.
      if (killHere) kill(killHere.downMs);
      if (gen.dead) return never();
      for (const { delivery } of batch) delivery.completed = true;
      return result;
    },
  });

  /** A start of the emulator over the state file: a new service and a new mapping. */
  const begin = async (reset: boolean): Promise<Generation> => {
    const db = openStateDatabase(dir, { reset });
    let onKilled: () => void = () => undefined;
    const killed = new Promise<void>((resolve) => (onKilled = resolve));
    const gen: Generation = {
      n: trace.generations++,
      db,
      sqs: new SqsService({ db, region: REGION, accountId: ACCOUNT, clock: systemClock, queues }),
      dead: false,
      running: 0,
      killed,
      onKilled,
    };
    current = gen;
    gen.mapping = new SqsMapping(
      gate(gen),
      {
        functionKey: 'worker',
        invocation: sourceInvocationOfType('sqs'),
        queueArn: arn(source),
        region: REGION,
        batchSize: s.batchSize,
        maximumBatchingWindow: s.maximumBatchingWindow,
        reportBatchItemFailures: s.reportBatchItemFailures,
        maximumConcurrency: s.maximumConcurrency,
        functionConcurrency: s.functionConcurrency,
      },
      { invoker: invokerOf(gen), clock: systemClock, log: () => undefined, outcome: () => undefined },
    );
    // A kill can come while it starts (a first batch at once): a dead start never finishes.
    await Promise.race([gen.mapping.start(), gen.killed]);
    return gen;
  };

  current = await begin(true);
  const { QueueUrl: sourceUrl = '' } = await current.sqs.getQueueUrl({ QueueName: source });
  const { QueueUrl: dlqUrl = '' } = await current.sqs.getQueueUrl({ QueueName: dlq });
  for (const spec of s.kills) if ('at' in spec) setTimeout(() => kill(spec.downMs), spec.at);

  const counts = async (url: string) => {
    const { Attributes = {} } = await current.sqs.getQueueAttributes({
      QueueUrl: url,
      AttributeNames: ['All'],
    });
    return (
      Number(Attributes.ApproximateNumberOfMessages) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible) +
      Number(Attributes.ApproximateNumberOfMessagesDelayed)
    );
  };

  // Long enough for every message of one group, one after the other, to use all its receives, and
  // for the kills' down times.
  const limit =
    Date.now() +
    (s.messages.length + 2) * (s.maxReceiveCount + 1) * (VISIBILITY_TIMEOUT_S + 30) * 1000 +
    s.kills.length * 100_000;
  const order = sendOrder(s.messages);
  let next = 0;
  for (;;) {
    if (current.dead && Date.now() >= restartAt) await begin(false);
    // Sent while the emulator is up (a producer retries while it is down).
    while (!current.dead && next < order.length && s.messages[order[next]].sendAt <= Date.now() - START) {
      const i = order[next++];
      await current.sqs.sendMessage({
        QueueUrl: sourceUrl,
        MessageBody: String(i),
        ...(s.fifo && { MessageGroupId: `g${s.messages[i].group}`, MessageDeduplicationId: `d${i}` }),
      });
    }
    if (current.dead) {
      if (Date.now() < restartAt) await clock.tickAsync(restartAt - Date.now());
      continue;
    }
    if (next === order.length && current.running === 0 && (await counts(sourceUrl)) === 0) break;
    if (Date.now() >= limit) break;
    const nextSend = next < order.length ? START + s.messages[order[next]].sendAt - Date.now() : Infinity;
    await clock.tickAsync(Math.min(5000, nextSend));
  }
  killing = false;
  if (current.dead) await begin(false);
  trace.left = await counts(sourceUrl);

  const stopped = current.mapping?.stop();
  current.sqs.stop();
  await clock.tickAsync(60_000);
  await stopped;

  for (;;) {
    const { Messages = [] } = await current.sqs.receiveMessage({
      QueueUrl: dlqUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 43_200,
      WaitTimeSeconds: 0,
    });
    if (Messages.length === 0) break;
    trace.deadLettered.push(...Messages.map((m) => Number(m.Body)));
    // Deleted, so that a FIFO DLQ hands out the rest of the group.
    await current.sqs.deleteMessageBatch({
      QueueUrl: dlqUrl,
      Entries: Messages.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle })),
    });
  }
  current.db.close();
  return trace;
}

function check(s: Scenario, trace: Trace): void {
  assert.deepEqual(trace.violations, []);
  assert.equal(trace.left, 0, 'the source queue ends empty');
  const dead = new Set(trace.deadLettered);
  assert.equal(dead.size, trace.deadLettered.length, 'a message is in the DLQ once');
  const last = trace.generations - 1;
  s.messages.forEach((message, i) => {
    const where = `message ${i}`;
    const receives = trace.receives[i];
    const deliveries = trace.deliveries[i];
    const deleted = receives.filter((r) => r.deleted).length;
    assert.equal(deleted + (dead.has(i) ? 1 : 0), 1, `${where}: ends exactly once (deleted ${deleted}×)`);
    assert.deepEqual(
      receives.map((r) => r.count),
      receives.map((_, n) => n + 1),
      `${where}: every receive counted, across generations`,
    );
    if (dead.has(i)) {
      assert.equal(
        receives.length,
        s.maxReceiveCount,
        `${where}: dead-lettered after maxReceiveCount receives`,
      );
    } else {
      assert.ok(receives.at(-1)?.deleted, `${where}: not received after it was deleted`);
    }
    // The invoker gets each receive at most once, in its generation; only a kill loses one on the way.
    for (const delivery of deliveries) {
      const receive = receives.find((r) => r.count === delivery.approximateReceiveCount);
      assert.equal(receive?.generation, delivery.generation, `${where}: delivered as it was received`);
    }
    const delivered = deliveries.map((d) => d.approximateReceiveCount);
    assert.equal(new Set(delivered).size, delivered.length, `${where}: each receive delivered once`);
    for (const receive of receives) {
      if (receive.generation === last) {
        assert.ok(
          delivered.includes(receive.count),
          `${where}: receive ${receive.count} reaches the invoker`,
        );
      }
    }
    for (const delivery of deliveries) {
      const receive = receives.find((r) => r.count === delivery.approximateReceiveCount);
      const text = `${where}, receive ${delivery.approximateReceiveCount} (generation ${delivery.generation})`;
      // A processing is deleted, unless the emulator died before the mapping deleted it (then the
      // message comes again: at least once).
      if (delivery.processed && !receive?.deleted) {
        assert.ok(delivery.generation < last, `${text}: processed, not deleted, yet not killed`);
      }
      if (s.reportBatchItemFailures && !s.fifo && delivery.completed) {
        // Each message on its own: processed exactly when its plan succeeds on this receive.
        assert.equal(
          delivery.processed,
          message.plan[delivery.approximateReceiveCount - 1] ?? true,
          `${text}: processed as planned`,
        );
      }
    }
  });
  if (s.fifo) {
    // A group's order is the order its messages were sent in.
    const order = sendOrder(s.messages);
    order.forEach((j, rank) => {
      if (!trace.processedAt.has(j)) return;
      const message = s.messages[j];
      const at = trace.processedAt.get(j) ?? -1;
      for (const i of order.slice(0, rank)) {
        if (s.messages[i].group !== message.group) continue;
        const earlier = `message ${i} before ${j} in group ${message.group}`;
        if (trace.processedAt.has(i))
          assert.ok((trace.processedAt.get(i) ?? -1) < at, `${earlier}: processed first`);
        // Dead-lettered: its receives all came before the later one was processed.
        else assert.ok((trace.receives[i].at(-1)?.at ?? Infinity) <= at, `${earlier}: given up first`);
      }
    });
  }
}

describe('the SQS event source mapping, over random handlers, redrive policies and kills (property)', () => {
  it('ends every message exactly once, deleted or in the DLQ after maxReceiveCount receives, in group order, across SIGKILLs and restarts', async function () {
    this.timeout(120_000);
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => check(s, await play(s))),
      { numRuns: 250 },
    );
  });
});
