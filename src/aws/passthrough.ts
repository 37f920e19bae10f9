import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AwsRequest, AwsResponse } from './endpoint';
import type { CredentialScope } from './signature';

type Bytes = string | ArrayBuffer | ArrayBufferView;
const toBuffer = (data: Bytes) =>
  typeof data === 'string'
    ? Buffer.from(data)
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256 and HMAC-SHA-256 in the shape SigV4 signers take. */
class Sha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: Bytes) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }

  update(data: Bytes): void {
    this.hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

// What the handler's client signed with, or what the next hop sets itself.
const DROPPED = new Set([
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
]);

/**
 * Sends a handler's call to a service the user opted into (`custom.emulate.passthrough`) to that
 * service, signed again with the developer's own credentials (the AWS SDK's default chain: the
 * environment, the profile, SSO...), which handlers never see. The target is the service's regional
 * endpoint, or `AWS_ENDPOINT_URL_<SERVICE>` of the emulator's environment.
 */
export function passthroughForwarder(env: NodeJS.ProcessEnv) {
  const credentials = defaultProvider();
  return async (request: AwsRequest, scope: CredentialScope): Promise<AwsResponse> => {
    const target = new URL(
      env[`AWS_ENDPOINT_URL_${scope.service.toUpperCase()}`] ??
        `https://${scope.service}.${scope.region}.amazonaws.com`,
    );
    const headers: Record<string, string> = { host: target.host };
    for (const [name, value] of Object.entries(request.headers)) {
      if (!DROPPED.has(name) && value !== undefined) headers[name] = String(value);
    }
    const signer = new SignatureV4({
      service: scope.service,
      region: scope.region,
      credentials,
      sha256: Sha256,
    });
    const query = Object.fromEntries(request.query);
    const signed = await signer.sign({
      method: request.method,
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port ? Number(target.port) : undefined,
      path: request.path,
      query,
      headers,
      body: request.body,
    });
    return send(target, request, signed.headers);
  };
}

function send(target: URL, request: AwsRequest, headers: Record<string, string>): Promise<AwsResponse> {
  const search = request.query.toString();
  const transport = target.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const outgoing = transport.request(
      {
        method: request.method,
        hostname: target.hostname,
        port: target.port || undefined,
        path: `${request.path}${search ? `?${search}` : ''}`,
        headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 502,
            headers: Object.fromEntries(
              Object.entries(response.headers)
                .filter(([name]) => !DROPPED.has(name) && name !== 'content-length')
                .map(([name, value]) => [name, String(value)]),
            ),
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}
