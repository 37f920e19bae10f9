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
export const credentialScope = (request: AwsRequest): CredentialScope | undefined =>
  parseCredentialScope(headerOf(request, 'authorization'), request.query.get('X-Amz-Credential'));

/** The scope of an Authorization header's `Credential=`, else of a presigned `X-Amz-Credential`. */
export function parseCredentialScope(
  authorization: string | undefined,
  presigned: string | null | undefined,
): CredentialScope | undefined {
  const credential = /Credential=([^,\s]+)/.exec(authorization ?? '')?.[1] ?? presigned ?? undefined;
  const [accessKey, , region, service] = credential?.split('/') ?? [];
  return service === undefined ? undefined : { accessKey, region, service };
}
