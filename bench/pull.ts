/**
 * Event source mappings end to end under the real `sls emulate`: messages sent to the embedded SQS with
 * SendMessageBatch (10 a call, several senders at once) and records put to a 4-shard embedded Kinesis
 * stream with PutRecords (100 a call by default), both through the AWS SDK v3 clients on the AWS endpoint, and
 * delivered by the mappings to a no-op handler that records when each record's invocation started.
 * Measures records/s from the first send to the last invocation start, and p50/p99 send-to-invoke
 * latency (from the sender's clock just before its call). One round warms the instances up, the next
 * one is measured. The Kinesis mapping runs with `custom.emulate.pull.pollInterval.kinesis: 0` (a shard
 * is read as soon as records arrive; AWS polls each shard once per second).
 *
 * A record's send-to-invoke latency includes its whole PutRecords call: with 500 records a call
 * (BENCH_PUT_RECORDS=500) the p50 is mostly the call's own round trip, not the mapping's delay.
 *
 * Run alone: `npm run build && npx tsx bench/pull.ts` (BENCH_PULL_RECORDS, BENCH_PUT_RECORDS,
 * BENCH_CPU_PROF=<dir> to write a CPU profile of the emulator).
 */
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startEmulator, stopProcess } from './emulator';
import { liveViewNote, openLiveView } from './live-page';
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SQS_SENDERS = 10;
const KINESIS_SENDERS = 4;
const SQS_BATCH = 10;
const PUT_RECORDS = Number(process.env.BENCH_PUT_RECORDS ?? 100);
/** Gives up when nothing more has been delivered for this long. */
const STALL_MS = 15_000;

export const PULL_FLOORS = { recordsPerSecond: 5000, p50: 50 };

export interface PullFigures {
  via: string;
  records: number;
  recordsPerSecond: number;
  /** Send (sender's clock before its call) to invocation start. */
  p50: number;
  p99: number;
  /** Service acceptance (SentTimestamp / approximateArrivalTimestamp) to invocation start. */
  acceptedP50: number;
  acceptedP99: number;
  /** records/s of the sending alone (last call answered). */
  sendPerSecond: number;
  duplicates: number;
  /** Whether the live view watched the round. */
  liveView: boolean;
}

/** One delivered record: [sent at, accepted at, started at]. */
type Start = [number, number, number];

/** Reads the handler's lines as they are appended, grouped by the round prefix of their id. */
class Starts {
  private offset = 0;
  private rest = '';
  private readonly seen = new Set<string>();
  readonly rounds = new Map<string, Start[]>();
  duplicates = 0;

  constructor(private readonly file: string) {}

  poll(): void {
    if (!existsSync(this.file)) return;
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      const lines = (this.rest + buffer.toString('utf8', 0, read)).split('\n');
      this.rest = lines.pop() ?? '';
      for (const line of lines) this.add(line);
    } finally {
      closeSync(fd);
    }
  }

  private add(line: string): void {
    const [id, sent, accepted, started] = line.split(' ');
    if (this.seen.has(id)) {
      this.duplicates++;
      return;
    }
    this.seen.add(id);
    const round = id.slice(0, id.indexOf('-'));
    let starts = this.rounds.get(round);
    if (!starts) this.rounds.set(round, (starts = []));
    starts.push([Number(sent), Number(accepted), Number(started)]);
  }

  count(round: string): number {
    return this.rounds.get(round)?.length ?? 0;
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function round(
  via: string,
  prefix: string,
  records: number,
  starts: Starts,
  sendAll: (prefix: string, records: number) => Promise<void>,
): Promise<Omit<PullFigures, 'liveView'>> {
  const duplicatesBefore = starts.duplicates;
  const started = Date.now();
  await sendAll(prefix, records);
  const sent = Date.now();
  let last = { count: 0, at: Date.now() };
  for (;;) {
    starts.poll();
    const count = starts.count(prefix);
    if (count >= records) break;
    if (count > last.count) last = { count, at: Date.now() };
    else if (Date.now() - last.at > STALL_MS) {
      throw new Error(
        `${via}: ${count} of ${records} delivered, none for ${STALL_MS / 1000} s` +
          (count === 0 ? ' (is the event source mapping wired into sls emulate?)' : ''),
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const mine = starts.rounds.get(prefix) ?? [];
  const latencies = mine.map(([s, , t]) => t - s).sort((a, b) => a - b);
  const fromAccepted = mine.map(([, a, t]) => t - a).sort((a, b) => a - b);
  const lastStart = Math.max(...mine.map(([, , t]) => t));
  return {
    via,
    records,
    recordsPerSecond: Math.round(records / ((lastStart - started) / 1000)),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    acceptedP50: percentile(fromAccepted, 0.5),
    acceptedP99: percentile(fromAccepted, 0.99),
    sendPerSecond: Math.round(records / ((sent - started) / 1000)),
    duplicates: starts.duplicates - duplicatesBefore,
  };
}

/** Runs `senders` loops taking call numbers 0..calls-1 in turn. */
async function concurrently(senders: number, calls: number, call: (n: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < calls) await call(next++);
    }),
  );
}

/** The SDK clients as they come (SQS over HTTP/1.1 with keep-alive, Kinesis over HTTP/2). */
function clients(port: number) {
  const options = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  };
  return { sqs: new SQSClient(options), kinesis: new KinesisClient(options) };
}

export async function measurePull(
  port: number,
  records = Number(process.env.BENCH_PULL_RECORDS ?? 50_000),
): Promise<PullFigures[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-pull-'));
  const startsFile = path.join(dir, 'starts.txt');
  const starts = new Starts(startsFile);
  const child = await startEmulator(path.join(__dirname, 'pull'), port, dir, startsFile).catch((error) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const { sqs, kinesis } = clients(port);
  const live = await openLiveView(port);
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'bench-queue' }));
    const sendMessages = (prefix: string, count: number) =>
      concurrently(SQS_SENDERS, Math.ceil(count / SQS_BATCH), async (n) => {
        const sentAt = Date.now();
        const first = n * SQS_BATCH;
        const { Failed } = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl,
            Entries: Array.from({ length: Math.min(SQS_BATCH, count - first) }, (_, i) => ({
              Id: String(i),
              MessageBody: `${prefix}-${first + i} ${sentAt}`,
            })),
          }),
        );
        if (Failed?.length) throw new Error(`SendMessageBatch: ${Failed[0].Code} ${Failed[0].Message}`);
      });
    const putRecords = (prefix: string, count: number) =>
      concurrently(KINESIS_SENDERS, Math.ceil(count / PUT_RECORDS), async (n) => {
        const sentAt = Date.now();
        const first = n * PUT_RECORDS;
        const { FailedRecordCount, Records } = await kinesis.send(
          new PutRecordsCommand({
            StreamName: 'bench-stream',
            Records: Array.from({ length: Math.min(PUT_RECORDS, count - first) }, (_, i) => ({
              PartitionKey: String(first + i),
              Data: Buffer.from(`${prefix}-${first + i} ${sentAt}`),
            })),
          }),
        );
        if (FailedRecordCount) {
          const failed = Records?.find((r) => r.ErrorCode);
          throw new Error(
            `PutRecords: ${FailedRecordCount} failed (${failed?.ErrorCode} ${failed?.ErrorMessage})`,
          );
        }
      });
    const warm = Math.min(records, 5000);
    const sqsVia = `SQS (batch ${SQS_BATCH}, ${SQS_SENDERS} senders)`;
    const kinesisVia = `Kinesis (4 shards, batch 100, poll 0)`;
    await round(sqsVia, 'sqswarm', warm, starts, sendMessages);
    const figures = [await round(sqsVia, 'sqs', records, starts, sendMessages)];
    await round(kinesisVia, 'kinwarm', warm, starts, putRecords);
    figures.push(await round(kinesisVia, 'kin', records, starts, putRecords));
    return figures.map((f) => ({ ...f, liveView: live.open }));
  } finally {
    await live.close();
    sqs.destroy();
    kinesis.destroy();
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bench's lines for the pull figures, in run.ts's style. */
export function printPull(all: PullFigures[]): void {
  for (const f of all) {
    const ok = f.recordsPerSecond >= PULL_FLOORS.recordsPerSecond && f.p50 < PULL_FLOORS.p50;
    console.log(
      `pull via ${f.via.padEnd(38)} ${String(f.recordsPerSecond).padStart(6)} records/s  p50 ${f.p50} ms  p99 ${f.p99} ms  ` +
        `(floors ${PULL_FLOORS.recordsPerSecond}/s, p50 < ${PULL_FLOORS.p50} ms)  ${ok ? 'ok' : 'BELOW FLOOR'}`,
    );
    console.log(
      `${''.padEnd(47)} ${f.records} records; sent at ${f.sendPerSecond}/s; accepted-to-invoke p50 ${f.acceptedP50} ms  p99 ${f.acceptedP99} ms` +
        (f.duplicates ? `; ${f.duplicates} delivered twice` : ''),
    );
  }
  console.log(
    `${''.padEnd(47)} (Kinesis with custom.emulate.pull.pollInterval.kinesis: 0: a shard is read as soon as records arrive; AWS polls once per second)`,
  );
  console.log(liveViewNote(all.every((f) => f.liveView)));
}

if (require.main === module) {
  measurePull(Number(process.env.BENCH_PULL_PORT ?? 4790))
    .then(printPull)
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
