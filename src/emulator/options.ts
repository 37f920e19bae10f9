import type { Clock } from '../clock';
import { ConfigError } from '../errors';
import { resolveStateDir } from '../service/emulate-settings';
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
  'state-dir'?: string;
  reset?: boolean;
  'retry-delay-scale'?: string;
  'account-id'?: string;
}

/**
 * AWS waits 1 and 2 minutes between async attempts. Locally a sixtieth of that (1 s, 2 s) keeps the
 * retries visible as separate, spaced attempts without making a developer wait minutes for a DLQ.
 */
export const DEFAULT_RETRY_DELAY_SCALE = 1 / 60;

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

function scale(value: string | undefined, configured: number | undefined): number {
  if (value === undefined) return configured ?? DEFAULT_RETRY_DELAY_SCALE;
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0)) {
    throw new ConfigError(
      `--retry-delay-scale must be a number of 0 or more, got "${value}"`,
      'EMULATE_INVALID_OPTION',
    );
  }
  return n;
}

export function emulatorOptions(
  cli: EmulateCliOptions,
  service: { serviceDir: string; emulate: { retryDelayScale?: number; stateDir?: string } },
  hostEnv: NodeJS.ProcessEnv,
  clock: Clock,
): EmulatorOptions {
  const { serviceDir } = service;
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
    stateDir: resolveStateDir(serviceDir, cli['state-dir'], service.emulate.stateDir),
    reset: cli.reset === true,
    retryDelayScale: scale(cli['retry-delay-scale'], service.emulate.retryDelayScale),
    hostEnv,
    clock,
    handlerClock: clock,
  };
}
