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

/** An AWS region's name (`us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`). */
export const isRegionName = (name: string): boolean => /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/.test(name);

/**
 * The region a request is for: its credential scope's, else that of the AWS host it names
 * (`sqs.eu-west-1.amazonaws.com`). Undefined when neither names a real region (`localhost`, as
 * DynamoDB Local's users often configure).
 */
export function requestRegion(request: AwsRequest): string | undefined {
  const host = /^[a-z0-9-]+\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?(?::\d+)?$/.exec(
    request.headers.host ?? '',
  )?.[1];
  const region = credentialScope(request)?.region ?? host;
  return region !== undefined && isRegionName(region) ? region : undefined;
}
