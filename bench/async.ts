/**
 * Async events accepted through the Invoke API and through S3 PutObject, delivered to a no-op handler
 * with the durable store on: events/s accepted-and-delivered and p50/p99 accept-to-start latency.
 * Two rounds warm the instances up (a burst's cold starts are Lambda's too; one round sometimes leaves
 * the next to start a few more), the next one is measured.
 */
import autocannon from 'autocannon';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from './emulator';
import { openLiveView } from './live-page';

const SENDERS = 50;

export interface AsyncFigures {
  via: string;
  events: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  /** Whether the live view watched the round. */
  liveView: boolean;
}

/**
 * Each round sends through autocannon, the lightest load generator at hand: on a machine with few cores
 * the sender's own work would otherwise be measured too. Every request is built as it is sent, carrying
 * its id and send time.
 */
const requestVia = {
  'Invoke API (Event)': (id: string) => {
    const body = JSON.stringify({ id, sentAt: Date.now() });
    return {
      method: 'POST' as const,
      path: '/2015-03-31/functions/noop/invocations',
      headers: { 'x-amz-invocation-type': 'Event', 'content-type': 'application/json' },
      body,
    };
  },
  'S3 PutObject -> notification': (id: string) => ({
    method: 'PUT' as const,
    path: `/bench-uploads/${id}-${Date.now()}`,
    headers: {},
    body: 'hi',
  }),
};

async function round(
  port: number,
  via: keyof typeof requestVia,
  events: number,
  startsFile: string,
  prefix: string,
  liveView: boolean,
) {
  const started = Date.now();
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: SENDERS,
    amount: events,
    requests: [{ setupRequest: (request) => ({ ...request, ...requestVia[via](`${prefix}${next++}`) }) }],
  });
  if (result.non2xx + result.errors > 0)
    throw new Error(`${via}: ${result.non2xx} answers not 2xx, ${result.errors} errors`);
  const lines = () => (existsSync(startsFile) ? readFileSync(startsFile, 'utf8').trim().split('\n') : []);
  const mine = () => lines().filter((l) => l.startsWith(prefix));
  while (mine().length < events) {
    if (Date.now() - started > 120_000)
      throw new Error(`${via}: only ${mine().length} of ${events} delivered`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const latencies = mine()
    .map((line) => {
      const [, sentAt, startedAt] = line.split(' ').map(Number);
      return startedAt - sentAt;
    })
    .sort((a, b) => a - b);
  const lastStart = Math.max(...mine().map((l) => Number(l.split(' ')[2])));
  return {
    via,
    events,
    liveView,
    eventsPerSecond: Math.round(events / ((lastStart - started) / 1000)),
    p50: latencies[Math.floor(latencies.length / 2)],
    p99: latencies[Math.floor(latencies.length * 0.99)],
  };
}

export async function measureAsync(port: number, events = 5000): Promise<AsyncFigures[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-async-'));
  const startsFile = path.join(dir, 'starts.txt');
  const child = await startEmulator(path.join(__dirname, 'async'), port, dir, startsFile);
  const live = await openLiveView(port);
  try {
    const figures = [];
    for (const via of Object.keys(requestVia) as Array<keyof typeof requestVia>) {
      for (const warm of ['warm', 'warmer'])
        await round(port, via, events, startsFile, `${warm}${via.length}-`, live.open);
      figures.push(await round(port, via, events, startsFile, `e${via.length}-`, live.open));
    }
    return figures;
  } finally {
    await live.close();
    child.removeAllListeners('exit');
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
