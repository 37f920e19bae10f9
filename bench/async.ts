/**
 * Async events accepted through the Invoke API and through S3 PutObject, delivered to a no-op handler
 * with the durable store on: events/s accepted-and-delivered and p50/p99 accept-to-start latency.
 * One round warms the instances up (a burst's cold starts are Lambda's too), the next one is measured.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from './emulator';

const SENDERS = 50;

export interface AsyncFigures {
  via: string;
  events: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
}

function request(
  port: number,
  agent: http.Agent,
  options: http.RequestOptions,
  body: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, agent, ...options }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const sendVia = {
  'Invoke API (Event)': (port: number, agent: http.Agent, id: string) => {
    const body = JSON.stringify({ id, sentAt: Date.now() });
    return request(
      port,
      agent,
      {
        method: 'POST',
        path: '/2015-03-31/functions/noop/invocations',
        headers: { 'x-amz-invocation-type': 'Event', 'content-length': Buffer.byteLength(body) },
      },
      body,
    );
  },
  'S3 PutObject -> notification': (port: number, agent: http.Agent, id: string) =>
    request(
      port,
      agent,
      { method: 'PUT', path: `/bench-uploads/${id}-${Date.now()}`, headers: { 'content-length': 2 } },
      'hi',
    ),
};

async function round(
  port: number,
  via: keyof typeof sendVia,
  events: number,
  startsFile: string,
  prefix: string,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: SENDERS });
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < events) {
        const status = await sendVia[via](port, agent, `${prefix}${next++}`);
        if (status >= 300) throw new Error(`${via}: status ${status}`);
      }
    }),
  );
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
  agent.destroy();
  return {
    via,
    events,
    eventsPerSecond: Math.round(events / ((lastStart - started) / 1000)),
    p50: latencies[Math.floor(latencies.length / 2)],
    p99: latencies[Math.floor(latencies.length * 0.99)],
  };
}

export async function measureAsync(port: number, events = 5000): Promise<AsyncFigures[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-async-'));
  const startsFile = path.join(dir, 'starts.txt');
  const child = await startEmulator(path.join(__dirname, 'async'), port, dir, startsFile);
  try {
    const figures = [];
    for (const via of Object.keys(sendVia) as Array<keyof typeof sendVia>) {
      await round(port, via, events, startsFile, `warm${via.length}-`);
      figures.push(await round(port, via, events, startsFile, `e${via.length}-`));
    }
    return figures;
  } finally {
    child.removeAllListeners('exit');
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
