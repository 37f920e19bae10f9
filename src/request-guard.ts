import { isIP } from 'node:net';

/**
 * What every port checks before it answers, so that no web page can drive the emulator.
 *
 * DNS rebinding: a page on `evil.example` that rebinds its name to 127.0.0.1 reaches our ports with
 * `Host: evil.example`. A port answers only Hosts that name this machine: loopback names, IP
 * addresses, the `--host` value, and `custom.emulate.allowedHosts` (as Vite's `server.allowedHosts`
 * and webpack-dev-server's `allowedHosts` do; `.example.com` allows the name and its subdomains).
 */
export function hostAllowList(
  listenHost: string,
  allowedHosts: readonly string[],
  extra: readonly RegExp[] = [],
) {
  const exact = new Set([listenHost.toLowerCase(), ...allowedHosts.map((h) => h.toLowerCase())]);
  const suffixes = allowedHosts.filter((h) => h.startsWith('.')).map((h) => h.toLowerCase());
  return (hostHeader: string | undefined): boolean => {
    if (hostHeader === undefined) return true;
    const name = hostnameOf(hostHeader);
    if (name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0) return true;
    if (exact.has(name)) return true;
    if (suffixes.some((suffix) => name === suffix.slice(1) || name.endsWith(suffix))) return true;
    return extra.some((pattern) => pattern.test(name));
  };
}

/** `host:port`, `[::1]:port` or a bare name, lower-cased, without the port. */
function hostnameOf(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  return host.replace(/:\d*$/, '');
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * A request a browser made for a page: browsers send `Origin` with every cross-origin request and
 * every POST, and `Sec-Fetch-Site` with all of them; the AWS SDKs, the AWS CLI and boto3 send neither.
 */
export function fromWebPage(headers: Record<string, string | string[] | undefined>): boolean {
  const site = first(headers['sec-fetch-site']);
  return (
    first(headers.origin) !== undefined || (site !== undefined && site !== 'none' && site !== 'same-origin')
  );
}

export const FOREIGN_HOST_MESSAGE =
  'Blocked: this Host is not allowed (sls emulate answers loopback names, IP addresses, --host and custom.emulate.allowedHosts)';
