/**
 * Runs inside a worker thread: one warm instance of one function. Loads the handler once (Lambda's
 * init phase), then runs one invocation at a time as the main thread asks, reporting logs and the
 * result over the parent port in Lambda's own shapes.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { unhandledPromiseRejection } from '../lambda-errors';
import type { LambdaErrorBody } from '../types';
import { routeAwsCallsTo } from './aws-network';
import { callHandler, errorBody, type HandlerInvocation } from './call-handler';
import { patchConsole, warningsAsLines } from './console-lines';
import { loadHandler, type Handler } from './load-handler';
import type { FromWorker, ToWorker, WorkerData } from './protocol';
import { installAwsLambdaGlobal } from './response-stream';

const { setup, peakMemoryMb } = workerData as WorkerData;
const port = parentPort as NonNullable<typeof parentPort>;
const send = (message: FromWorker) => port.postMessage(message);
const writeLine = (line: string) => send({ type: 'log', line });
let currentRequestId: string | undefined;

/** While an invocation runs, how often the heap is sampled (a timeout's REPORT needs a reading). */
const MEMORY_SAMPLE_MS = 50;

function recordMemory() {
  const mb = Math.ceil(getHeapStatistics().total_heap_size / 1048576);
  if (mb > Atomics.load(peakMemoryMb, 0)) Atomics.store(peakMemoryMb, 0, mb);
}

/** True while the function's own work (timers, sockets, files) keeps the event loop busy. */
function eventLoopBusy(): boolean {
  return process.getActiveResourcesInfo().some((r) => r !== 'MessagePort' && r !== 'Immediate');
}

const eventLoopEmptied = () =>
  new Promise<void>((resolve) => {
    const check = () => (eventLoopBusy() ? setTimeout(check, 1).unref() : resolve());
    setImmediate(check);
  });

function patchStdio() {
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = ((chunk: string | Uint8Array) => {
      for (const line of String(chunk).replace(/\n$/, '').split('\n')) writeLine(line);
      return true;
    }) as typeof stream.write;
  }
}

async function main() {
  patchConsole(writeLine, () => currentRequestId);
  warningsAsLines(writeLine);
  patchStdio();
  if (setup.awsEndpoint) routeAwsCallsTo(setup.awsEndpoint);
  installAwsLambdaGlobal();
  let handler: Handler | undefined;
  let initError: LambdaErrorBody | undefined;
  try {
    handler = await loadHandler(setup);
  } catch (error) {
    initError = errorBody(error);
  }
  recordMemory();
  send({ type: 'init' });
  // What escapes the handler ends the instance, as in Lambda: the invocation fails with it.
  const die = (error: LambdaErrorBody) => {
    recordMemory();
    send({ type: 'result', requestId: currentRequestId ?? '', result: { ok: false, fatal: true, error } });
    process.exit(1);
  };
  process.on('uncaughtException', (error) => die(errorBody(error)));
  process.on('unhandledRejection', (reason) => die(unhandledPromiseRejection(errorBody(reason))));
  // One timer for the instance's life, re-armed while an invocation runs: none is made per invocation.
  const sampler = setTimeout(function sample() {
    recordMemory();
    if (currentRequestId !== undefined) sampler.refresh();
  }, MEMORY_SAMPLE_MS).unref();
  port.on('message', async (input: ToWorker) => {
    const { requestId } = input;
    currentRequestId = requestId;
    sampler.refresh();
    const invocation: HandlerInvocation = {
      requestId,
      event: input.event,
      deadlineMs: input.deadlineMs,
      invokedFunctionArn: input.invokedFunctionArn,
      clientContext: input.clientContext
        ? JSON.parse(Buffer.from(input.clientContext, 'base64').toString())
        : undefined,
      traceId: input.traceId,
      stream: input.stream
        ? {
            start: (contentType) => send({ type: 'stream-start', requestId, contentType }),
            chunk: (data) => send({ type: 'chunk', requestId, data }),
          }
        : undefined,
    };
    const result = handler
      ? await callHandler(handler, setup, invocation, eventLoopEmptied)
      : { ok: false as const, fatal: true, error: initError as LambdaErrorBody };
    recordMemory();
    currentRequestId = undefined;
    send({ type: 'result', requestId, result });
  });
}

void main();
