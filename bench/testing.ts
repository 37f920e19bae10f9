import { spawn } from 'node:child_process';
import path from 'node:path';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { emulate } from '../src/testing';
import { forgetResolvedServices } from '../src/testing/resolve';
import { SLS, SLS_ENV as ENV } from './emulator';

const ROOT = path.resolve(__dirname, '..');
const SERVICE = path.join(ROOT, 'example-service');
const RESETS = 20;
/** Starts measured each way, whose medians are compared: one start varies by hundreds of ms. */
const STARTS = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Milliseconds until `sls emulate` on example-service prints that it is ready. */
function slsEmulateStartMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [SLS, 'emulate', '--port', '0', '--aws-port', '0', '--websocket-port', '0', '--no-reload', '--reset'],
    { cwd: SERVICE, env: ENV, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let readyMs: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (readyMs !== undefined || !out.includes('Ready.')) return;
      readyMs = performance.now() - started;
      child.kill('SIGINT');
    });
    child.once('exit', (code) =>
      readyMs === undefined
        ? reject(new Error(`sls emulate exited (${code}) before it was ready:\n${out}`))
        : resolve(readyMs),
    );
  });
}

/**
 * The testing API on example-service: a cold start (the framework resolves the configuration) against
 * `sls emulate`'s, a warm start (resolved configuration cached), `reset()`, and an async event taken
 * through three failing attempts to its on-failure destination in virtual time.
 */
export async function measureTesting() {
  const slsStarts: number[] = [];
  const coldStarts: number[] = [];
  for (let i = 0; i < STARTS; i += 1) {
    slsStarts.push(await slsEmulateStartMs());
    forgetResolvedServices();
    const started = performance.now();
    const cold = await emulate({ dir: SERVICE, clock: 'virtual' });
    coldStarts.push(performance.now() - started);
    await cold.stop();
  }
  let started = performance.now();
  const service = await emulate({ dir: SERVICE, clock: 'virtual' });
  const warmStartMs = performance.now() - started;
  const resets: number[] = [];
  for (let i = 0; i < RESETS; i += 1) {
    started = performance.now();
    await service.reset();
    resets.push(performance.now() - started);
  }
  const sqs = new SQSClient(service.aws.clientConfig);
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'failed-events-dev' }));
  started = performance.now();
  await service.invoke('importOrders', { body: { orders: [{}] } }, { type: 'Event' });
  await service.advance('3m');
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
  const threeAttemptsMs = performance.now() - started;
  const attempts = service.invocations({ function: 'importOrders' }).length;
  await service.stop();
  if (attempts !== 3 || Messages.length !== 1) {
    throw new Error(`expected 3 attempts and 1 destination record, got ${attempts} and ${Messages.length}`);
  }
  return {
    slsStartMs: median(slsStarts),
    coldStartMs: median(coldStarts),
    warmStartMs,
    resetMs: median(resets),
    threeAttemptsMs,
  };
}

export function printTesting(figures: Awaited<ReturnType<typeof measureTesting>>): void {
  const rows: Array<[string, number, string, boolean]> = [
    [
      `testing API: cold start (median of ${STARTS})`,
      figures.coldStartMs,
      `ceiling: sls emulate's, median ${figures.slsStartMs.toFixed(0)} ms`,
      figures.coldStartMs <= figures.slsStartMs,
    ],
    ['testing API: warm start', figures.warmStartMs, 'ceiling 1000 ms', figures.warmStartMs <= 1000],
    [`testing API: reset() (median of ${RESETS})`, figures.resetMs, 'ceiling 50 ms', figures.resetMs <= 50],
    [
      'testing API: 3 failing attempts to onFailure',
      figures.threeAttemptsMs,
      'virtual time; ceiling 300 ms',
      figures.threeAttemptsMs <= 300,
    ],
  ];
  for (const [what, ms, limit, ok] of rows) {
    console.log(
      `${what.padEnd(46)} ${ms.toFixed(0).padStart(7)} ms  (${limit})  ${ok ? 'ok' : 'ABOVE CEILING'}`,
    );
  }
  console.log('');
}
