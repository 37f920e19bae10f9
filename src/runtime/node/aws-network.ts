import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';

/** AWS's public endpoints: `<service>.<region>.amazonaws.com`, `<bucket>.s3.amazonaws.com`, China's. */
const AWS_HOST = /(?:^|\.)amazonaws\.com(?:\.cn)?$/i;

type RequestArgs = [url: string | URL | http.RequestOptions, ...rest: unknown[]];

/** `request(url[, options][, callback])` or `request(options[, callback])` as one options object. */
function optionsOf(args: RequestArgs): {
  options: http.RequestOptions;
  callback?: (res: http.IncomingMessage) => void;
} {
  const [first, ...rest] = args;
  const callback = rest.find((arg) => typeof arg === 'function') as
    ((res: http.IncomingMessage) => void) | undefined;
  if (typeof first !== 'string' && !(first instanceof URL)) return { options: first, callback };
  const url = new URL(first);
  const extra = rest.find((arg) => typeof arg === 'object' && arg !== null) as
    http.RequestOptions | undefined;
  return {
    options: {
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      ...extra,
    },
    callback,
  };
}

const hostnameOf = (options: http.RequestOptions) =>
  (options.hostname ?? options.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');

/**
 * The execution environment's network, as the emulator's: a request a handler makes to an AWS host
 * (aws-sdk v2 or v3 with no endpoint set, a QueueUrl's host, an execute-api domain) goes to the
 * emulator's AWS endpoint instead, over plain HTTP, with its Host header kept so that the endpoint can
 * tell the service and the bucket. The endpoint serves what it emulates, forwards what the user opted
 * into, and refuses the rest: nothing a handler sends reaches AWS on its own.
 */
export function routeAwsCallsTo(endpoint: string): void {
  const target = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true });
  const plainRequest = http.request;
  const redirected = (original: typeof http.request) =>
    function request(this: unknown, ...args: RequestArgs): http.ClientRequest {
      const { options, callback } = optionsOf(args);
      const hostname = hostnameOf(options);
      if (!AWS_HOST.test(hostname))
        return (original as (...a: RequestArgs) => http.ClientRequest).apply(this, args);
      const hostHeader = options.port ? `${hostname}:${options.port}` : hostname;
      return plainRequest(
        {
          method: options.method,
          path: options.path,
          headers: { host: hostHeader, ...options.headers },
          timeout: options.timeout,
          signal: options.signal,
          protocol: 'http:',
          hostname: target.hostname,
          port: target.port,
          agent,
        },
        callback,
      );
    };
  for (const module of [http, https]) {
    const request = redirected(module.request);
    module.request = request as typeof module.request;
    module.get = ((...args: RequestArgs) => {
      const outgoing = request(...args);
      outgoing.end();
      return outgoing;
    }) as typeof module.get;
  }
  // ESM handlers import the built-ins' named exports: they see the patched functions only after this.
  syncBuiltinESMExports();
}
