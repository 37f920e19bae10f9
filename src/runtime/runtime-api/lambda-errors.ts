import type { LambdaErrorBody } from '../types';

/**
 * The error bodies Lambda itself makes for a runtime that speaks the Runtime API, worded as AWS words
 * them (the exit messages are Go's `exec.ExitError` strings, as the Lambda service prints them).
 */

/** Largest response the Runtime API accepts: 6 MiB + 100 bytes (`interop.MaxPayloadSize` in the RIE). */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

/** `Function.ResponseSizeTooLarge`: what the caller gets when the runtime posts a response over the limit. */
export const responseTooLarge = (size: number): LambdaErrorBody => ({
  errorType: 'Function.ResponseSizeTooLarge',
  errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
});

// Go's names for the signals (syscall.Signal.String() on Linux), which AWS prints after "signal: ".
const SIGNAL_NAMES: Record<string, string> = {
  SIGHUP: 'hangup',
  SIGINT: 'interrupt',
  SIGQUIT: 'quit',
  SIGILL: 'illegal instruction',
  SIGTRAP: 'trace/breakpoint trap',
  SIGABRT: 'aborted',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
  SIGKILL: 'killed',
  SIGUSR1: 'user defined signal 1',
  SIGSEGV: 'segmentation fault',
  SIGUSR2: 'user defined signal 2',
  SIGPIPE: 'broken pipe',
  SIGALRM: 'alarm clock',
  SIGTERM: 'terminated',
};

/** How a runtime process ended. */
export type ProcessEnd =
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'spawn-failed'; command: string; code: string | undefined; message: string };

/** `Runtime.ExitError` (or `Runtime.InvalidEntrypoint` when the process could not start) for `requestId`. */
export function processEndError(requestId: string, end: ProcessEnd): LambdaErrorBody {
  if (end.kind === 'spawn-failed') {
    return {
      errorType: 'Runtime.InvalidEntrypoint',
      errorMessage: `RequestId: ${requestId} Error: fork/exec ${end.command}: ${goErrno(end.code, end.message)}`,
    };
  }
  const reason = end.signal
    ? `Runtime exited with error: signal: ${SIGNAL_NAMES[end.signal] ?? end.signal}`
    : end.code
      ? `Runtime exited with error: exit status ${end.code}`
      : 'Runtime exited without providing a reason';
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

function goErrno(code: string | undefined, message: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
      return 'permission denied';
    case 'ENOEXEC':
      return 'exec format error';
    default:
      return message;
  }
}

/**
 * The error a runtime posted to `/invocation/{id}/error` or `/init/error`, as the caller sees it. Lambda
 * hands the runtime's document on unchanged, so every key the runtime sent is kept (AWS's Python runtime
 * adds `requestId`); `errorType` and `errorMessage` are made strings, from the
 * `Lambda-Runtime-Function-Error-Type` header and the raw body when the body is not such a document.
 */
export function runtimeErrorBody(body: string, errorTypeHeader: string | undefined): LambdaErrorBody {
  const fallbackType = errorTypeHeader || 'Unhandled';
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? undefined : JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { errorType: fallbackType, errorMessage: body };
  }
  const document = parsed as Record<string, unknown>;
  const result: Record<string, unknown> = { ...document };
  result.errorMessage = typeof document.errorMessage === 'string' ? document.errorMessage : '';
  result.errorType = typeof document.errorType === 'string' ? document.errorType : fallbackType;
  if ('stackTrace' in document && !isStringArray(document.stackTrace)) delete result.stackTrace;
  if ('trace' in document && !isStringArray(document.trace)) delete result.trace;
  return result as unknown as LambdaErrorBody;
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
