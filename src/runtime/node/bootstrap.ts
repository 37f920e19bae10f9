/**
 * Lambda's Node.js runtime for a Node other than the emulator's: `node bootstrap.js <setup JSON>`, one
 * process per instance, speaking the Runtime API at AWS_LAMBDA_RUNTIME_API. It loads and calls the
 * handler with the same code as the worker threads (load-handler.ts, call-handler.ts); what differs is
 * the transport (the Runtime API), the console (lines on stdout) and the empty event loop (`beforeExit`,
 * as AWS's runtime tells it).
 */
import { unhandledPromiseRejection } from '../lambda-errors';
import { routeAwsCallsTo } from './aws-network';
import { callHandler, errorBody } from './call-handler';
import { patchConsole, warningsAsLines } from './console-lines';
import { loadHandler, type Handler } from './load-handler';
import type { HandlerSetup } from './protocol';
import { installAwsLambdaGlobal } from './response-stream';
import { RuntimeApiClient } from './runtime-api-client';

/** The exit statuses of AWS's Node.js runtime after an uncaught exception and an unhandled rejection. */
const UNCAUGHT_EXCEPTION_EXIT = 129;
const UNHANDLED_REJECTION_EXIT = 128;

const setup = JSON.parse(process.argv[2] ?? '{}') as HandlerSetup;
const api = new RuntimeApiClient(process.env.AWS_LAMBDA_RUNTIME_API ?? '');
const stdoutWrite = process.stdout.write.bind(process.stdout);
const writeLine = (line: string) => stdoutWrite(`${line}\n`);
let currentRequestId: string | undefined;

const eventLoopEmptied = () => new Promise<void>((resolve) => process.once('beforeExit', () => resolve()));

async function main() {
  patchConsole(writeLine, () => currentRequestId);
  warningsAsLines(writeLine);
  if (setup.awsEndpoint) routeAwsCallsTo(setup.awsEndpoint);
  // The Runtime API server here takes buffered responses only: a streaming handler's bytes are its payload.
  installAwsLambdaGlobal();
  let handler: Handler;
  try {
    handler = await loadHandler(setup);
  } catch (error) {
    await api.initFailed(errorBody(error));
    return;
  }
  process.on('uncaughtException', (error) => {
    console.error('Uncaught Exception', JSON.stringify(errorBody(error)));
    process.exit(UNCAUGHT_EXCEPTION_EXIT);
  });
  process.on('unhandledRejection', (reason) => {
    const error = unhandledPromiseRejection(errorBody(reason));
    console.error('Unhandled Promise Rejection', JSON.stringify(error));
    const exit = () => process.exit(UNHANDLED_REJECTION_EXIT);
    void (currentRequestId ? api.fail(currentRequestId, error) : Promise.resolve()).then(exit, exit);
  });
  for (;;) {
    const input = await api.next();
    currentRequestId = input.requestId;
    const result = await callHandler(handler, setup, input, eventLoopEmptied);
    currentRequestId = undefined;
    if (result.ok) await api.respond(input.requestId, result.payload);
    else await api.fail(input.requestId, result.error);
  }
}

void main();
