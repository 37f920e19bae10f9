/**
 * Memory: the RSS `sls emulate` adds to the framework's (`sls print`) on an idle 50-function service,
 * and its peak RSS over a soak of 50,000 events of five kinds sent at once: HTTP API requests, Invoke
 * API Event invocations, S3 PutObject notifications, SNS Publish and SQS SendMessageBatch (pulled by an
 * event source mapping). The soak ends when every async and pulled event has been delivered.
 */
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SLS, SLS_ENV as ENV, startEmulator, stopProcess as stop, untilPrinted } from './emulator';

const ROOT = path.resolve(__dirname, '..');

export const MEMORY_CEILINGS = { shareMb: 25, soakOverFrameworkMb: 150 };

export interface MemoryFigures {
  idle: { emulate: number; offline: number; framework: number };
  /** `threads`: the emulator's at the end of the soak, one per function instance besides its own few. */
  soak: { events: number; seconds: number; peakMb: number; frameworkMb: number; threads: number };
}

const mb = (kb: string | undefined) => Number(kb) / 1024;

/** A service of `functions` hello functions, each behind its own httpApi route, with the given plugin. */
function idleService(functions: number, plugin: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-50-'));
  cpSync(path.join(__dirname, 'hello', 'handler.js'), path.join(dir, 'handler.js'));
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
  });
  await untilPrinted(child, readyText, `sls ${args[0]}`);
  await new Promise((r) => setTimeout(r, 1000));
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  await stop(child);
  return mb(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
}

/** The RSS of the framework itself on the service: `sls print`, read as it exits. */
function rssOfFrameworkAlone(dir: string): number {
  const printed = spawnSync(
    process.execPath,
    ['--require', path.join(__dirname, 'rss-at-exit.js'), SLS, 'print'],
    {
      cwd: dir,
      env: ENV,
      encoding: 'utf8',
    },
  );
  const rss = /rss-at-exit (\d+)/.exec(printed.stderr)?.[1];
  if (rss === undefined) throw new Error(`sls print: ${printed.stderr}`);
  return Number(rss) / 1048576;
}

async function idleRss(nextPort: () => number, functions = 50) {
  const emulateDir = idleService(functions, ROOT);
  const offlineDir = idleService(functions, 'serverless-offline');
  try {
    return {
      emulate: await rssWhenIdle(
        emulateDir,
        ['emulate', '--port', String(nextPort()), '--aws-port', String(nextPort())],
        'Ready.',
      ),
      offline: await rssWhenIdle(
        offlineDir,
        ['offline', '--httpPort', String(nextPort()), '--lambdaPort', '0'],
        'Server ready',
      ),
      framework: rssOfFrameworkAlone(emulateDir),
    };
  } finally {
    rmSync(emulateDir, { recursive: true, force: true });
    rmSync(offlineDir, { recursive: true, force: true });
  }
}

type Request = {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers: Record<string, string>;
  body?: string;
};

/** The five kinds of the soak, each a request built from its number. */
function soakKinds(awsPort: number): Array<{
  name: string;
  port: 'http' | 'aws';
  calls: number;
  records: number;
  request: (n: number) => Request;
}> {
  const queueUrl = `http://127.0.0.1:${awsPort}/000000000000/soak-queue`;
  return [
    {
      name: 'HTTP API GET',
      port: 'http',
      calls: 10_000,
      records: 0,
      request: () => ({ method: 'GET', path: '/hello', headers: {} }),
    },
    {
      name: 'Invoke API Event',
      port: 'aws',
      calls: 10_000,
      records: 10_000,
      request: (n) => ({
        method: 'POST',
        path: '/2015-03-31/functions/target/invocations',
        headers: { 'x-amz-invocation-type': 'Event', 'content-type': 'application/json' },
        body: JSON.stringify({ n }),
      }),
    },
    {
      name: 'S3 PutObject',
      port: 'aws',
      calls: 10_000,
      records: 10_000,
      request: (n) => ({ method: 'PUT', path: `/soak-uploads/object-${n}`, headers: {}, body: 'hi' }),
    },
    {
      name: 'SNS Publish',
      port: 'aws',
      calls: 10_000,
      records: 10_000,
      request: (n) => ({
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `Action=Publish&TopicArn=${encodeURIComponent('arn:aws:sns:us-east-1:000000000000:soak-topic')}&Message=m${n}`,
      }),
    },
    {
      name: 'SQS SendMessageBatch',
      port: 'aws',
      calls: 1_000,
      records: 10_000,
      request: (n) => ({
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.SendMessageBatch',
        },
        body: JSON.stringify({
          QueueUrl: queueUrl,
          Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: `m${n}-${i}` })),
        }),
      }),
    },
  ];
}

/** The soak: every kind sent at once, then waited for until each async and pulled record has run. */
async function soak(awsPort: number, httpPort: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-soak-'));
  const countFile = path.join(dir, 'count');
  const serviceDir = path.join(__dirname, 'soak');
  const child = await startEmulator(serviceDir, awsPort, dir, countFile, httpPort);
  try {
    const kinds = soakKinds(awsPort);
    const started = Date.now();
    await Promise.all(
      kinds.map(async (kind) => {
        let next = 0;
        const port = kind.port === 'http' ? httpPort : awsPort;
        const result = await autocannon({
          url: `http://127.0.0.1:${port}`,
          connections: 10,
          amount: kind.calls,
          requests: [{ setupRequest: (request) => ({ ...request, ...kind.request(next++) }) }],
        });
        if (result.non2xx + result.errors > 0)
          throw new Error(`soak, ${kind.name}: ${result.non2xx} answers not 2xx, ${result.errors} errors`);
      }),
    );
    const expected = kinds.reduce((sum, kind) => sum + kind.records, 0);
    const delivered = () => (existsSync(countFile) ? statSync(countFile).size : 0);
    while (delivered() < expected) {
      if (Date.now() - started > 300_000)
        throw new Error(`soak: ${delivered()} of ${expected} records delivered`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (Date.now() - started) / 1000;
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return {
      events: kinds.reduce((sum, kind) => sum + Math.max(kind.records, kind.calls), 0),
      seconds,
      peakMb: mb(/VmHWM:\s+(\d+)/.exec(status)?.[1]),
      threads: Number(/Threads:\s+(\d+)/.exec(status)?.[1]),
      frameworkMb: rssOfFrameworkAlone(serviceDir),
    };
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureMemory(nextPort: () => number): Promise<MemoryFigures> {
  const idle = await idleRss(nextPort);
  return { idle, soak: await soak(nextPort(), nextPort()) };
}

export function printMemory({ idle, soak }: MemoryFigures): void {
  const share = idle.emulate - idle.framework;
  const line = (what: string, value: number, limit: number) =>
    console.log(
      `${what.padEnd(46)} ${value.toFixed(0).padStart(7)} MB  (ceiling ${limit.toFixed(0)} MB)  ${value <= limit ? 'ok' : 'ABOVE CEILING'}`,
    );
  line('RSS over the framework, 50 functions idle', share, MEMORY_CEILINGS.shareMb);
  console.log(
    `${''.padEnd(47)} (sls emulate ${idle.emulate.toFixed(0)} MB; serverless@3 alone, sls print: ${idle.framework.toFixed(0)} MB; serverless-offline ${idle.offline.toFixed(0)} MB)`,
  );
  line(
    `peak RSS, soak of ${soak.events} mixed events`,
    soak.peakMb,
    soak.frameworkMb + MEMORY_CEILINGS.soakOverFrameworkMb,
  );
  console.log(
    `${''.padEnd(47)} (HTTP API, Invoke Event, S3, SNS, SQS at once, all delivered in ${soak.seconds.toFixed(1)} s, ${soak.threads} threads at the end; ceiling: sls print ${soak.frameworkMb.toFixed(0)} MB + ${MEMORY_CEILINGS.soakOverFrameworkMb} MB)`,
  );
}

if (require.main === module) {
  let port = Number(process.env.BENCH_MEMORY_PORT ?? 4750);
  measureMemory(() => port++)
    .then(printMemory)
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
