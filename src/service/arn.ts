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
 * The ARN as the emulator's one account holds it: a service may write its real account id into an
 * ARN, whose resource is still found by service, region and name. ARNs without an account (S3
 * buckets) and text that is no ARN are kept.
 */
export function inAccount(value: string, accountId: string): string {
  const arn = parseArn(value);
  if (!arn || arn.account === '' || arn.account === accountId) return value;
  const parts = value.split(':');
  parts[4] = accountId;
  return parts.join(':');
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

/** The partition a region belongs to. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The one place ARNs are built. Global services (S3 buckets, IAM) leave the region or account empty. */
export function buildArn(
  service: string,
  region: string,
  account: string,
  resource: string,
  partition = partitionOf(region),
): string {
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

export const bucketArn = (region: string, bucket: string) =>
  buildArn('s3', '', '', bucket, partitionOf(region));

export function functionArn(
  service: Pick<ServiceModel, 'region' | 'accountId'>,
  fn: Pick<FunctionModel, 'name'>,
): string {
  return buildArn('lambda', service.region, service.accountId, `function:${fn.name}`);
}

/** The function's execution role as the framework names it (`<service>-<stage>-<region>-lambdaRole`). */
export function executionRoleArn({ accountId, region, stage, service }: ServiceModel): string {
  return buildArn('iam', '', accountId, `role/${service}-${stage}-${region}-lambdaRole`, partitionOf(region));
}
