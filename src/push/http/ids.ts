import { createHash } from 'node:crypto';

/**
 * Identifiers AWS would have assigned (API ids, resource ids, function URL ids), derived from the
 * service so they stay the same across restarts, and the request-time format API Gateway uses.
 */

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` lower-case alphanumerics derived from `seed`. */
export function stableId(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHANUMERIC[digest[i % digest.length] % ALPHANUMERIC.length];
  return id;
}

/** `length` hex digits derived from `seed` (a target group's id). */
export const hexId = (seed: string, length: number) =>
  createHash('sha256').update(seed).digest('hex').slice(0, length);

/** A 10-character API id like `gy415nuibc`. */
export const apiIdOf = (service: string, stage: string, kind: 'rest' | 'httpApi') =>
  stableId(`${kind}:${service}:${stage}`, 10);

/** A 6-character REST resource id like `roq9wj`. */
export const resourceIdOf = (restApiId: string, resourcePath: string) =>
  stableId(`${restApiId}:${resourcePath}`, 6);

/** A 6-character REST deployment id like `v99qix`, one per API (a local stage is never redeployed). */
export const deploymentIdOf = (restApiId: string) => stableId(`deployment:${restApiId}`, 6);

/** A 32-character function URL id, the `<url-id>` of `https://<url-id>.lambda-url.<region>.on.aws`. */
export const urlIdOf = (functionName: string, region: string) =>
  stableId(`url:${region}:${functionName}`, 32);

/** An id of the length of HTTP API's (`JKJaXmPLvHcESHA=`), cut from a UUID (no Buffer work per request). */
export const shortRequestId = (uuid: string) =>
  `${uuid.slice(0, 8)}${uuid.slice(9, 13)}${uuid.slice(14, 17)}=`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** requestTime, formatted once per second: the text of the last second is reused. */
export function requestTimeFormatter(): (epochMs: number) => string {
  let second = Number.NaN;
  let text = '';
  return (epochMs) => {
    const now = Math.floor(epochMs / 1000);
    if (now !== second) {
      second = now;
      text = requestTime(epochMs);
    }
    return text;
  };
}

/** API Gateway's request time: `dd/MMM/yyyy:HH:mm:ss +0000`, in UTC. */
export function requestTime(epochMs: number): string {
  const d = new Date(epochMs);
  return (
    `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}
