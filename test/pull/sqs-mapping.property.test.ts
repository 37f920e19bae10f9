import { strict as assert } from 'node:assert';
import type { SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import sinon from 'sinon';
import { SqsService } from '../../src/aws/sqs/sqs-service';
import { systemClock } from '../../src/lambda/clock';
import { throttled } from '../../src/lambda/errors';
import type { InvokeOutcome, Invoker } from '../../src/lambda/types';
import { SqsMapping } from '../../src/pull/sqs-mapping';
import { memoryDatabase } from '../../src/state/database';

/*
 * The SQS event source mapping as a property: the real SqsMapping polling the real SqsService (a queue
 * with a RedrivePolicy to a DLQ, standard or FIFO), a scripted handler whose behaviour is what is random
 * (each message succeeds or fails on each receive, throttles, durations), all on fake time so that the
 * 30 s visibility timeouts pass at once. Every message ends exactly once, processed (deleted) or in the
 * DLQ after exactly maxReceiveCount receives; a FIFO queue's groups are processed in order.
 */

const START = Date.UTC(2026, 0, 1);
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

interface CallSpec {
  throttle: boolean;
  durationMs: number;
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
  calls: fc.array(
    fc.record({
      throttle: fc.oneof(
        { arbitrary: fc.constant(false), weight: 9 },
        { arbitrary: fc.constant(true), weight: 1 },
      ),
      // Well within the visibility timeout, as Lambda requires of a function's timeout.
      durationMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 })),
    }),
    { maxLength: 40, size: 'medium' },
  ),
});

/** One receive of a message as the invoker got it. */
interface Delivery {
  call: number;
  approximateReceiveCount: number;
  throttled: boolean;
  /** The handler processed it successfully in this invocation. */
  processed: boolean;
}

interface Trace {
  /** By message index. */
  deliveries: Delivery[][];
  /** Successful processings in the order the handler did them. */
  processed: number[];
  /** Per message, the processed-order index at which it was processed, and at which each delivery happened. */
  processedAt: Map<number, number>;
  lastDeliveryAt: Map<number, number>;
  deadLettered: number[];
  /** What the source queue still holds at the end (visible, in flight, delayed). */
  left: number;
  violations: string[];
}

/** The messages' indexes in the order they are sent: by sendAt, then index. */
const sendOrder = (messages: MessageSpec[]): number[] =>
  messages.map((_, i) => i).sort((a, b) => messages[a].sendAt - messages[b].sendAt || a - b);

async function play(s: Scenario): Promise<Trace> {
  const sandbox = sinon.createSandbox();
  const clock = sandbox.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  try {
    return await playOn(s, clock);
  } finally {
    sandbox.restore();
  }
}

async function playOn(s: Scenario, clock: sinon.SinonFakeTimers): Promise<Trace> {
  const suffix = s.fifo ? '.fifo' : '';
  const source = `orders${suffix}`;
  const dlq = `orders-dlq${suffix}`;
  const fifoAttributes: Record<string, string> = s.fifo ? { FifoQueue: 'true' } : {};
  const sqs = new SqsService({
    db: memoryDatabase(),
    region: REGION,
    accountId: ACCOUNT,
    clock: systemClock,
    queues: [
      { name: dlq, attributes: { ...fifoAttributes } },
      {
        name: source,
        attributes: {
          ...fifoAttributes,
          VisibilityTimeout: String(VISIBILITY_TIMEOUT_S),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: arn(dlq),
            maxReceiveCount: s.maxReceiveCount,
          }),
        },
      },
    ],
  });
  const trace: Trace = {
    deliveries: s.messages.map(() => []),
    processed: [],
    processedAt: new Map(),
    lastDeliveryAt: new Map(),
    deadLettered: [],
    left: -1,
    violations: [],
  };
  let calls = 0;
  let running = 0;

  const invoker: Invoker = {
    async invoke(functionName, request): Promise<InvokeOutcome> {
      const call = calls++;
      const spec = s.calls[call] ?? { throttle: false, durationMs: 0 };
      if (functionName !== 'worker') trace.violations.push(`invoked ${functionName}`);
      if (request.type !== 'RequestResponse') trace.violations.push(`invoked ${request.type}`);
      const event = JSON.parse(request.payload) as SQSEvent;
      if (event.Records.length > s.batchSize) trace.violations.push(`a batch of ${event.Records.length}`);
      const batch = event.Records.map((record) => {
        const index = Number(record.body);
        const delivery: Delivery = {
          call,
          approximateReceiveCount: Number(record.attributes.ApproximateReceiveCount),
          throttled: spec.throttle,
          processed: false,
        };
        if (record.eventSourceARN !== arn(source))
          trace.violations.push(`eventSourceARN ${record.eventSourceARN}`);
        trace.deliveries[index].push(delivery);
        trace.lastDeliveryAt.set(index, trace.processed.length);
        return { index, id: record.messageId, delivery };
      });
      if (spec.throttle) throw throttled(functionName);
      running++;
      try {
        if (spec.durationMs) await new Promise((resolve) => setTimeout(resolve, spec.durationMs));
      } finally {
        running--;
      }
      const succeeds = ({ index, delivery }: (typeof batch)[number]) =>
        s.messages[index].plan[delivery.approximateReceiveCount - 1] ?? true;
      const done = (items: typeof batch) => {
        for (const item of items) {
          item.delivery.processed = true;
          trace.processedAt.set(item.index, trace.processed.length);
          trace.processed.push(item.index);
        }
      };
      const ok = (payload: unknown): InvokeOutcome => ({
        requestId: `req-${call}`,
        statusCode: 200,
        payload: JSON.stringify(payload),
        durationMs: spec.durationMs,
      });
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
    },
  };

  const mapping = new SqsMapping(
    sqs,
    {
      functionKey: 'worker',
      queueArn: arn(source),
      region: REGION,
      batchSize: s.batchSize,
      maximumBatchingWindow: s.maximumBatchingWindow,
      reportBatchItemFailures: s.reportBatchItemFailures,
      maximumConcurrency: s.maximumConcurrency,
      functionConcurrency: s.functionConcurrency,
    },
    { invoker, clock: systemClock, log: () => undefined },
  );
  const { QueueUrl: sourceUrl = '' } = await sqs.getQueueUrl({ QueueName: source });
  const { QueueUrl: dlqUrl = '' } = await sqs.getQueueUrl({ QueueName: dlq });
  await mapping.start();

  let elapsed = 0;
  for (const i of sendOrder(s.messages)) {
    const message = { ...s.messages[i], i };
    if (message.sendAt > elapsed) {
      await clock.tickAsync(message.sendAt - elapsed);
      elapsed = message.sendAt;
    }
    await sqs.sendMessage({
      QueueUrl: sourceUrl,
      MessageBody: String(message.i),
      ...(s.fifo && { MessageGroupId: `g${message.group}`, MessageDeduplicationId: `d${message.i}` }),
    });
  }

  const counts = async (url: string) => {
    const { Attributes = {} } = await sqs.getQueueAttributes({ QueueUrl: url, AttributeNames: ['All'] });
    return (
      Number(Attributes.ApproximateNumberOfMessages) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible) +
      Number(Attributes.ApproximateNumberOfMessagesDelayed)
    );
  };
  // Long enough for every message of one group, one after the other, to use all its receives.
  const limit =
    Date.now() + (s.messages.length + 2) * (s.maxReceiveCount + 1) * (VISIBILITY_TIMEOUT_S + 30) * 1000;
  while (Date.now() < limit && ((await counts(sourceUrl)) > 0 || running > 0)) {
    await clock.tickAsync(5000);
  }
  trace.left = await counts(sourceUrl);

  const stopped = mapping.stop();
  sqs.stop();
  await clock.tickAsync(60_000);
  await stopped;

  for (;;) {
    const { Messages = [] } = await sqs.receiveMessage({
      QueueUrl: dlqUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 43_200,
      WaitTimeSeconds: 0,
    });
    if (Messages.length === 0) break;
    trace.deadLettered.push(...Messages.map((m) => Number(m.Body)));
    // Deleted, so that a FIFO DLQ hands out the rest of the group.
    await sqs.deleteMessageBatch({
      QueueUrl: dlqUrl,
      Entries: Messages.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle })),
    });
  }
  return trace;
}

function check(s: Scenario, trace: Trace): void {
  assert.deepEqual(trace.violations, []);
  assert.equal(trace.left, 0, 'the source queue ends empty');
  const dead = new Set(trace.deadLettered);
  assert.equal(dead.size, trace.deadLettered.length, 'a message is in the DLQ once');
  s.messages.forEach((message, i) => {
    const where = `message ${i}`;
    const deliveries = trace.deliveries[i];
    const processed = deliveries.filter((d) => d.processed).length;
    assert.equal(
      processed + (dead.has(i) ? 1 : 0),
      1,
      `${where}: ends exactly once (processed ${processed}×)`,
    );
    assert.deepEqual(
      deliveries.map((d) => d.approximateReceiveCount),
      deliveries.map((_, n) => n + 1),
      `${where}: every receive reaches the invoker, counted`,
    );
    if (dead.has(i)) {
      assert.equal(
        deliveries.length,
        s.maxReceiveCount,
        `${where}: dead-lettered after maxReceiveCount receives`,
      );
    } else {
      assert.ok(deliveries.at(-1)?.processed, `${where}: not received after it was processed`);
    }
    if (s.reportBatchItemFailures && !s.fifo) {
      // Each message on its own: processed at the first receive where its plan succeeds and the
      // invocation ran, if that comes within maxReceiveCount receives.
      const k = deliveries.findIndex((d, n) => !d.throttled && message.plan[n]) + 1;
      if (k > 0) assert.equal(deliveries.length, k, `${where}: processed after exactly ${k} receives`);
      else assert.ok(dead.has(i), `${where}: never processed, so dead-lettered`);
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
        else assert.ok((trace.lastDeliveryAt.get(i) ?? Infinity) <= at, `${earlier}: given up first`);
      }
    });
  }
}

describe('the SQS event source mapping, over random handlers and redrive policies (property)', () => {
  it('ends every message exactly once, processed or in the DLQ after maxReceiveCount receives, in group order', async function () {
    this.timeout(120_000);
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => check(s, await play(s))),
      { numRuns: 60 },
    );
  });
});
