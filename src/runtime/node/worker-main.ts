/**
 * Runs inside a worker thread: one warm instance of one function. Loads the handler once (Lambda's
 * init phase), then runs one invocation at a time as the main thread asks, reporting logs and the
 * result over the parent port in Lambda's own shapes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import {
  errorBodyOf,
  handlerNotFound,
  importModuleError,
  LambdaRuntimeError,
  unhandledPromiseRejection,
  userCodeSyntaxError,
} from '../lambda-errors';
import type { InvocationResult, LambdaErrorBody } from '../types';
import { routeAwsCallsTo } from './aws-network';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol';

type Handler = (
  event: unknown,
  context: unknown,
  callback: (error?: unknown, result?: unknown) => void,
) => unknown;

const setup = workerData as WorkerSetup;
const port = parentPort as NonNullable<typeof parentPort>;
const send = (message: FromWorker) => port.postMessage(message);
let currentRequestId: string | undefined;

function errorBody(error: unknown): LambdaErrorBody {
  if (error instanceof Error) {
    return { ...errorBodyOf(error), trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

// Lambda's log format: timestamp, request id, level, message; every write becomes a log message.
function patchConsole() {
  const write =
    (level: string) =>
    (...args: unknown[]) =>
      send({
        type: 'log',
        line: `${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${format(...args)}`,
      });
  Object.assign(console, {
    log: write('INFO'),
    info: write('INFO'),
    warn: write('WARN'),
    error: write('ERROR'),
    debug: write('DEBUG'),
    trace: write('TRACE'),
  });
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = ((chunk: string | Uint8Array) => {
      for (const line of String(chunk).replace(/\n$/, '').split('\n')) send({ type: 'log', line });
      return true;
    }) as typeof stream.write;
  }
}

async function loadHandler(): Promise<Handler> {
  const { moduleFile, exportPath, handler } = setup;
  let loaded: Record<string, unknown>;
  try {
    loaded = usesImport(moduleFile)
      ? await import(pathToFileURL(moduleFile).href)
      : createRequire(moduleFile)(moduleFile);
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new LambdaRuntimeError(userCodeSyntaxError(error.message));
    }
    const code = (error as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new LambdaRuntimeError(importModuleError((error as Error).message));
    }
    throw error;
  }
  let target: unknown = loaded;
  for (const key of exportPath.split('.')) target = (target as Record<string, unknown> | undefined)?.[key];
  if (typeof target !== 'function') {
    throw new LambdaRuntimeError(handlerNotFound(handler));
  }
  return target as Handler;
}

/** ES modules load with import(): .mjs, and .js under a package.json with "type": "module". */
function usesImport(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest))
      return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module';
    if (dirname(dir) === dir) return false;
  }
}

/** True while the function's own work (timers, sockets, files) keeps the event loop busy. */
function eventLoopBusy(): boolean {
  return process.getActiveResourcesInfo().some((r) => r !== 'MessagePort' && r !== 'Immediate');
}

const waitForEmptyEventLoop = () =>
  new Promise<void>((resolve) => {
    const check = () => (eventLoopBusy() ? setTimeout(check, 1).unref() : resolve());
    setImmediate(check);
  });

function context(
  input: ToWorker,
  callbackWaits: { value: boolean },
  settle: (e?: unknown, r?: unknown) => void,
) {
  return {
    awsRequestId: input.requestId,
    functionName: setup.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: input.invokedFunctionArn,
    memoryLimitInMB: String(setup.memorySize),
    logGroupName: setup.logGroupName,
    logStreamName: setup.logStreamName,
    identity: undefined,
    clientContext: input.clientContext
      ? JSON.parse(Buffer.from(input.clientContext, 'base64').toString())
      : undefined,
    getRemainingTimeInMillis: () => Math.max(0, input.deadlineMs - Date.now()),
    get callbackWaitsForEmptyEventLoop() {
      return callbackWaits.value;
    },
    set callbackWaitsForEmptyEventLoop(value: boolean) {
      callbackWaits.value = value;
    },
    done: settle,
    succeed: (result: unknown) => settle(null, result),
    fail: (error: unknown) => settle(error ?? 'handled'),
  };
}

/** Runs the handler the way Lambda's Node.js runtime does: a returned promise, or the callback. */
function run(handler: Handler, input: ToWorker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callbackWaits = { value: true };
    let settled = false;
    const settle = (error?: unknown, result?: unknown) => {
      if (settled) return;
      settled = true;
      const finish = () => (error !== undefined && error !== null ? reject(error) : resolve(result));
      if (callbackWaits.value) void waitForEmptyEventLoop().then(finish);
      else finish();
    };
    const returned = handler(JSON.parse(input.event), context(input, callbackWaits, settle), settle);
    if (returned && typeof (returned as Promise<unknown>).then === 'function') {
      (returned as Promise<unknown>).then(
        (result) => {
          settled = true;
          resolve(result);
        },
        (error) => {
          settled = true;
          reject(error);
        },
      );
    } else if (handler.length < 3) {
      // A synchronous handler that takes no callback answers null once its work is done.
      void waitForEmptyEventLoop().then(() => settle(null, null));
    }
  });
}

async function main() {
  patchConsole();
  if (setup.awsEndpoint) routeAwsCallsTo(setup.awsEndpoint);
  let handler: Handler | undefined;
  let initError: LambdaErrorBody | undefined;
  try {
    handler = await loadHandler();
  } catch (error) {
    initError = errorBody(error);
  }
  send({ type: 'init' });
  const memoryMb = () => Math.ceil(getHeapStatistics().total_heap_size / 1048576);
  // What escapes the handler ends the instance, as in Lambda: the invocation fails with it.
  const die = (error: LambdaErrorBody) => {
    send({
      type: 'result',
      requestId: currentRequestId ?? '',
      memoryMb: memoryMb(),
      ok: false,
      fatal: true,
      error,
    });
    process.exit(1);
  };
  process.on('uncaughtException', (error) => die(errorBody(error)));
  process.on('unhandledRejection', (reason) => die(unhandledPromiseRejection(errorBody(reason))));
  port.on('message', async (input: ToWorker) => {
    currentRequestId = input.requestId;
    const done = (result: InvocationResult) => {
      currentRequestId = undefined;
      send({ type: 'result', requestId: input.requestId, memoryMb: memoryMb(), ...result });
    };
    if (!handler) return done({ ok: false, fatal: true, error: initError as LambdaErrorBody });
    try {
      const result = await run(handler, input);
      done({ ok: true, payload: JSON.stringify(result === undefined ? null : result) });
    } catch (error) {
      const body = errorBody(error);
      const { errorType, errorMessage, trace } = body;
      console.error('Invoke Error', JSON.stringify({ errorType, errorMessage, stack: trace }));
      done({ ok: false, error: body });
    }
  });
}

void main();
