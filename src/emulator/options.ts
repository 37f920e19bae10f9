import path from 'node:path';
import { ConfigError } from '../errors';
import type { EmulatorOptions } from './emulator';

/** `sls emulate`'s options as the framework hands them over (strings and booleans). */
export interface EmulateCliOptions {
  host?: string;
  port?: string;
  'aws-port'?: string;
  'websocket-port'?: string;
  'max-concurrency'?: string;
  reload?: boolean;
  'stage-prefix'?: boolean;
  function?: string;
}

export const EMULATE_DEFAULTS = {
  host: '127.0.0.1',
  port: 3000,
  awsPort: 4566,
  websocketPort: 3001,
  maxConcurrency: 100,
};

function integer(
  option: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(
      `--${option} must be a whole number from ${min} to ${max}, got "${value}"`,
      'EMULATE_INVALID_OPTION',
    );
  }
  return n;
}

export function emulatorOptions(
  cli: EmulateCliOptions,
  serviceDir: string,
  hostEnv: NodeJS.ProcessEnv,
): EmulatorOptions {
  return {
    host: cli.host ?? EMULATE_DEFAULTS.host,
    port: integer('port', cli.port, EMULATE_DEFAULTS.port, 0, 65535),
    awsPort: integer('aws-port', cli['aws-port'], EMULATE_DEFAULTS.awsPort, 0, 65535),
    websocketPort: integer('websocket-port', cli['websocket-port'], EMULATE_DEFAULTS.websocketPort, 0, 65535),
    maxConcurrency: integer(
      'max-concurrency',
      cli['max-concurrency'],
      EMULATE_DEFAULTS.maxConcurrency,
      1,
      10000,
    ),
    reload: cli.reload !== false,
    stagePrefix: cli['stage-prefix'] !== false,
    functions: cli.function
      ?.split(',')
      .map((f) => f.trim())
      .filter(Boolean),
    stateDir: path.join(serviceDir, '.emulate'),
    hostEnv,
  };
}
