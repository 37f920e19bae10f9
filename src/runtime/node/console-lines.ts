import { format } from 'node:util';

/** Where an instance's lines go: the worker's port, or the runtime process's stdout. */
export type LineWriter = (line: string) => void;

/**
 * Lambda's log format for the console: timestamp, request id (`undefined` outside an invocation), level,
 * message.
 */
export function patchConsole(write: LineWriter, requestId: () => string | undefined): void {
  const level =
    (name: string) =>
    (...args: unknown[]) =>
      write(`${new Date().toISOString()}\t${requestId() ?? 'undefined'}\t${name}\t${format(...args)}`);
  Object.assign(console, {
    log: level('INFO'),
    info: level('INFO'),
    warn: level('WARN'),
    error: level('ERROR'),
    debug: level('DEBUG'),
    trace: level('TRACE'),
  });
}

/**
 * Node prints process warnings (the AWS SDK's NodeVersionSupportWarning, deprecations) through
 * console.error, which would make them ERROR lines of whatever invocation is running, or of request
 * `undefined`: they are the function's plain lines instead, as Node writes them. Warnings stay off
 * where Node has them off (`--no-warnings`, `NODE_NO_WARNINGS=1`: no listener then).
 */
export function warningsAsLines(write: LineWriter): void {
  if (process.listenerCount('warning') === 0) return;
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    const code = warning.code ? `[${warning.code}] ` : '';
    const text = `(node:${process.pid}) ${code}${warning.name}: ${warning.message}`;
    for (const line of text.split('\n')) write(line);
  });
}
