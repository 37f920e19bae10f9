/**
 * The sync HTTP path: hello-world httpApi under sls emulate, serverless-offline 13 (worker threads and
 * --useInProcess), a raw node:http server, and the same server running the handler in worker threads
 * (the isolation floor: the least any design with Lambda's isolation can do). Each server is started
 * (sls emulate and serverless-offline three times: the median time to the first 200 is compared), then
 * all stay up and take the same autocannon load in turn: at each connection count, a warm-up, then
 * three measured rounds, interleaved so that a change in the machine's load falls on every server; the
 * median of the rounds is compared.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SLS, SLS_ENV as ENV } from './emulator';

const HELLO = path.join(__dirname, 'hello');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** `BENCH_CONNECTIONS=10,50`: the connection counts the rounds run at. */
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10,50').split(',').map(Number);
const ROUNDS = 3;
const STARTS = 3;

export const HTTP_FLOORS = {
  ofIsolationFloor: 0.8,
  vsOfflineWorkers: 10,
  p99VsOfflineWorkers: 5,
  vsOfflineInProcess: 5,
  startupVsOffline: 1,
};

interface Target {
  name: string;
  command: readonly string[];
  starts: number;
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** The server's CPU time (every thread, user and system) per request: steadier than req/s. */
  cpuUsPerRequest: number;
}

const node = process.execPath;
const raw = (name: string, script: string): Target => ({
  name,
  command: [node, path.join(HELLO, script), '{port}'],
  starts: 1,
});
const offline = (name: string, ...options: string[]): Target => ({
  name,
  command: [
    node,
    SLS,
    'offline',
    '--config',
    'serverless.offline.yml',
    '--httpPort',
    '{port}',
    '--lambdaPort',
    '0',
    ...options,
  ],
  starts: STARTS,
});
const TARGETS = {
  raw: raw('raw node:http', 'raw-server.js'),
  isolation: raw('raw node:http, handler in worker threads', 'raw-worker-server.js'),
  emulate: {
    name: 'sls emulate',
    command: [
      node,
      SLS,
      'emulate',
      '--config',
      'serverless.emulate.yml',
      '--port',
      '{port}',
      '--aws-port',
      '0',
      '--no-reload',
    ],
    starts: STARTS,
  },
  offline: offline('serverless-offline (worker threads)'),
  inProcess: { ...offline('serverless-offline --useInProcess', '--useInProcess'), starts: 1 },
} satisfies Record<string, Target>;
type Name = keyof typeof TARGETS;

function start(target: Target, port: number): ChildProcess {
  const [command, ...args] = target.command.map((a) => a.replace('{port}', String(port)));
  return spawn(command, args, {
    cwd: HELLO,
    env: ENV,
    stdio: ['ignore', 'ignore', 'ignore'],
    detached: true,
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-(child.pid as number), 'SIGINT');
  const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Polls until the URL answers 200; returns the milliseconds since `since`. */
async function firstOk(url: string, since: number, child: ChildProcess): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Starts the target `starts` times; the last start stays up. */
async function startUp(target: Target, nextPort: () => number) {
  const startups: number[] = [];
  for (;;) {
    const port = nextPort();
    const url = `http://127.0.0.1:${port}/hello`;
    const started = performance.now();
    const child = start(target, port);
    startups.push(
      await firstOk(url, started, child).catch(async (error) => {
        await stop(child);
        throw error;
      }),
    );
    if (startups.length === target.starts) return { child, url, startupMs: median(startups) };
    await stop(child);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A process's CPU time in microseconds (utime + stime of every thread, in clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function load(url: string, connections: number, seconds: number, pid: number): Promise<Figures> {
  const before = cpuMicros(pid);
  const result = await autocannon({ url, connections, duration: seconds });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuUsPerRequest: (cpuMicros(pid) - before) / Math.max(result.requests.total, 1),
  };
}

export interface HttpFigures {
  startupMs: Record<Name, number>;
  /** Per connection count, each server's medians over the rounds. */
  byConnections: Array<{ connections: number; figures: Record<Name, Figures> }>;
}

export async function measureHttp(nextPort: () => number): Promise<HttpFigures> {
  const names = Object.keys(TARGETS) as Name[];
  const up: Partial<Record<Name, Awaited<ReturnType<typeof startUp>>>> = {};
  try {
    for (const name of names) up[name] = await startUp(TARGETS[name], nextPort);
    const running = up as Record<Name, Awaited<ReturnType<typeof startUp>>>;
    const byConnections = [];
    for (const connections of CONNECTIONS) {
      const loadOn = (name: Name, seconds: number) =>
        load(running[name].url, connections, seconds, running[name].child.pid as number);
      for (const name of names) await loadOn(name, 2);
      const rounds: Array<Record<Name, Figures>> = [];
      for (let round = 0; round < ROUNDS; round++) {
        const figures: Partial<Record<Name, Figures>> = {};
        for (const name of names) figures[name] = await loadOn(name, SECONDS);
        rounds.push(figures as Record<Name, Figures>);
      }
      const figures = Object.fromEntries(
        names.map((name) => {
          const of = (key: keyof Figures) => median(rounds.map((r) => r[name][key]));
          const figures: Figures = {
            rps: of('rps'),
            p50: of('p50'),
            p99: of('p99'),
            errors: of('errors'),
            cpuUsPerRequest: of('cpuUsPerRequest'),
          };
          return [name, figures];
        }),
      ) as Record<Name, Figures>;
      byConnections.push({ connections, figures });
    }
    return {
      startupMs: Object.fromEntries(names.map((name) => [name, running[name].startupMs])) as Record<
        Name,
        number
      >,
      byConnections,
    };
  } finally {
    await Promise.all(Object.values(up).map((server) => stop(server.child)));
  }
}

const ratioLine = (what: string, ratio: number, floor: number) =>
  console.log(
    `${what.padEnd(46)} ${ratio.toFixed(2).padStart(7)}x  (floor ${floor}x)  ${ratio >= floor ? 'ok' : 'BELOW FLOOR'}`,
  );

export function printHttp({ startupMs, byConnections }: HttpFigures): void {
  for (const { connections, figures } of byConnections) {
    console.log(`${connections} connections, median of ${ROUNDS} rounds of ${SECONDS} s:`);
    for (const name of Object.keys(TARGETS) as Name[]) {
      const f = figures[name];
      console.log(
        `  ${TARGETS[name].name.padEnd(42)} ${f.rps.toFixed(0).padStart(7)} req/s  p50 ${f.p50} ms  p99 ${f.p99} ms  errors ${f.errors}  CPU ${f.cpuUsPerRequest.toFixed(0)} µs/request`,
      );
    }
    const { emulate, isolation, offline, inProcess } = figures;
    ratioLine('req/s vs the isolation floor', emulate.rps / isolation.rps, HTTP_FLOORS.ofIsolationFloor);
    ratioLine(
      'req/s vs serverless-offline (worker threads)',
      emulate.rps / offline.rps,
      HTTP_FLOORS.vsOfflineWorkers,
    );
    ratioLine(
      'p99 of serverless-offline / p99 of emulate',
      offline.p99 / Math.max(emulate.p99, 1),
      HTTP_FLOORS.p99VsOfflineWorkers,
    );
    ratioLine(
      'req/s vs serverless-offline --useInProcess',
      emulate.rps / inProcess.rps,
      HTTP_FLOORS.vsOfflineInProcess,
    );
    console.log(
      `  (the isolation floor itself: ${(isolation.rps / offline.rps).toFixed(2)}x serverless-offline (worker threads), ${(isolation.rps / figures.raw.rps).toFixed(2)}x raw node:http)`,
    );
  }
  const starts = Object.entries(startupMs)
    .map(([name, ms]) => `${TARGETS[name as Name].name} ${ms.toFixed(0)} ms`)
    .join(', ');
  console.log(
    `first 200 after: ${starts} (median of ${STARTS} starts for sls emulate and serverless-offline)`,
  );
  ratioLine(
    'first 200: serverless-offline / emulate',
    startupMs.offline / startupMs.emulate,
    HTTP_FLOORS.startupVsOffline,
  );
}
