import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLE_SERVICE = path.join(ROOT, 'example-service');
export const fixture = (name: string) => path.join(ROOT, 'test', 'fixtures', name);

const hostBin = (pkg: string) => path.join(ROOT, 'node_modules', pkg, 'bin', 'serverless.js');

/** The frameworks that host the plugin, by their CLI script: serverless@3 (the default) and osls 3 and 4. */
export const SERVERLESS_BIN = hostBin('serverless');
export const OSLS3_BIN = hostBin('osls3');
export const OSLS4_BIN = hostBin('osls4');

/** The framework quiet and offline: no telemetry, no notifications, no colours. */
export const SLS_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
  NO_COLOR: '1',
};

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real serverless@3 CLI (or the `host` CLI) in `cwd`; the plugin is loaded from dist/ (npm test
 * builds it first).
 */
export function serverless(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  host: string = SERVERLESS_BIN,
): Promise<CliResult> {
  if (!existsSync(path.join(ROOT, 'dist', 'plugin.js'))) {
    throw new Error(
      'dist/plugin.js is missing: run `npm run build` (npm test does) before the integration tests',
    );
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [host, ...args],
      {
        cwd,
        env: { ...SLS_ENV, ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
