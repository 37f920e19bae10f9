import { spawn, type ChildProcess } from 'node:child_process';
import { emulate, type EmulateOptions } from '../../src/testing';
import { SERVERLESS_BIN, SLS_ENV } from './cli';

/** What an AWS SDK v3 client needs to talk to the emulator: no retries, so a 429 is seen as it is. */
export const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

/** An emulated service a test drives: `sls emulate`'s child process, or the testing API's in this one. */
export interface EmulatorUnderTest {
  /** Base URL of the AWS endpoint (Lambda Invoke API). */
  aws: string;
  /** Base URL of the HTTP fronts, when the service has any. */
  http?: string;
  /** URL of the WebSocket front, when the service has any. */
  websocket?: string;
  /** Everything it wrote so far: the functions' lines, a summary per invocation, its own notes. */
  output(): string;
  /** Waits until the output contains `text` (at most `ms`). */
  waitForOutput(text: string | RegExp, ms?: number): Promise<void>;
  stop(): Promise<unknown>;
}

export interface RunningEmulator extends EmulatorUnderTest {
  /** The process id of `sls emulate`. */
  pid: number;
  /** Resolves with its exit code. */
  stop(): Promise<number | null>;
  /** Kills the emulator with SIGKILL, as a crash would, and waits for it to be gone. */
  kill(): Promise<void>;
}

/**
 * Waits until `read()` contains `text`; fails after `ms` with `everything()` written so far, or at once
 * when `ended()` says why it never will.
 */
function waitForText(
  read: () => string,
  text: string | RegExp,
  ms: number,
  ended: () => string | undefined = () => undefined,
  everything: () => string = read,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      const output = read();
      if (typeof text === 'string' ? output.includes(text) : text.test(output)) return resolve();
      const end = ended();
      if (end !== undefined) return reject(new Error(end));
      if (Date.now() - started > ms) {
        return reject(new Error(`timed out waiting for ${text}:\n${everything()}`));
      }
      setTimeout(check, 20);
    };
    check();
  });
}

/**
 * The service emulated in this process through `serverless-emulate/testing` (real time, a temporary
 * state folder), for the suites that need no CLI: the framework resolves its configuration once per
 * configuration and run, and the emulator starts in milliseconds after it.
 */
export async function emulateInProcess(
  dir: string,
  options: Omit<EmulateOptions, 'dir' | 'printLogs'> = {},
): Promise<EmulatorUnderTest> {
  let output = '';
  const service = await emulate({ ...options, dir, printLogs: (line) => (output += `${line}\n`) });
  return {
    aws: service.aws.endpoint,
    http: service.http?.url,
    websocket: service.websocket?.url,
    output: () => output,
    waitForOutput: (text, ms = 10_000) => waitForText(() => output, text, ms),
    stop: () => service.stop(),
  };
}

/**
 * Starts the real `sls emulate` (serverless@3 CLI, or the `host` CLI) in `cwd` on free ports and resolves
 * once it prints that it is ready. One per suite: start it in `before`, stop it in `after`.
 */
export function startEmulator(
  cwd: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
  host: string = SERVERLESS_BIN,
): Promise<RunningEmulator> {
  const child = spawn(
    process.execPath,
    [host, 'emulate', '--port', '0', '--aws-port', '0', '--websocket-port', '0', ...args],
    {
      cwd,
      env: { ...SLS_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const waitFor = (text: string | RegExp, ms: number) =>
    waitForText(
      () => stdout,
      text,
      ms,
      () =>
        child.exitCode === null ? undefined : `sls emulate exited (${child.exitCode}):\n${stdout}\n${stderr}`,
      () => `${stdout}\n${stderr}`,
    );
  return waitFor('Ready.', 30_000).then(() => ({
    pid: child.pid ?? 0,
    aws: /AWS endpoint: (\S+)/.exec(stdout)?.[1] ?? '',
    http: /HTTP: (\S+)/.exec(stdout)?.[1],
    websocket: /WebSocket: (\S+)/.exec(stdout)?.[1],
    output: () => stdout,
    waitForOutput: (text, ms = 10_000) => waitFor(text, ms),
    stop: () => stop(child),
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  }));
}

function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(kill);
      resolve(code);
    });
    child.kill('SIGINT');
  });
}
