import { strict as assert } from 'node:assert';
import { sourceInvocationOfType } from '../../src/classify/origin';
import { SqsService } from '../../src/aws/sqs/sqs-service';
import { systemClock } from '../../src/clock';
import type { InvokeOutcome, Invoker } from '../../src/lambda/types';
import { SqsMapping } from '../../src/pull/sqs-mapping';
import { openStateDatabase } from '../../src/state/database';
import { onFakeTime } from './kill-harness';

/*
 * How an SQS event source mapping scales on a full queue: five concurrent batches at first, then up to
 * 300 more per minute (services-sqs-scaling.html), so that a burst does not start an instance per full
 * batch. The handler takes a second per batch, on fake time.
 */
describe('SQS event source mapping scaling', () => {
  it('starts with five concurrent batches and adds at most one every 200 ms while batches come full', () =>
    onFakeTime('sqs-scaling-', async (clock, dir) => {
      const db = openStateDatabase(dir, { reset: true });
      const sqs = new SqsService({
        db,
        region: 'us-east-1',
        accountId: '123456789012',
        clock: systemClock,
        queues: [{ name: 'burst', attributes: { VisibilityTimeout: '300' } }],
      });
      const { QueueUrl = '' } = await sqs.getQueueUrl({ QueueName: 'burst' });
      for (let n = 0; n < 300; n++) {
        await sqs.sendMessageBatch({
          QueueUrl,
          Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: `${n}-${i}` })),
        });
      }
      let running = 0;
      let calls = 0;
      const invoker: Invoker = {
        async invoke(): Promise<InvokeOutcome> {
          running++;
          await new Promise((resolve) => setTimeout(resolve, 1000));
          running--;
          return { requestId: `req-${calls++}`, statusCode: 200, payload: 'null', durationMs: 1000 };
        },
      };
      const mapping = new SqsMapping(
        sqs,
        {
          functionKey: 'worker',
          invocation: sourceInvocationOfType('sqs'),
          queueArn: 'arn:aws:sqs:us-east-1:123456789012:burst',
          region: 'us-east-1',
          batchSize: 10,
          maximumBatchingWindow: 0,
          reportBatchItemFailures: false,
          functionConcurrency: 1000,
        },
        { invoker, clock: systemClock, log: () => undefined, outcome: () => undefined },
      );
      const started = Date.now();
      await mapping.start();
      const seen: Array<{ atMs: number; running: number }> = [];
      for (let step = 0; step < 30; step++) {
        await clock.tickAsync(100);
        seen.push({ atMs: Date.now() - started, running });
      }
      const stopped = mapping.stop();
      sqs.stop();
      await clock.tickAsync(60_000);
      await stopped;
      db.close();

      assert.equal(seen[0].running, 5, 'five concurrent batches at first');
      for (const { atMs, running: concurrent } of seen) {
        assert.ok(
          concurrent <= 5 + Math.floor(atMs / 200),
          `${concurrent} concurrent batches ${atMs} ms after the start`,
        );
      }
      const last = seen[seen.length - 1].running;
      assert.ok(last >= 15, `scaled out to ${last} after 3 s`);
    }));
});
