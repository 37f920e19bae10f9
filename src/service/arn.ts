import type { FunctionModel, ServiceModel } from './model';

/** `arn:partition:service:region:account:resource`; `resource` keeps any further colons. */
export interface Arn {
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(value: string): Arn | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return { service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
}

/**
 * The short name an ARN gives its resource: a queue, topic, stream, table, bus, bucket or function
 * name. For a DynamoDB stream ARN that is the table's name.
 */
export function resourceNameOf(arn: Arn): string {
  const { service, resource } = arn;
  if (service === 'lambda') return resource.replace(/^function:/, '').split(':')[0];
  if (service === 'dynamodb') return resource.split('/')[1] ?? resource;
  if (service === 'kinesis' || service === 'events') return resource.split('/')[1] ?? resource;
  if (service === 'kafka') return resource.split('/')[1] ?? resource;
  if (service === 'mq') return resource.split(':')[1] ?? resource;
  if (service === 's3') return resource.split('/')[0];
  return resource;
}

export function buildArn(service: string, region: string, account: string, resource: string): string {
  return `arn:aws:${service}:${region}:${account}:${resource}`;
}

export function functionArn(
  service: Pick<ServiceModel, 'region' | 'accountId'>,
  fn: Pick<FunctionModel, 'name'>,
): string {
  return buildArn('lambda', service.region, service.accountId, `function:${fn.name}`);
}
