import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';

export const SLS = path.join(__dirname, '..', 'node_modules', 'serverless', 'bin', 'serverless.js');
/** The framework's environment for a bench: no telemetry, notifications or colours. */
export const SLS_ENV = {
  ...process.env,
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
  NO_COLOR: '1',
};

/** Stops a process started here (SIGINT, then SIGKILL after 10 s) and resolves once it has exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the real `sls emulate` on a bench service with a fresh state folder under `dir`, its handler
 * appending to `startsFile`, the AWS endpoint on `port` and HTTP routes on `httpPort` (any free one by
 * default); resolves once it is ready. `BENCH_CPU_PROF=<dir>` profiles it, and
 * `BENCH_EMULATOR_LOG=<file>` keeps its output.
 */
export async function startEmulator(
  serviceDir: string,
  port: number,
  dir: string,
  startsFile: string,
  httpPort = 0,
): Promise<ChildProcess> {
  const profile = process.env.BENCH_CPU_PROF;
  const child = spawn(
    process.execPath,
    [
      ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []),
      SLS,
      'emulate',
      '--aws-port',
      String(port),
      '--port',
      String(httpPort),
      '--websocket-port',
      '0',
      '--no-reload',
      '--state-dir',
      path.join(dir, 'state'),
    ],
    {
      cwd: serviceDir,
      env: { ...process.env, STARTS_FILE: startsFile, SLS_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await untilPrinted(child, 'Ready.', 'sls emulate', process.env.BENCH_EMULATOR_LOG);
  return child;
}

/**
 * Resolves once `child` prints `text` (on stdout or stderr); from then on its output is drained, or
 * stdout kept in the file `log`. Rejects, with what it printed, if it exits first.
 */
export function untilPrinted(child: ChildProcess, text: string, name: string, log?: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let out = '';
    const exited = (code: number | null) => reject(new Error(`${name} exited (${code}):\n${out}`));
    const collect = (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes(text)) return;
      child.stdout?.off('data', collect);
      child.stderr?.off('data', collect);
      if (log) child.stdout?.pipe(createWriteStream(log));
      else child.stdout?.resume();
      child.stderr?.resume();
      child.off('exit', exited);
      resolve();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', exited);
  });
}
