/**
 * `npm run bench`: hello-world httpApi under sls emulate, serverless-offline 13 (worker threads and
 * --useInProcess) and a raw node:http server, with the same autocannon load, in one run; then the time
 * to the first 200 and the RSS of an idle 50-function service; async events (async.ts); SQS and Kinesis
 * event source mappings (pull.ts); the testing API (testing.ts). Prints figures, ratios and the floors.
 */
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureAsync } from './async';
import { untilPrinted } from './emulator';
import { liveViewNote } from './live-page';
import { measurePull, printPull } from './pull';
import { measureTesting, printTesting } from './testing';

const ROOT = path.resolve(__dirname, '..');
const SLS = path.join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js');
const HELLO = path.join(__dirname, 'hello');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** `BENCH_ONLY=http,async,pull,testing` runs only those parts (all by default). */
const PARTS = new Set((process.env.BENCH_ONLY ?? 'http,async,pull,testing').split(','));
const ENV = { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', NO_COLOR: '1' };

interface Target {
  name: string;
  command: readonly string[];
  cwd: string;
  url: (port: number) => string;
}

let nextPort = 4700;

function start(target: Target, port: number): ChildProcess {
  const [command, ...args] = target.command.map((a) => a.replace('{port}', String(port)));
  return spawn(command, args, {
    cwd: target.cwd,
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
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

async function load(url: string) {
  await autocannon({ url, connections: CONNECTIONS, duration: 2 }); // warm up
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/** Runs the target once under load; its time to the first 200 is the median over `starts` starts. */
async function measure(target: Target, starts = 1) {
  const startups: number[] = [];
  for (;;) {
    const port = nextPort++;
    const started = performance.now();
    const child = start(target, port);
    try {
      startups.push(await firstOk(target.url(port), started, child));
      if (startups.length === starts) {
        const startupMs = startups.sort((x, y) => x - y)[Math.floor(starts / 2)];
        return { name: target.name, startupMs, ...(await load(target.url(port))) };
      }
    } finally {
      await stop(child);
    }
  }
}

/** A service of `functions` hello functions, each behind its own httpApi route, with the given plugin. */
function idleService(functions: number, plugin: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-50-'));
  cpSync(path.join(HELLO, 'handler.js'), path.join(dir, 'handler.js'));
  // Plugins named as packages resolve from the service's node_modules.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const fns = Array.from(
    { length: functions },
    (_, i) => `  fn${i}:\n    handler: handler.hello\n    events:\n      - httpApi: GET /fn${i}`,
  ).join('\n');
  writeFileSync(
    path.join(dir, 'serverless.yml'),
    `service: bench-idle\nframeworkVersion: '3'\nplugins:\n  - ${plugin}\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n${fns}\n`,
  );
  return dir;
}

/** RSS in MB of `sls <args>` on the service in `dir`, one second after it prints `readyText`. */
async function rssWhenIdle(dir: string, args: string[], readyText: string): Promise<number> {
  const child = spawn(process.execPath, [SLS, ...args], {
    cwd: dir,
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  await untilPrinted(child, readyText, `sls ${args[0]}`);
  await new Promise((r) => setTimeout(r, 1000));
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  await stop(child);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

/** The RSS of the framework itself on the service: `sls print`, read as it exits. */
function rssOfFrameworkAlone(dir: string): number {
  const printed = spawnSync(
    process.execPath,
    ['--require', path.join(__dirname, 'rss-at-exit.js'), SLS, 'print'],
    { cwd: dir, env: ENV, encoding: 'utf8' },
  );
  const rss = /rss-at-exit (\d+)/.exec(printed.stderr)?.[1];
  if (rss === undefined) throw new Error(`sls print: ${printed.stderr}`);
  return Number(rss) / 1048576;
}

/** Idle RSS with 50 functions: sls emulate, serverless-offline, and the framework alone. */
async function idleRss(functions: number) {
  const emulateDir = idleService(functions, ROOT);
  const offlineDir = idleService(functions, 'serverless-offline');
  try {
    const [emulatePort, awsPort, offlinePort] = [nextPort++, nextPort++, nextPort++];
    return {
      emulate: await rssWhenIdle(
        emulateDir,
        ['emulate', '--port', String(emulatePort), '--aws-port', String(awsPort)],
        'Ready.',
      ),
      offline: await rssWhenIdle(
        offlineDir,
        ['offline', '--httpPort', String(offlinePort), '--lambdaPort', '0'],
        'Server ready',
      ),
      framework: rssOfFrameworkAlone(emulateDir),
    };
  } finally {
    rmSync(emulateDir, { recursive: true, force: true });
    rmSync(offlineDir, { recursive: true, force: true });
  }
}

/** serverless-offline 13 on the hello service, with the given extra options. */
const offlineTarget = (name: string, ...options: string[]): Target => ({
  name,
  command: [
    process.execPath,
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
  cwd: HELLO,
  url: (p: number) => `http://127.0.0.1:${p}/hello`,
});

async function main() {
  if (PARTS.has('http')) await measureHttp();
  if (PARTS.has('async')) await printAsync();
  if (PARTS.has('pull')) printPull(await measurePull(nextPort++));
  if (PARTS.has('testing')) printTesting(await measureTesting());
}

/** Starts to the first 200 per server, whose median is compared: one start varies by hundreds of ms. */
const STARTS = 3;

async function measureHttp() {
  const node = process.execPath;
  const rawTarget = (name: string, script: string): Target => ({
    name,
    command: [node, path.join(HELLO, script), '{port}'],
    cwd: HELLO,
    url: (p: number) => `http://127.0.0.1:${p}/hello`,
  });
  const results = [];
  for (const [target, starts] of [
    [rawTarget('raw node:http', 'raw-server.js'), 1],
    [rawTarget('raw node:http, handler in worker threads', 'raw-worker-server.js'), 1],
    [
      {
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
        cwd: HELLO,
        url: (p: number) => `http://127.0.0.1:${p}/hello`,
      },
      STARTS,
    ],
    [offlineTarget('serverless-offline (worker threads)'), STARTS],
    [offlineTarget('serverless-offline --useInProcess', '--useInProcess'), 1],
  ] as const) {
    const result = await measure(target, starts);
    results.push(result);
    const startup = `first 200 after ${result.startupMs.toFixed(0)} ms${starts > 1 ? ` (median of ${starts})` : ''}`;
    console.log(
      `${result.name.padEnd(42)} ${result.rps.toFixed(0).padStart(7)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  ` +
        `errors ${result.errors}  ${startup}`,
    );
  }
  const [raw, rawWorkers, emulate, offline, inProcess] = results;
  const rss = await idleRss(50);
  const floors = [
    ['req/s vs serverless-offline (worker threads)', emulate.rps / offline.rps, 10],
    ['req/s vs serverless-offline --useInProcess', emulate.rps / inProcess.rps, 5],
    ['p99 of serverless-offline / p99 of emulate', offline.p99 / Math.max(emulate.p99, 1), 5],
    ['req/s vs raw node:http', emulate.rps / raw.rps, 0.5],
    ['first 200: serverless-offline / emulate', offline.startupMs / emulate.startupMs, 1],
  ] as const;
  console.log('');
  for (const [what, ratio, floor] of floors) {
    console.log(
      `${what.padEnd(46)} ${ratio.toFixed(2).padStart(7)}x  (floor ${floor}x)  ${ratio >= floor ? 'ok' : 'BELOW FLOOR'}`,
    );
  }
  console.log(
    `${'  (raw with the handler in worker threads'.padEnd(46)} ${(rawWorkers.rps / raw.rps).toFixed(2).padStart(7)}x  of raw node:http)`,
  );
  console.log(
    `${'RSS, 50 functions defined and idle'.padEnd(46)} ${rss.emulate.toFixed(0).padStart(7)} MB  (ceiling 150 MB)  ${rss.emulate <= 150 ? 'ok' : 'ABOVE CEILING'}`,
  );
  console.log(
    `${'  (serverless-offline, same service'.padEnd(46)} ${rss.offline.toFixed(0).padStart(7)} MB; serverless@3 alone, sls print: ${rss.framework.toFixed(0)} MB)`,
  );
  console.log('');
}

async function printAsync() {
  const all = await measureAsync(nextPort++);
  for (const figures of all) {
    const ok = figures.eventsPerSecond >= 2000 && figures.p50 < 20;
    console.log(
      `async via ${figures.via.padEnd(30)} ${String(figures.eventsPerSecond).padStart(6)} events/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms  (floors 2000/s, p50 < 20 ms)  ${ok ? 'ok' : 'BELOW FLOOR'}`,
    );
  }
  console.log(liveViewNote(all.every((figures) => figures.liveView)));
  console.log('');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
