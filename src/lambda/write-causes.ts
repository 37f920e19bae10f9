import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Where AWS starts a new trace, the records of DynamoDB Streams and Kinesis carry no trace header; the
 * emulator still knows which call wrote them, and links the invocation that reads them to the one that
 * made that call (`InvokeRequest.causeHeader`), so that the live view can follow an event across a stream
 * without the trace (and Lambda's loop detection) going through it.
 */
const serving = new AsyncLocalStorage<string | undefined>();

/** Runs `serve` (an embedded service answering one call) knowing the call's trace header. */
export function servingCall<T>(traceHeader: string | undefined, serve: () => T): T {
  return traceHeader === undefined ? serve() : serving.run(traceHeader, serve);
}

/** The trace header of the call being served, in `servingCall`. */
export const callerTraceHeader = (): string | undefined => serving.getStore();

/** The key under which an embedded stream's record, read in process, holds the trace header of its write. */
export const WRITE_CAUSE = Symbol('writeCause');

export type WithWriteCause = { [WRITE_CAUSE]?: string };
