import { finished } from 'node:stream/promises';
import { errorBodyOf } from '../lambda-errors';
import type { InvocationResult, LambdaErrorBody, ResponseStreamSink } from '../types';
import type { Handler } from './load-handler';
import type { HandlerSetup } from './protocol';
import { isStreamingHandler, ResponseStream } from './response-stream';

/** One invocation as a Node.js instance receives it. */
export interface HandlerInvocation {
  requestId: string;
  /** The event as JSON text. */
  event: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  /** The client context, already parsed. */
  clientContext?: unknown;
  /** What Lambda's Node.js runtime puts in `_X_AMZN_TRACE_ID` for the invocation. */
  traceId: string;
  /** Where a streaming handler's bytes go as it writes them; without it they are buffered as the payload. */
  stream?: ResponseStreamSink;
}

/** Resolves once the function's own work (timers, sockets, files) no longer keeps the event loop busy. */
export type EventLoopEmptied = () => Promise<void>;

type Settle = (error?: unknown, result?: unknown) => void;

export function errorBody(error: unknown): LambdaErrorBody {
  if (error instanceof Error) {
    return { ...errorBodyOf(error), trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function context(setup: HandlerSetup, input: HandlerInvocation) {
  return {
    awsRequestId: input.requestId,
    functionName: setup.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: input.invokedFunctionArn,
    memoryLimitInMB: String(setup.memorySize),
    logGroupName: setup.logGroupName,
    logStreamName: setup.logStreamName,
    identity: undefined,
    clientContext: input.clientContext,
    getRemainingTimeInMillis: () => Math.max(0, input.deadlineMs - Date.now()),
  };
}

const WAITS = Symbol('callbackWaitsForEmptyEventLoop');

/**
 * One accessor pair for every context. V8 keeps accessors in an object's hidden class, so a pair made
 * per invocation gave each context a class of its own, which cost the worker more than the handler.
 */
const CALLBACK_WAITS: PropertyDescriptor = {
  enumerable: true,
  get(this: { [WAITS]: { value: boolean } }) {
    return this[WAITS].value;
  },
  set(this: { [WAITS]: { value: boolean } }, value: boolean) {
    this[WAITS].value = value;
  },
};

/** Before Node.js 24 the context also settles the invocation and says whether to wait for the event loop. */
function callbackContext(
  setup: HandlerSetup,
  input: HandlerInvocation,
  callbackWaits: { value: boolean },
  settle: Settle,
) {
  const withFlag = Object.defineProperty(
    Object.defineProperty(context(setup, input), WAITS, { value: callbackWaits }),
    'callbackWaitsForEmptyEventLoop',
    CALLBACK_WAITS,
  );
  return Object.assign(withFlag, {
    done: settle,
    succeed: (result: unknown) => settle(null, result),
    fail: (error: unknown) => settle(error ?? 'handled'),
  });
}

/** Runs the handler the way Lambda's Node.js runtime up to 22 does: a returned promise, or the callback. */
function runWithCallback(
  handler: Handler,
  setup: HandlerSetup,
  input: HandlerInvocation,
  emptied: EventLoopEmptied,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callbackWaits = { value: true };
    let settled = false;
    const settle: Settle = (error, result) => {
      if (settled) return;
      settled = true;
      const finish = () => (error !== undefined && error !== null ? reject(error) : resolve(result));
      if (callbackWaits.value) void emptied().then(finish);
      else finish();
    };
    const event = JSON.parse(input.event);
    const returned = handler(event, callbackContext(setup, input, callbackWaits, settle), settle);
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
      void emptied().then(() => settle(null, null));
    }
  });
}

/** Node.js 24's runtime awaits what the handler returns, whatever it is. */
async function runAwaited(handler: Handler, setup: HandlerSetup, input: HandlerInvocation) {
  return (handler as (event: unknown, context: unknown) => unknown)(
    JSON.parse(input.event),
    context(setup, input),
  );
}

const isPromise = (value: unknown): value is Promise<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as Promise<unknown>).then === 'function';

/**
 * A handler wrapped in awslambda.streamifyResponse, run as the runtime's StreamingInvokeProcessor does:
 * `(event, responseStream, context)`, its return value ignored, done once it has resolved and the stream
 * has ended. Without a sink (a buffered Invoke, an API Gateway route) the bytes are the payload.
 */
async function runStreaming(
  handler: Handler,
  setup: HandlerSetup,
  input: HandlerInvocation,
): Promise<InvocationResult> {
  const buffered: Buffer[] = [];
  const sink = input.stream ?? { start: () => undefined, chunk: (data: Buffer) => buffered.push(data) };
  const stream = new ResponseStream(sink);
  try {
    const returned = (handler as (event: unknown, stream: unknown, context: unknown) => unknown)(
      JSON.parse(input.event),
      stream,
      context(setup, input),
    );
    if (!isPromise(returned)) throw new Error('Streaming does not support non-async handlers.');
    if ((await returned) !== undefined) console.warn('Streaming handlers ignore return values.');
    await finished(stream);
  } catch (error) {
    stream.destroy();
    throw error;
  }
  if (input.stream) return { ok: true, payload: '', streamed: true };
  return { ok: true, payload: Buffer.concat(buffered).toString('utf8') };
}

/**
 * One invocation of a loaded handler, as Lambda's Node.js runtime runs it: the result as JSON, or the
 * handler's error, which is logged as the runtime logs it (`Invoke Error`).
 */
export async function callHandler(
  handler: Handler,
  setup: HandlerSetup,
  input: HandlerInvocation,
  emptied: EventLoopEmptied,
): Promise<InvocationResult> {
  process.env._X_AMZN_TRACE_ID = input.traceId;
  try {
    if (isStreamingHandler(handler)) return await runStreaming(handler, setup, input);
    const result = setup.callbackHandlers
      ? await runWithCallback(handler, setup, input, emptied)
      : await runAwaited(handler, setup, input);
    return { ok: true, payload: JSON.stringify(result === undefined ? null : result) };
  } catch (error) {
    const body = errorBody(error);
    const { errorType, errorMessage, trace } = body;
    console.error('Invoke Error', JSON.stringify({ errorType, errorMessage, stack: trace }));
    return { ok: false, error: body };
  }
}
