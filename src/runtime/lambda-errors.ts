import type { LambdaErrorBody } from './types';

/**
 * The one catalogue of the errors Lambda itself makes, for every runtime (as the Runtime Interface
 * Emulator's `fatalerror.go` is): their types, and their bodies worded as AWS words them (the exit
 * messages are Go's `exec.ExitError` strings, as the Lambda service prints them).
 */

/** Every error type Lambda (not the function) produces, and those of the Runtime API's own answers. */
export const LambdaErrorType = {
  /** A runtime's error that names no type of its own. */
  Unhandled: 'Unhandled',
  UserCodeSyntax: 'Runtime.UserCodeSyntaxError',
  ImportModule: 'Runtime.ImportModuleError',
  HandlerNotFound: 'Runtime.HandlerNotFound',
  MalformedHandlerName: 'Runtime.MalformedHandlerName',
  CallbackHandlerDeprecated: 'Runtime.CallbackHandlerDeprecated',
  UnhandledPromiseRejection: 'Runtime.UnhandledPromiseRejection',
  InvalidEntrypoint: 'Runtime.InvalidEntrypoint',
  RuntimeExit: 'Runtime.ExitError',
  OutOfMemory: 'Runtime.OutOfMemory',
  ResponseSizeTooLarge: 'Function.ResponseSizeTooLarge',
  SandboxTimeout: 'Sandbox.Timedout',
  InvalidRequestId: 'InvalidRequestID',
  InvalidStateTransition: 'InvalidStateTransition',
  RequestEntityTooLarge: 'RequestEntityTooLarge',
} as const;

/** An Error standing for one of Lambda's errors: its name is the error type, its message the message. */
export class LambdaRuntimeError extends Error {
  constructor({ errorType, errorMessage }: LambdaErrorBody) {
    super(errorMessage);
    this.name = errorType;
  }
}

/** An Error as Lambda reports it: its name is the error type. */
export const errorBodyOf = (error: Error): LambdaErrorBody => ({
  errorType: error.name,
  errorMessage: error.message,
});

// Init errors: the handler's module could not give a handler.

export const userCodeSyntaxError = (message: string): LambdaErrorBody => ({
  errorType: LambdaErrorType.UserCodeSyntax,
  errorMessage: `SyntaxError: ${message}`,
});

export const importModuleError = (message: string): LambdaErrorBody => ({
  errorType: LambdaErrorType.ImportModule,
  errorMessage: `Error: ${message}`,
});

/** `handler` as written in serverless.yml. */
export const handlerNotFound = (handler: string): LambdaErrorBody => ({
  errorType: LambdaErrorType.HandlerNotFound,
  errorMessage: `${handler} is undefined or not exported`,
});

/** From nodejs24.x on: a handler that declares a third (callback) parameter, as the runtime words it. */
export const callbackHandlerDeprecated = (): LambdaErrorBody => ({
  errorType: LambdaErrorType.CallbackHandlerDeprecated,
  errorMessage:
    'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.',
});

/** A promise rejected with nobody to catch it: the rejection's message and trace under Lambda's type. */
export const unhandledPromiseRejection = ({ errorMessage, trace }: LambdaErrorBody): LambdaErrorBody => ({
  errorType: LambdaErrorType.UnhandledPromiseRejection,
  errorMessage,
  trace,
});

// The instance died during invocation `requestId`.

export const instanceDied = (requestId: string, errorType: string, reason: string): LambdaErrorBody => ({
  errorType,
  errorMessage: `RequestId: ${requestId} Error: ${reason}`,
});

export const outOfMemory = (requestId: string, memorySizeMb: number): LambdaErrorBody =>
  instanceDied(
    requestId,
    LambdaErrorType.OutOfMemory,
    `Runtime exited with error: signal: killed (out of memory: ${memorySizeMb} MB)`,
  );

export const exitedWithStatus = (requestId: string, status: number): LambdaErrorBody =>
  instanceDied(requestId, LambdaErrorType.RuntimeExit, `Runtime exited with error: exit status ${status}`);

/** An invocation given to an instance that had already exited. */
export const alreadyExited = (requestId: string): LambdaErrorBody =>
  instanceDied(requestId, LambdaErrorType.RuntimeExit, 'Runtime exited');

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
    const reason = `fork/exec ${end.command}: ${goErrno(end.code, end.message)}`;
    return instanceDied(requestId, LambdaErrorType.InvalidEntrypoint, reason);
  }
  if (end.signal) {
    const reason = `Runtime exited with error: signal: ${SIGNAL_NAMES[end.signal] ?? end.signal}`;
    return instanceDied(requestId, LambdaErrorType.RuntimeExit, reason);
  }
  if (end.code) return exitedWithStatus(requestId, end.code);
  return instanceDied(requestId, LambdaErrorType.RuntimeExit, 'Runtime exited without providing a reason');
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

/** `Sandbox.Timedout`: the invocation was stopped at `at`, its timeout of `seconds` over. */
export const timedOut = (requestId: string, seconds: number, at: Date): LambdaErrorBody => ({
  errorType: LambdaErrorType.SandboxTimeout,
  errorMessage: `${at.toISOString()} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds`,
});

/** Largest response the Runtime API accepts: 6 MiB + 100 bytes (`interop.MaxPayloadSize` in the RIE). */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

/** `Function.ResponseSizeTooLarge`: what the caller gets when the runtime posts a response over the limit. */
export const responseTooLarge = (size: number): LambdaErrorBody => ({
  errorType: LambdaErrorType.ResponseSizeTooLarge,
  errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
});

// The Runtime API's answers to a runtime's calls, keys in the RIE's order (they are sent as they are).

export const invalidRequestId = (): LambdaErrorBody => ({
  errorMessage: 'Invalid request ID',
  errorType: LambdaErrorType.InvalidRequestId,
});

export const invalidStateTransition = (from: string, to: string): LambdaErrorBody => ({
  errorMessage: `State transition from ${from} to ${to} failed for runtime. Error: State transition is not allowed`,
  errorType: LambdaErrorType.InvalidStateTransition,
});

export const requestEntityTooLarge = (): LambdaErrorBody => ({
  errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
  errorType: LambdaErrorType.RequestEntityTooLarge,
});

/**
 * The error a runtime posted to `/invocation/{id}/error` or `/init/error`, as the caller sees it. Lambda
 * hands the runtime's document on unchanged, so every key the runtime sent is kept (AWS's Python runtime
 * adds `requestId`); `errorType` and `errorMessage` are made strings, from the
 * `Lambda-Runtime-Function-Error-Type` header and the raw body when the body is not such a document.
 */
export function runtimeErrorBody(body: string, errorTypeHeader: string | undefined): LambdaErrorBody {
  const fallbackType = errorTypeHeader || LambdaErrorType.Unhandled;
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
