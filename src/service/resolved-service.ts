import { readFileSync, writeFileSync } from 'node:fs';
import type { RawService } from '../host';
import type { ServiceLocation } from './read-service';

/**
 * `sls emulate` with this variable set writes the service as the framework resolved it (variables,
 * stage, plugins' resources) to the file it names, and exits: how the testing API gets a service's
 * configuration from the framework without running the framework in the test's process.
 */
export const RESOLVE_TO = 'SERVERLESS_EMULATE_RESOLVE_TO';

export interface ResolvedService {
  raw: RawService;
  location: ServiceLocation;
}

/** What readService reads of the framework's service object (which also refers back to the framework). */
const RAW_KEYS = [
  'service',
  'provider',
  'functions',
  'resources',
  'custom',
  'package',
  'layers',
  'plugins',
] as const;

export function writeResolvedService(file: string, { raw, location }: ResolvedService): void {
  const picked = Object.fromEntries(RAW_KEYS.map((key) => [key, raw[key]]));
  writeFileSync(file, JSON.stringify({ raw: picked, location }));
}

export function readResolvedService(file: string): ResolvedService {
  return JSON.parse(readFileSync(file, 'utf8')) as ResolvedService;
}
