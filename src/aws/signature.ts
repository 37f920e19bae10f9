import type { AwsRequest } from './endpoint';

/** What a SigV4 signature says of a request: `Credential=<key>/<date>/<region>/<service>/aws4_request`. */
export interface CredentialScope {
  accessKey: string;
  region: string;
  service: string;
}

const headerOf = (request: AwsRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The scope of a request signed in its Authorization header or presigned in its query. */
export function credentialScope(request: AwsRequest): CredentialScope | undefined {
  const credential =
    /Credential=([^,\s]+)/.exec(headerOf(request, 'authorization') ?? '')?.[1] ??
    request.query.get('X-Amz-Credential') ??
    undefined;
  const [accessKey, , region, service] = credential?.split('/') ?? [];
  return service === undefined ? undefined : { accessKey, region, service };
}
