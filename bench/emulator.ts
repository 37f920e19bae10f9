import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';

const SLS = path.join(__dirname, '..', 'node_modules', 'serverless', 'bin', 'serverless.js');

/**
 * Starts the real `sls emulate` on a bench service with a fresh state folder under `dir`, its handler
 * appending to `startsFile`; resolves once it is ready. `BENCH_CPU_PROF=<dir>` profiles it, and
 * `BENCH_EMULATOR_LOG=<file>` keeps its output.
 */
export async function startEmulator(
  serviceDir: string,
  port: number,
  dir: string,
  startsFile: string,
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
      '0',
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
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const collect = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready.')) {
        child.stdout?.removeAllListeners('data');
        child.stderr?.removeAllListeners('data');
        const log = process.env.BENCH_EMULATOR_LOG;
        if (log) child.stdout?.pipe(createWriteStream(log));
        else child.stdout?.resume();
        child.stderr?.resume();
        child.removeAllListeners('exit');
        resolve();
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code) => reject(new Error(`sls emulate exited (${code}):\n${out}`)));
  });
  return child;
}
