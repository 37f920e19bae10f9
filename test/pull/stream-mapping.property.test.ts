import { strict as assert } from 'node:assert';
import { sourceInvocationOfType } from '../../src/classify/origin';
import type { KinesisStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import sinon from 'sinon';
import { KinesisService } from '../../src/aws/kinesis/kinesis-service';
import { systemClock } from '../../src/clock';
import { throttled } from '../../src/lambda/errors';
import type { InvokeOutcome, Invoker } from '../../src/lambda/types';
import { Checkpoints, type Checkpoint } from '../../src/pull/checkpoints';
import { kinesisSource } from '../../src/pull/shard-sources';
import type { KinesisSourceApi } from '../../src/pull/source-apis';
import { StreamMapping } from '../../src/pull/stream-mapping';
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
 * The Kinesis event source mapping as a property: the real StreamMapping reading the real
 * KinesisService (1-2 shards), a scripted handler whose behaviour is what is random (each record fails
 * the first n invocations that contain it; throttles; durations; how a partial failure is reported),
 * random retry policies, all on fake time. The emulator is killed at random points (at a time, or as
 * an invocation starts or returns) and restarted over the same SQLite file, as `sls emulate` after a
 * SIGKILL: the dead service and mapping just stop (their invocations never return, their calls and
 * timers come to nothing) and a new service and mapping resume from the checkpoints in the database.
 * Every record is processed or given up in an onFailure batch at least once, none skipped; within a
 * generation once, in shard order, and a batch is given up after maximumRetryAttempts + 1
 * invocations; a restart replays nothing up to the checkpoint it resumes from (only what a killed
 * generation settled after its last checkpoint comes again: at least once).
 */

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const STREAM = 'events';
const STREAM_ARN = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${STREAM}`;
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:svc-dev-worker`;

interface RecordSpec {
  partitionKey: string;
  /** The handler fails the first `failFirst` invocations that contain the record. */
  failFirst: number;
  /** When it is put, after the mapping starts. */
  putAt: number;
}

/** How the handler answers when a record of its batch fails (with ReportBatchItemFailures). */
type Reporting = 'first' | 'failing' | 'rest' | 'throw';

interface Scenario {
  shardCount: number;
  maximumRetryAttempts: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  reporting: Reporting;
  batchSize: number;
  retryDelayMs: number;
  pollIntervalMs: number;
  records: RecordSpec[];
  /** The invoker's n-th call; calls past the list run at once and are not throttled. */
  calls: CallSpec[];
  kills: KillSpec[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  shardCount: fc.integer({ min: 1, max: 2 }),
  maximumRetryAttempts: fc.integer({ min: 0, max: 3 }),
  bisectBatchOnFunctionError: fc.boolean(),
  reportBatchItemFailures: fc.boolean(),
  reporting: fc.constantFrom<Reporting>('first', 'failing', 'rest', 'throw'),
  batchSize: fc.integer({ min: 1, max: 10 }),
  // 120 s: a batch retried 3 times blocks its shard past the 5 minutes a shard iterator lives.
  retryDelayMs: fc.constantFrom(0, 1000, 10_000, 120_000),
  pollIntervalMs: fc.constantFrom(0, 1000),
  records: fc.array(
    fc.record({
      partitionKey: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
      failFirst: fc.oneof(
        { arbitrary: fc.constant(0), weight: 2 },
        { arbitrary: fc.integer({ min: 0, max: 5 }), weight: 3 },
      ),
      putAt: fc.oneof(
        { arbitrary: fc.constant(0), weight: 3 },
        { arbitrary: fc.integer({ min: 0, max: 30_000 }), weight: 1 },
      ),
    }),
    { minLength: 1, maxLength: 25, size: 'max' },
  ),
  calls: callSpecs,
  kills: killSpecs(30_000, 600_000),
});

interface Invocation {
  generation: number;
  records: number[];
  throttled: boolean;
}

interface BatchInfo {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  batchSize: number;
  streamArn: string;
}

interface FailureRecord {
  requestContext: { condition: string; approximateInvokeCount: number; functionArn: string };
  KinesisBatchInfo: BatchInfo;
}

/** A checkpoint a live generation wrote, with the records settled (in any generation) by then. */
interface CheckpointSet {
  generation: number;
  shardId: string;
  sequence: bigint;
  settled: Set<number>;
}

interface Trace {
  /** Per record: its shard and sequence number, from PutRecords. */
  shardOf: string[];
  sequenceOf: bigint[];
  invocations: Invocation[];
  /** Successful processings in the order the handler did them. */
  processed: Array<{ generation: number; index: number }>;
  failures: Array<{ generation: number; failure: FailureRecord }>;
  checkpoints: CheckpointSet[];
  /** Per generation after the first, per shard, the checkpoint it found in the database. */
  resumed: Array<{
    generation: number;
    shardId: string;
    found: bigint | undefined;
    expected: bigint | undefined;
  }>;
  generations: number;
  violations: string[];
}

const MAPPING_ID = `worker#0|${STREAM_ARN}`;

/** One run of the emulator, from a start to its kill (or to the end of the scenario). */
interface Generation {
  n: number;
  db: Db;
  kinesis: KinesisService;
  mapping?: StreamMapping;
  dead: boolean;
  /** Invocations in progress. */
  running: number;
  /** What it settled (processed, or given up to onFailure). */
  settled: Set<number>;
  killed: Promise<void>;
  onKilled: () => void;
}

function play(s: Scenario): Promise<Trace> {
  return onFakeTime('stream-mapping-kill-', (clock, dir) => playOn(s, clock, dir));
}

async function playOn(s: Scenario, clock: sinon.SinonFakeTimers, dir: string): Promise<Trace> {
  const trace: Trace = {
    shardOf: [],
    sequenceOf: [],
    invocations: [],
    processed: [],
    failures: [],
    checkpoints: [],
    resumed: [],
    generations: 0,
    violations: [],
  };
  const invokedWith = s.records.map(() => 0);
  /** Settled in any generation. */
  const settledEver = new Set<number>();
  /** The last checkpoint a live generation wrote, per shard. */
  const lastCheckpoint = new Map<string, bigint>();
  const callKills = killsByCall(s.kills);
  /** The generation running now, or the last one killed. */
  let current: Generation;
  let killing = true;
  let restartAt = 0;

  /** SIGKILL: nothing of the generation runs any more; what it committed stays in the file. */
  const kill = (downMs: number) => {
    const gen = current;
    if (!killing || gen.dead) return;
    gen.dead = true;
    gen.db.close();
    gen.onKilled();
    restartAt = Date.now() + downMs;
  };

  const settle = (gen: Generation, index: number) => {
    gen.settled.add(index);
    settledEver.add(index);
  };

  /** What the mapping of a generation reads the stream through: inert once the generation is dead. */
  const gate = (gen: Generation): KinesisSourceApi => {
    const alive = <T>(call: () => Promise<T>): Promise<T> => whileAlive(() => gen.dead, call);
    return {
      listShards: (input) => alive(() => gen.kinesis.listShards(input)),
      getShardIterator: (input) => alive(() => gen.kinesis.getShardIterator(input)),
      getRecords: (input) => alive(() => gen.kinesis.getRecords(input)),
    };
  };

  /** The generation's checkpoints: written while it lives, recorded with what was settled then. */
  class GenerationCheckpoints extends Checkpoints {
    constructor(private readonly gen: Generation) {
      super(gen.db);
    }

    override get(mapping: string, shard: string): Checkpoint | undefined {
      // Dead: what it reads next goes nowhere anyway.
      return this.gen.dead ? undefined : super.get(mapping, shard);
    }

    override set(mapping: string, shard: string, checkpoint: Checkpoint): void {
      if (this.gen.dead) return;
      super.set(mapping, shard, checkpoint);
      if (!('sequenceNumber' in checkpoint)) {
        trace.violations.push(`a checkpoint at a time on ${shard}`);
        return;
      }
      const sequence = BigInt(checkpoint.sequenceNumber);
      trace.checkpoints.push({
        generation: this.gen.n,
        shardId: shard,
        sequence,
        settled: new Set(settledEver),
      });
      lastCheckpoint.set(shard, sequence);
    }
  }

  const invokerOf = (gen: Generation): Invoker => ({
    async invoke(functionName, request): Promise<InvokeOutcome> {
      if (gen.dead) return never();
      const call = trace.invocations.length;
      const spec = s.calls[call] ?? { throttle: false, durationMs: 0 };
      const killHere = callKills.get(call);
      if (functionName !== 'worker') trace.violations.push(`invoked ${functionName}`);
      if (request.type !== 'RequestResponse') trace.violations.push(`invoked ${request.type}`);
      const event = JSON.parse(request.payload) as KinesisStreamEvent;
      const batch = event.Records.map((record) => {
        const index = Number(Buffer.from(record.kinesis.data, 'base64').toString('utf8').slice(1));
        if (record.eventSourceARN !== STREAM_ARN)
          trace.violations.push(`eventSourceARN ${record.eventSourceARN}`);
        if (record.kinesis.partitionKey !== s.records[index].partitionKey)
          trace.violations.push('partition key');
        if (gen.settled.has(index))
          trace.violations.push(`record ${index} invoked again in generation ${gen.n} after it settled it`);
        return { index, sequenceNumber: record.kinesis.sequenceNumber };
      });
      trace.invocations.push({
        generation: gen.n,
        records: batch.map((r) => r.index),
        throttled: spec.throttle,
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
      const fails = batch.map(({ index }) => ++invokedWith[index] <= s.records[index].failFirst);
      const ok = (payload: unknown): InvokeOutcome => ({
        requestId: `req-${call}`,
        statusCode: 200,
        payload: JSON.stringify(payload),
        durationMs: spec.durationMs,
      });
      const done = (upTo: number) => {
        for (const { index } of batch.slice(0, upTo)) {
          trace.processed.push({ generation: gen.n, index });
          settle(gen, index);
        }
      };
      const outcome = (): InvokeOutcome => {
        const failed = fails.indexOf(true);
        if (failed === -1) {
          done(batch.length);
          return ok([null, {}, { batchItemFailures: [] }][call % 3]);
        }
        if (!s.reportBatchItemFailures || s.reporting === 'throw') {
          return {
            ...ok({ errorType: 'Error', errorMessage: `record ${batch[failed].index} failed` }),
            functionError: 'Unhandled',
          };
        }
        // Lambda retries from the lowest failed sequence number: what comes before it is processed.
        done(failed);
        const reported =
          s.reporting === 'first'
            ? [batch[failed]]
            : s.reporting === 'rest'
              ? batch.slice(failed)
              : batch.filter((_, n) => fails[n]).reverse();
        return ok({ batchItemFailures: reported.map((r) => ({ itemIdentifier: r.sequenceNumber })) });
      };
      const result = outcome();
      // Killed as the handler returned: it did its work, the mapping never heard of it.
      if (killHere) kill(killHere.downMs);
      if (gen.dead) return never();
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
      kinesis: new KinesisService({
        db,
        region: REGION,
        accountId: ACCOUNT,
        streams: [{ name: STREAM, arn: STREAM_ARN, shardCount: s.shardCount, mode: 'PROVISIONED' }],
      }),
      dead: false,
      running: 0,
      settled: new Set(),
      killed,
      onKilled,
    };
    current = gen;
    const checkpoints = new GenerationCheckpoints(gen);
    if (gen.n > 0) {
      const { Shards = [] } = await gen.kinesis.listShards({ StreamName: STREAM });
      for (const { ShardId = '' } of Shards) {
        const found = checkpoints.get(MAPPING_ID, ShardId);
        trace.resumed.push({
          generation: gen.n,
          shardId: ShardId,
          found: found && 'sequenceNumber' in found ? BigInt(found.sequenceNumber) : undefined,
          expected: lastCheckpoint.get(ShardId),
        });
      }
    }
    gen.mapping = new StreamMapping(
      kinesisSource(
        gate(gen),
        STREAM_ARN,
        { region: REGION, roleArn: `arn:aws:iam::${ACCOUNT}:role/r` },
        gen.kinesis,
      ),
      {
        id: MAPPING_ID,
        functionKey: 'worker',
        invocation: sourceInvocationOfType('stream'),
        functionArn: FUNCTION_ARN,
        batchSize: s.batchSize,
        batchWindow: 0,
        startingPosition: { type: 'TRIM_HORIZON' },
        retry: {
          maximumRetryAttempts: s.maximumRetryAttempts,
          maximumRecordAgeInSeconds: -1,
          bisectBatchOnFunctionError: s.bisectBatchOnFunctionError,
          reportBatchItemFailures: s.reportBatchItemFailures,
          retryDelayMs: s.retryDelayMs,
        },
        parallelizationFactor: 1,
        tumblingWindowInSeconds: 0,
        pollIntervalMs: s.pollIntervalMs,
        onFailure: async (record) => {
          // Sent by a dead generation: never sent.
          if (gen.dead) return never();
          const failure = record as FailureRecord;
          trace.failures.push({ generation: gen.n, failure });
          // What the batch covers is settled: none of it may be invoked again in this generation.
          const { shardId, startSequenceNumber, endSequenceNumber } = failure.KinesisBatchInfo;
          trace.sequenceOf.forEach((seq, i) => {
            if (
              trace.shardOf[i] === shardId &&
              seq >= BigInt(startSequenceNumber) &&
              seq <= BigInt(endSequenceNumber)
            )
              settle(gen, i);
          });
        },
      },
      { invoker: invokerOf(gen), clock: systemClock, log: () => undefined, outcome: () => undefined },
      checkpoints,
    );
    // A kill can come while it starts (a first batch at once): a dead start never finishes.
    await Promise.race([gen.mapping.start(), gen.killed]);
    return gen;
  };

  current = await begin(true);
  for (const spec of s.kills) if ('at' in spec) setTimeout(() => kill(spec.downMs), spec.at);

  // Put in order of putAt (then index), those due at one time in one PutRecords, while the emulator
  // is up (a producer retries while it is down).
  const order = s.records.map((_, i) => i).sort((a, b) => s.records[a].putAt - s.records[b].putAt || a - b);
  /** Caught up: every record put, and each shard's checkpoint at its last record. */
  const caughtUp = () =>
    order.length === 0 &&
    trace.shardOf.every((shardId, i) => trace.sequenceOf[i] <= (lastCheckpoint.get(shardId) ?? -1n));
  const limit = Date.now() + 6 * 3_600_000;
  for (;;) {
    if (current.dead && Date.now() >= restartAt) await begin(false);
    const elapsed = Date.now() - START;
    if (!current.dead && order.length && s.records[order[0]].putAt <= elapsed) {
      const at = s.records[order[0]].putAt;
      const due = order.splice(0, order.findIndex((i) => s.records[i].putAt !== at) + 1 || order.length);
      const { Records = [] } = await current.kinesis.putRecords({
        StreamName: STREAM,
        Records: due.map((i) => ({ PartitionKey: s.records[i].partitionKey, Data: Buffer.from(`r${i}`) })),
      });
      due.forEach((i, n) => {
        trace.shardOf[i] = Records[n].ShardId ?? '';
        trace.sequenceOf[i] = BigInt(Records[n].SequenceNumber ?? '-1');
      });
      continue;
    }
    if (current.dead) {
      if (Date.now() < restartAt) await clock.tickAsync(restartAt - Date.now());
      continue;
    }
    if ((caughtUp() && current.running === 0) || Date.now() >= limit) break;
    const nextPut = order.length ? s.records[order[0]].putAt - elapsed : Infinity;
    await clock.tickAsync(Math.min(10_000, nextPut));
  }
  killing = false;
  if (current.dead) await begin(false);
  const stopped = current.mapping?.stop();
  await clock.tickAsync(60_000);
  await stopped;
  current.db.close();
  return trace;
}

function check(s: Scenario, trace: Trace): void {
  assert.deepEqual(trace.violations, []);
  const where = (i: number) => `record ${i} (${trace.shardOf[i]} ${trace.sequenceOf[i]})`;
  const shardRecords = (shardId: string) =>
    s.records
      .map((_, i) => i)
      .filter((i) => trace.shardOf[i] === shardId)
      .sort((a, b) => (trace.sequenceOf[a] < trace.sequenceOf[b] ? -1 : 1));
  const covers = (info: BatchInfo, i: number) =>
    info.shardId === trace.shardOf[i] &&
    trace.sequenceOf[i] >= BigInt(info.startSequenceNumber) &&
    trace.sequenceOf[i] <= BigInt(info.endSequenceNumber);
  const generations = Array.from({ length: trace.generations }, (_, g) => g);

  // Every record ends at least once (none lost or skipped), and once within a generation.
  s.records.forEach((_, i) => {
    const ends = generations.map(
      (g) =>
        trace.processed.filter((p) => p.generation === g && p.index === i).length +
        trace.failures.filter((f) => f.generation === g && covers(f.failure.KinesisBatchInfo, i)).length,
    );
    assert.ok(
      ends.some((n) => n > 0),
      `${where(i)}: neither processed nor given up`,
    );
    ends.forEach((n, g) => assert.ok(n <= 1, `${where(i)}: settled ${n}× in generation ${g}`));
  });

  for (const shardId of new Set(trace.shardOf)) {
    const records = shardRecords(shardId);
    const rank = new Map(records.map((i, n) => [i, n]));
    // Within a generation, processed in sequence order.
    for (const g of generations) {
      const processed = trace.processed
        .filter((p) => p.generation === g && trace.shardOf[p.index] === shardId)
        .map((p) => rank.get(p.index) ?? -1);
      assert.deepEqual(
        processed,
        [...processed].sort((a, b) => a - b),
        `${shardId}: processed in sequence order in generation ${g}`,
      );
    }
    // Every invoked batch a run of consecutive records.
    for (const { records: batch } of trace.invocations) {
      if (trace.shardOf[batch[0]] !== shardId) continue;
      assert.ok(batch.length <= s.batchSize, `a batch of ${batch.length}`);
      batch.forEach((i, n) => {
        assert.equal(trace.shardOf[i], shardId, 'a batch from one shard');
        assert.equal(
          rank.get(i),
          (rank.get(batch[0]) ?? 0) + n,
          `${shardId}: a batch of consecutive records`,
        );
      });
    }
    // A checkpoint moves forward only, past records all settled.
    const sets = trace.checkpoints.filter((c) => c.shardId === shardId);
    sets.forEach((c, n) => {
      const text = `${shardId}: checkpoint ${c.sequence} (generation ${c.generation})`;
      if (n > 0) assert.ok(c.sequence >= sets[n - 1].sequence, `${text}: goes back`);
      for (const i of records) {
        if (trace.sequenceOf[i] <= c.sequence) assert.ok(c.settled.has(i), `${text}: skips ${where(i)}`);
      }
    });
    // The mapping caught up.
    assert.ok(
      (sets.at(-1)?.sequence ?? -1n) >= (trace.sequenceOf[records.at(-1) ?? -1] ?? -1n),
      `${shardId}: ends checkpointed at its last record`,
    );
  }

  // A restart resumes at the last checkpoint written, and replays nothing up to it.
  for (const { generation, shardId, found, expected } of trace.resumed) {
    const text = `generation ${generation} on ${shardId}`;
    assert.equal(found, expected, `${text}: resumes at the last checkpoint written`);
    if (found === undefined) continue;
    for (const { records: batch } of trace.invocations.filter((x) => x.generation === generation)) {
      for (const i of batch) {
        if (trace.shardOf[i] === shardId) {
          assert.ok(
            trace.sequenceOf[i] > found,
            `${text}: replays ${where(i)}, before its checkpoint ${found}`,
          );
        }
      }
    }
  }

  // A given-up batch: consecutive records, after maximumRetryAttempts + 1 invocations of its
  // generation with all of it.
  for (const { generation, failure } of trace.failures) {
    const info = failure.KinesisBatchInfo;
    const text = `onFailure ${info.shardId} ${info.startSequenceNumber}-${info.endSequenceNumber} (generation ${generation})`;
    assert.equal(info.streamArn, STREAM_ARN);
    assert.equal(failure.requestContext.functionArn, FUNCTION_ARN);
    assert.equal(failure.requestContext.condition, 'RetryAttemptsExhausted', text);
    assert.equal(failure.requestContext.approximateInvokeCount, s.maximumRetryAttempts + 1, text);
    const covered = shardRecords(info.shardId).filter((i) => covers(info, i));
    assert.ok(covered.length > 0 && covered.length <= s.batchSize, `${text}: ${covered.length} records`);
    assert.equal(info.batchSize, covered.length, `${text}: batchSize`);
    assert.equal(
      trace.sequenceOf[covered[0]],
      BigInt(info.startSequenceNumber),
      `${text}: starts at a record`,
    );
    assert.equal(
      trace.sequenceOf[covered.at(-1) ?? -1],
      BigInt(info.endSequenceNumber),
      `${text}: ends at one`,
    );
    const withFirst = trace.invocations.filter(
      (x) => x.generation === generation && !x.throttled && x.records.includes(covered[0]),
    );
    const last = withFirst.slice(-(s.maximumRetryAttempts + 1));
    assert.equal(last.length, s.maximumRetryAttempts + 1, `${text}: invoked ${withFirst.length}×`);
    for (const x of last) {
      assert.ok(
        covered.every((i) => x.records.includes(i)),
        `${text}: its last invocations held all of it`,
      );
    }
  }
}

describe('the Kinesis event source mapping, over random handlers, retry policies and kills (property)', () => {
  it('processes every record at least once in shard order or gives it up after its retries, resuming after SIGKILLs at the last checkpoint', async function () {
    this.timeout(120_000);
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => check(s, await play(s))),
      { numRuns: 300 },
    );
  });
});
