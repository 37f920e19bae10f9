import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CryptoKey, FlattenedJWSInput, JSONWebKeySet, JWSHeaderParameters } from 'jose';
import { ConfigError } from '../../../errors';

/**
 * jose (ESM only), loaded when a JWT authorizer needs it: a `require` of it at start-up would fail in
 * runners that load CommonJS with their own module system (jest before Node 24.9), even for services
 * without JWT authorizers.
 */
let jose: Promise<typeof import('jose')> | undefined;
export const loadJose = () => (jose ??= import('jose'));

/**
 * Where a JWT authorizer's signing keys come from: the `custom.emulate.authorizers.<name>.jwks` file or
 * URL when set, else the issuer's JWKS as API Gateway finds it (`jwks_uri` of
 * `<issuer>/.well-known/openid-configuration`, else `<issuer>/.well-known/jwks.json`), when it answers
 * within API Gateway's 1500 ms (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
 * Without keys, tokens are checked on their claims only.
 */

/** What both jose's local and remote key sets are: the key a token's header names. */
export type KeyResolver = (header?: JWSHeaderParameters, token?: FlattenedJWSInput) => Promise<CryptoKey>;

export interface SigningKeys {
  /** Absent: no keys could be had; signatures are not verified. */
  resolve?: KeyResolver;
  /** Where the keys come from, for the start-up listing. */
  from: string;
}

const DISCOVERY_TIMEOUT_MS = 1500;
const isUrl = (text: string) => /^https?:\/\//i.test(text);

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

const isKeySet = (value: unknown): value is JSONWebKeySet =>
  typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys);

async function keysFromFile(file: string, setting: string): Promise<SigningKeys> {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      `${setting}: cannot read the JWKS file ${file}: ${reason}`,
      'EMULATE_INVALID_CONFIG',
    );
  }
  if (!isKeySet(document)) {
    throw new ConfigError(`${setting}: ${file} is no JWKS (an object with "keys")`, 'EMULATE_INVALID_CONFIG');
  }
  const { createLocalJWKSet } = await loadJose();
  return { resolve: createLocalJWKSet(document), from: file };
}

/** The issuer's JWKS URL, found as API Gateway finds it, or undefined when the issuer does not answer. */
async function discoverJwksUrl(issuer: string): Promise<string | undefined> {
  const base = issuer.replace(/\/+$/, '');
  try {
    const configuration = await fetchJson(`${base}/.well-known/openid-configuration`);
    const uri = (configuration as { jwks_uri?: unknown }).jwks_uri;
    if (typeof uri === 'string') return uri;
  } catch {
    // No discovery document: try the conventional location.
  }
  try {
    const url = `${base}/.well-known/jwks.json`;
    return isKeySet(await fetchJson(url)) ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The keys of one authorizer. `configured` is its `jwks` setting (a path relative to the service, or a
 * URL); `setting` names it in errors.
 */
export async function signingKeys(
  issuer: string | undefined,
  configured: string | undefined,
  serviceDir: string,
  setting: string,
): Promise<SigningKeys> {
  const { createRemoteJWKSet } = await loadJose();
  if (configured !== undefined) {
    if (isUrl(configured)) return { resolve: createRemoteJWKSet(new URL(configured)), from: configured };
    return keysFromFile(path.resolve(serviceDir, configured), setting);
  }
  const url = issuer === undefined || !isUrl(issuer) ? undefined : await discoverJwksUrl(issuer);
  if (url === undefined) return { from: 'claims only' };
  return { resolve: createRemoteJWKSet(new URL(url), { timeoutDuration: DISCOVERY_TIMEOUT_MS }), from: url };
}
